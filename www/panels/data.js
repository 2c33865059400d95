// The data panel: the demo dataset or the workspace's analysis table (files go to the workspace, see
// workspace.js), loaded through the package's worker client (Arrow, CSV and Parquet alike), the status line and the
// schema table (types, kinds' profiles from the engine). A failed load keeps the previous dataset.
import * as Arrow from 'apache-arrow';
import { demoTable } from '../demo-data.js';

const $ = (sel) => document.querySelector(sel);

export function createDataPanel(ctx) {
  const { store, t } = ctx;
  let lastStatus = null;
  let loadAttempts = 0;

  function setStatus(key, vars, state) {
    lastStatus = { key, vars };
    $('#status').dataset.state = state;
    renderStatus();
  }

  function renderStatus() {
    if (!lastStatus) return;
    const vars = typeof lastStatus.vars === 'function' ? lastStatus.vars() : lastStatus.vars;
    $('#status').textContent = t(lastStatus.key, vars);
  }

  /** Load through the worker, profile every column, then swap it in (the previous dataset is freed only now). */
  async function fetchData(source, label) {
    const started = performance.now();
    const client = await ctx.client;
    const dataset = source.dataset ?? (await client.load(source.file ?? demoBytes(source.demo)));
    try {
      const info = await dataset.info();
      const profiles = await Promise.all(info.columns.map((c) => dataset.profile(c.name)));
      const columns = info.columns.map((c, i) => ({ ...c, profile: profiles[i] }));
      const ms = Math.round(performance.now() - started);
      return { dataset, data: { label, source: source.demo ? 'demo' : 'file', numRows: info.numRows, columns, ms } };
    } catch (err) {
      if (!source.dataset) await dataset.free();
      throw err;
    }
  }

  const demoBytes = (demo) => Arrow.tableToIPC(demoTable(Arrow, demo.rows ?? 50_000, demo.seed ?? 42), 'stream');

  /** A load attempt ended (the tests and the page's state read `data-loads`). */
  const counted = () => {
    document.body.dataset.loads = String(++loadAttempts);
  };

  /** Show why a file could not be read; the previous dataset stays. */
  function fail(name, err) {
    const fileError = $('#file-error');
    const previous = store.state.data;
    fileError.hidden = false;
    fileError.dataset.code = err.code ?? 'ERROR';
    fileError.textContent = `${t('fileError', { name, message: err.message.split('\n')[0] })} ${previous ? t('keptPrevious') : ''}`;
    if (previous && lastStatus) {
      setStatus('loaded', lastStatus.vars, 'ready');
      document.body.dataset.data = 'ready';
    } else {
      $('#status').dataset.state = 'error';
      document.body.dataset.data = 'error';
    }
    counted();
  }

  /** The status line while a file is read. */
  function loading(name) {
    $('#file-error').hidden = true;
    delete $('#file-error').dataset.code;
    setStatus('loadingFile', { name }, 'loading');
    document.body.dataset.data = 'loading';
  }

  async function load(source, name) {
    const fileError = $('#file-error');
    fileError.hidden = true;
    delete fileError.dataset.code;
    setStatus(source.demo ? 'loadingDemo' : 'loadingFile', { name }, 'loading');
    document.body.dataset.data = 'loading';
    try {
      const { dataset, data } = await fetchData(source, source.demo ? 'demo' : name);
      const old = store.state.dataset;
      store.set({ dataset, data });
      if (old && old !== dataset && !ctx.workspace?.owns(old)) old.free();
      const status = $('#status');
      status.dataset.rows = String(data.numRows);
      status.dataset.source = data.source;
      setStatus(
        'loaded',
        () => ({
          label: data.label === 'demo' ? t('demoLabel') : data.label,
          rows: ctx.fmt().integer(data.numRows),
          cols: ctx.fmt().integer(data.columns.length),
          ms: ctx.fmt().integer(data.ms),
        }),
        'ready',
      );
      await ctx.refreshSizes();
      document.body.dataset.data = 'ready';
    } catch (err) {
      fail(name, err);
      return;
    }
    counted();
  }

  /** The schema table: name, Arrow type, nulls, and the most frequent values (or the range, for ordered kinds). */
  function renderSchema() {
    const body = $('#schema tbody');
    body.replaceChildren();
    const fmt = ctx.fmt();
    for (const c of store.state.data?.columns ?? []) {
      const row = body.insertRow();
      row.dataset.column = c.name;
      row.dataset.kind = c.kind;
      row.insertCell().textContent = c.name;
      const code = document.createElement('code');
      code.textContent = c.type;
      row.insertCell().append(code);
      const nulls = row.insertCell();
      nulls.className = 'num';
      nulls.textContent = fmt.integer(c.nullCount);
      const show = (v) => {
        if (c.kind === 'date' || c.kind === 'timestamp') return fmt.date(new Date(`${v.slice(0, 10)}T00:00:00Z`));
        if (c.kind === 'number') return fmt.decimal(Number(v)).replace(/[.,]00$/, '');
        return v;
      };
      const { profile } = c;
      const ordered = profile.min !== null && profile.max !== null;
      row.insertCell().textContent = ordered
        ? `${show(profile.min)} – ${show(profile.max)}`
        : profile.top
            .slice(0, 3)
            .map((v) => show(v.value))
            .join(', ');
    }
  }

  function wire() {
    $('#use-demo').addEventListener('click', () => load({ demo: { rows: 50_000, seed: 42 } }, 'demo'));
    const addFiles = (files) => files.length && ctx.workspace.addFiles(files);
    $('#file-input').addEventListener('change', (e) => {
      const files = [...e.target.files];
      e.target.value = '';
      addFiles(files);
    });
    const dropzone = $('#dropzone');
    for (const type of ['dragenter', 'dragover']) {
      dropzone.addEventListener(type, (e) => {
        e.preventDefault();
        dropzone.classList.add('over');
      });
    }
    dropzone.addEventListener('dragleave', () => dropzone.classList.remove('over'));
    dropzone.addEventListener('drop', (e) => {
      e.preventDefault();
      dropzone.classList.remove('over');
      addFiles([...(e.dataTransfer?.files ?? [])]);
    });
    dropzone.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        $('#file-input').click();
      }
    });
    store.subscribe((_, keys) => {
      if (keys.includes('data')) renderSchema();
    });
  }

  wire();
  return {
    load,
    /** Make a workspace table the loaded dataset (profiles, status, segment sizes); the workspace keeps it. */
    show: (dataset, label) => load({ dataset }, label),
    loading,
    counted,
    fail,
    render() {
      renderStatus();
      renderSchema();
    },
  };
}
