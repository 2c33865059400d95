// The segments panel: the rule editor (validated, shaded and completed by the engine), saved segments with live
// sizes, one-click built-in segmentations, member export and the overlap heat-map. Sizes live in the store, so
// the experiment and results panels see the same segments.
import * as Plot from '@observablehq/plot';
import { membersToCsv, download, segmentDescription, segmentName } from 'segmetry/report';
import { RuleEditor } from '../rule-editor.js';
import { builtinOptions, ruleOptions } from '../store.js';
import { builtinColumnOptions, builtinPickers, guessMemberColumn } from './segment-columns.js';

const $ = (sel) => document.querySelector(sel);

export function createSegmentsPanel(ctx) {
  const { store, t } = ctx;
  const settings = () => store.state.settings;
  // The engine words its errors (rules, members) in the dashboard's language.
  const refOptions = () => ({ ...ruleOptions(settings()), lang: settings().locale });
  /** The loaded dataset, or a SegmetryError-like rejection when there is none yet. */
  const dataset = () => store.state.dataset ?? Promise.reject(new Error('no dataset is loaded yet'));
  let editing = null; // name of the segment being edited

  const ruleEditor = new RuleEditor({
    textarea: $('#rule'),
    highlights: $('.rule-highlights'),
    suggestions: $('#rule-suggestions'),
    feedback: $('#rule-feedback'),
    validate: async (rule) => (await dataset()).segment(rule, refOptions()),
    complete: async (rule, cursor) => (await dataset()).complete(rule, cursor),
    tokenize: async (rule) => (await ctx.client).tokenize(rule),
    t: (...a) => t(...a),
    fmt: () => ctx.fmt(),
  });

  const setSegments = (segments) => store.setSettings({ segments });
  const isDuplicateName = (name) => settings().segments.some((s) => s.name === name && s.name !== editing);

  function stopEditing() {
    editing = null;
    $('#segment-name').value = '';
    ruleEditor.clear();
    $('#cancel-edit').hidden = true;
    $('#save-segment').textContent = t('saveSegment');
  }

  /** Sizes of rule segments and groups of built-ins, computed in the worker. */
  async function refreshSizes() {
    const ds = store.state.dataset;
    if (!ds) return;
    const list = $('#segment-list');
    list.dataset.state = 'updating';
    const sizes = new Map();
    for (const s of settings().segments) {
      try {
        if (s.rule) {
          sizes.set(s.name, { size: (await ds.segment(s.rule, refOptions())).size });
        } else {
          sizes.set(s.name, { groups: await builtinGroups(ds, s) });
        }
      } catch (err) {
        sizes.set(s.name, { error: { code: err.code, message: err.message } });
      }
    }
    store.set({ sizes });
    await renderOverlap();
    list.dataset.state = 'ready';
  }

  async function builtinGroups(ds, s) {
    const options = builtinOptions(settings(), store.state.data, s);
    if (s.builtin === 'spendTier') return spendTierGroups(ds, options);
    const result = await ds[s.builtin](options);
    const segments = Array.isArray(result) ? result : result.segments;
    return segments.map(({ name, labels, description, descriptions, size }) => ({
      name,
      labels,
      description,
      descriptions,
      size,
    }));
  }

  /** The spend tiers' sizes, from the CLV fit the segmentation runs (`tiers` cut as `spendTier` cuts them). */
  async function spendTierGroups(ds, options) {
    const { clv, referenceDate, lang } = options;
    const result = await ds.clv({ referenceDate, ...clv, lang });
    await result.customers.free();
    return result.tiers
      .filter((tier) => tier.customers > 0)
      .map((tier) => ({ name: tier.name, labels: tier.labels, size: tier.customers }));
  }

  function renderSegments() {
    const list = $('#segment-list');
    list.replaceChildren();
    const fmt = ctx.fmt();
    const { sizes, data } = store.state;
    if (!settings().segments.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = t('noSegments');
      list.append(li);
      return;
    }
    for (const s of settings().segments) {
      const info = sizes.get(s.name);
      const li = document.createElement('li');
      li.dataset.segment = s.name;
      const head = document.createElement('div');
      head.className = 'seg-head';
      const title = document.createElement('strong');
      title.textContent = s.name;
      const size = document.createElement('span');
      size.className = 'seg-size';
      if (info?.size !== undefined) {
        li.dataset.size = String(info.size);
        size.textContent = `${fmt.integer(info.size)} ${t('customers')}`;
        if (data?.numRows) {
          const bar = document.createElement('span');
          bar.className = 'seg-bar';
          bar.style.setProperty('--share', String(info.size / data.numRows));
          bar.title = fmt.percent(info.size / data.numRows);
          size.prepend(bar);
        }
      } else if (info?.error) {
        // Not for this table (a column it lacks, another type): marked, and left out of the analysis.
        li.dataset.error = info.error.code ?? 'ERROR';
        li.dataset.fit = 'no';
        size.className = 'seg-size error';
        size.textContent = `${t('doesNotFit')}: ${info.error.message.split(/[;\n]/)[0]}`;
        size.title = info.error.message;
      }
      head.append(title, size, actions(s));
      li.append(head);
      if (s.rule) {
        const code = document.createElement('code');
        code.textContent = s.rule;
        li.append(code);
      }
      const pickers =
        s.builtin && data ? builtinPickers(s, data.columns, t, (options) => setOptions(s, options)) : null;
      if (pickers) li.append(pickers);
      if (info?.groups) li.append(groupList(info.groups, fmt));
      list.append(li);
    }
  }

  async function setOptions(s, options) {
    setSegments(settings().segments.map((x) => (x === s ? { ...x, options } : x)));
    await refreshSizes();
  }

  function actions(s) {
    const box = document.createElement('span');
    box.className = 'seg-actions';
    const button = (label, fn, action) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.textContent = label;
      b.setAttribute('aria-label', `${label}: ${s.name}`);
      b.dataset.action = action;
      b.addEventListener('click', fn);
      box.append(b);
    };
    if (s.rule) {
      button(
        t('edit'),
        () => {
          editing = s.name;
          $('#segment-name').value = s.name;
          ruleEditor.setValue(s.rule);
          $('#save-segment').textContent = t('updateSegment');
          $('#cancel-edit').hidden = false;
          $('#rule').focus();
        },
        'edit',
      );
      button(t('exportMembers'), () => exportMembers(s), 'members');
    }
    button(
      t('remove'),
      async () => {
        setSegments(settings().segments.filter((x) => x !== s));
        await refreshSizes();
      },
      'remove',
    );
    return box;
  }

  function groupList(groups, fmt) {
    const ul = document.createElement('ul');
    ul.className = 'groups';
    for (const g of groups) {
      const li = document.createElement('li');
      li.dataset.group = g.name;
      li.textContent = `${segmentName(g, settings().locale)}: ${fmt.integer(g.size)}`;
      const description = segmentDescription(g, settings().locale);
      if (description) li.title = description;
      ul.append(li);
    }
    return ul;
  }

  /** The column member exports write (the picker, pre-filled with an e-mail or id column); null = row numbers. */
  function idColumn() {
    return $('#member-column').value || null;
  }

  function fillMemberColumn() {
    const select = $('#member-column');
    const columns = (store.state.data?.columns ?? []).filter((c) => ['text', 'number'].includes(c.kind));
    const previous = select.value;
    select.replaceChildren(new Option(t('rowNumbers'), ''), ...columns.map((c) => new Option(c.name, c.name)));
    select.value = columns.some((c) => c.name === previous) ? previous : guessMemberColumn(columns);
  }

  async function exportMembers(s) {
    const column = idColumn();
    const ids = await store.state.dataset.segmentMembers(s.rule, { ...refOptions(), ...(column ? { column } : {}) });
    const slug =
      s.name
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .replace(/^-|-$/g, '') || 'segment';
    download(membersToCsv(ids, column ?? 'row'), `segment-${slug}-members.csv`);
  }

  async function addBuiltin(kind, options) {
    const fi = settings().locale === 'fi';
    const names = {
      rfm: 'RFM',
      lifecycle: fi ? 'Elinkaari' : 'Lifecycle',
      clusters: fi ? 'Klusterit' : 'Clusters',
      spendTier: fi ? 'Ennustettu ostotaso' : 'Predicted spend tier',
    };
    const err = $('#builtin-error');
    err.hidden = true;
    const ds = store.state.dataset;
    if (!ds || settings().segments.some((s) => s.builtin === kind)) return;
    const entry = {
      name: names[kind],
      builtin: kind,
      options: options ?? builtinColumnOptions(kind, store.state.data.columns),
    };
    try {
      await builtinGroups(ds, entry);
    } catch (e) {
      err.hidden = false;
      err.textContent = t('builtinError', { name: names[kind], message: e.message.split('\n')[0] });
      return;
    }
    if (kind === 'clusters') entry.options = builtinOptions(settings(), store.state.data, entry);
    setSegments([...settings().segments, entry]);
    await refreshSizes();
  }

  async function renderOverlap() {
    const box = $('#overlap');
    const { sizes, dataset: ds } = store.state;
    const rules = settings().segments.filter((s) => s.rule && sizes.get(s.name)?.size !== undefined);
    box.replaceChildren();
    if (rules.length < 2 || !ds) {
      const p = document.createElement('p');
      p.className = 'help';
      p.textContent = t('overlapNeedTwo');
      box.append(p);
      return;
    }
    const counts = await ds.segmentOverlap(
      rules.map((s) => s.rule),
      refOptions(),
    );
    box.replaceChildren(overlapChart(rules, counts));
    box.dataset.segments = String(rules.length);
  }

  function overlapChart(rules, counts) {
    const fmt = ctx.fmt();
    const data = [];
    rules.forEach((a, i) =>
      rules.forEach((b, j) =>
        data.push({
          row: a.name,
          col: b.name,
          count: counts[i][j],
          share: counts[i][i] ? counts[i][j] / counts[i][i] : 0,
        }),
      ),
    );
    const names = rules.map((s) => s.name);
    const chart = Plot.plot({
      width: Math.min(560, 140 + names.length * 80),
      height: 60 + names.length * 44,
      marginLeft: 120,
      marginBottom: 50,
      padding: 0.04,
      x: { domain: names, label: null, tickRotate: -20 },
      y: { domain: names, label: null },
      color: { scheme: 'blues', domain: [0, 1], legend: true, label: t('overlap'), tickFormat: (x) => fmt.percent(x) },
      marks: [
        Plot.cell(data, {
          x: 'col',
          y: 'row',
          fill: 'share',
          inset: 0.5,
          title: (d) => `${d.row} ∩ ${d.col}: ${fmt.integer(d.count)} (${fmt.percent(d.share)})`,
        }),
        Plot.text(data, {
          x: 'col',
          y: 'row',
          text: (d) => fmt.percent(d.share),
          fill: (d) => (d.share > 0.55 ? 'white' : 'black'),
        }),
      ],
    });
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', t('overlap'));
    return chart;
  }

  function wire() {
    $('#segment-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const nameInput = $('#segment-name');
      const name = nameInput.value.trim();
      const rule = $('#rule').value.trim();
      if (!name || isDuplicateName(name)) {
        nameInput.setAttribute('aria-invalid', 'true');
        nameInput.focus();
        return;
      }
      nameInput.removeAttribute('aria-invalid');
      const result = await ruleEditor.validateNow();
      if (!result?.ok) return;
      const segments = [...settings().segments];
      if (editing) segments[segments.findIndex((s) => s.name === editing)] = { name, rule };
      else segments.push({ name, rule });
      setSegments(segments);
      stopEditing();
      await refreshSizes();
    });
    $('#cancel-edit').addEventListener('click', stopEditing);
    $('#reference-date').addEventListener('change', async (e) => {
      store.setSettings({ referenceDate: e.target.value });
      ruleEditor.revalidate();
      await refreshSizes();
    });
    for (const b of document.querySelectorAll('[data-builtin]')) {
      b.addEventListener('click', () => addBuiltin(b.dataset.builtin));
    }
    store.subscribe((_, keys) => {
      if (keys.includes('sizes') || keys.includes('settings')) renderSegments();
      if (keys.includes('data')) {
        ruleEditor.datasetChanged();
        fillMemberColumn();
      }
    });
  }

  wire();
  return {
    refreshSizes,
    addBuiltin,
    render() {
      renderSegments();
      if (store.state.data) renderOverlap();
      ruleEditor.setLocale(settings().locale);
    },
  };
}
