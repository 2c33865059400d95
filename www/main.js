// The segmetry dashboard. Everything runs in this tab: data is generated or read locally, the wasm engine runs in
// a module worker (engine-worker.js), the results panel is the package's embeddable report (segmetry/report),
// charts are Observable Plot bundled with the page. Only settings (never data) are kept, in localStorage.
import * as Plot from '@observablehq/plot';
import { mount, membersToCsv, download, formatters, languageOf } from 'segmetry/report';
import { createEngine } from './engine.js';
import { translator } from './i18n.js';
import { RuleEditor } from './rule-editor.js';

const STORAGE_KEY = 'segmetry.dashboard.settings.v1';
const $ = (sel) => document.querySelector(sel);

const defaultSettings = () => ({
  format: 'segmetry-dashboard-settings',
  version: 1,
  locale: languageOf(navigator.language),
  referenceDate: '',
  segments: [
    { name: 'Nordic', rule: "country IN ('FI', 'SE')" },
    { name: 'Loyal', rule: 'orders_count >= 5' },
    { name: 'Newsletter', rule: 'newsletter' },
  ],
  experiment: {
    variant: 'variant',
    control: 'A',
    conversion: 'converted',
    revenue: 'revenue',
    covariate: '',
    confidence: 0.95,
    correction: 'holm',
    alternative: 'two-sided',
    engine: 'frequentist',
  },
});

function loadSettings() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (saved) return validateSettings(saved);
  } catch {
    /* fall through to defaults */
  }
  return defaultSettings();
}

/** Check an imported or stored settings object; throws with a readable message. Data is never part of it. */
function validateSettings(input) {
  if (!input || typeof input !== 'object' || input.format !== 'segmetry-dashboard-settings') {
    throw new Error('format must be "segmetry-dashboard-settings"');
  }
  const base = defaultSettings();
  const segments = Array.isArray(input.segments) ? input.segments : [];
  for (const s of segments) {
    if (
      typeof s?.name !== 'string' ||
      !(typeof s.rule === 'string' || ['rfm', 'lifecycle', 'clusters'].includes(s.builtin))
    ) {
      throw new Error('every segment needs a name and a rule (or builtin)');
    }
  }
  return {
    ...base,
    locale: ['en', 'fi'].includes(input.locale) ? input.locale : base.locale,
    referenceDate: typeof input.referenceDate === 'string' ? input.referenceDate : '',
    segments: segments.map((s) =>
      s.builtin ? { name: s.name, builtin: s.builtin, options: s.options ?? {} } : { name: s.name, rule: s.rule },
    ),
    experiment: { ...base.experiment, ...(typeof input.experiment === 'object' ? input.experiment : {}) },
  };
}

let settings = loadSettings();
const save = () => localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));

let t = translator(settings.locale);
let fmt = formatters(settings.locale);
let meta = null; // the loaded dataset's summary from the engine
let lastStatus = null;
const engine = createEngine();
const sizes = new Map(); // segment name → { size } | { error } | { groups }

// --- language ----------------------------------------------------------------------------------------------
function applyLanguage() {
  t = translator(settings.locale);
  fmt = formatters(settings.locale);
  document.documentElement.lang = settings.locale;
  $('#language').value = settings.locale;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  const pct = new Intl.NumberFormat(fmt.locale, { style: 'percent', maximumFractionDigits: 1 });
  for (const opt of $('#confidence').options) opt.textContent = pct.format(Number(opt.value));
  renderStatus();
  renderSchema();
  renderSegments();
  if (meta) renderOverlap();
  ruleEditor.setLocale(settings.locale);
  reportView.update({ locale: settings.locale });
}

// --- data --------------------------------------------------------------------------------------------------
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

let loadAttempts = 0;
async function loadData(source, name) {
  try {
    await loadDataOnce(source, name);
  } finally {
    document.body.dataset.loads = String(++loadAttempts);
  }
}

async function loadDataOnce(source, name) {
  const status = $('#status');
  const fileError = $('#file-error');
  fileError.hidden = true;
  delete fileError.dataset.code;
  setStatus(source.demo ? 'loadingDemo' : 'loadingFile', { name }, 'loading');
  document.body.dataset.data = 'loading';
  try {
    meta = await engine.call('load', source);
    status.dataset.rows = String(meta.numRows);
    status.dataset.source = meta.label === 'demo' ? 'demo' : meta.format;
    setStatus(
      'loaded',
      () => ({
        label: meta.label === 'demo' ? t('demoLabel') : meta.label,
        rows: fmt.integer(meta.numRows),
        cols: fmt.integer(meta.columns.length),
        ms: fmt.integer(meta.ms),
      }),
      'ready',
    );
    renderSchema();
    fillExperimentForm();
    ruleEditor.setColumns(meta.columns);
    await refreshSizes();
    document.body.dataset.data = 'ready';
  } catch (err) {
    fileError.hidden = false;
    fileError.dataset.code = err.code ?? 'ERROR';
    fileError.textContent = `${t('fileError', { name, message: err.message.split('\n')[0] })} ${meta ? t('keptPrevious') : ''}`;
    if (meta) {
      setStatus('loaded', lastStatus.vars, 'ready');
      document.body.dataset.data = 'ready';
    } else {
      status.dataset.state = 'error';
      document.body.dataset.data = 'error';
    }
  }
}

async function loadFile(file) {
  const bytes = await file.arrayBuffer();
  await loadData({ bytes, fileName: file.name }, file.name);
}

function renderSchema() {
  const body = $('#schema tbody');
  body.replaceChildren();
  if (!meta) return;
  for (const c of meta.columns) {
    const row = body.insertRow();
    row.dataset.column = c.name;
    row.insertCell().textContent = c.name;
    const code = document.createElement('code');
    code.textContent = c.type;
    row.insertCell().append(code);
    const nulls = row.insertCell();
    nulls.className = 'num';
    nulls.textContent = fmt.integer(c.nullCount);
    const isDate = /^date|^timestamp/.test(c.type);
    const show = (v) =>
      isDate && /^\d{4}-\d\d-\d\d/.test(v)
        ? fmt.date(new Date(`${v.slice(0, 10)}T00:00:00Z`))
        : /^-?\d+(\.\d+)?$/.test(v)
          ? fmt.decimal(Number(v)).replace(/[.,]00$/, '')
          : v;
    row.insertCell().textContent = c.samples.map(show).join(', ');
  }
}

// --- segments ----------------------------------------------------------------------------------------------
const ruleEditor = new RuleEditor({
  textarea: $('#rule'),
  highlights: $('.rule-highlights'),
  suggestions: $('#rule-suggestions'),
  feedback: $('#rule-feedback'),
  validate: (rule) => engine.call('segment', rule, refOptions()),
  t: (...a) => t(...a),
  fmt: () => fmt,
});

const refOptions = () => (settings.referenceDate ? { referenceDate: settings.referenceDate } : {});
let editing = null; // name of the segment being edited

function isDuplicateName(name) {
  return settings.segments.some((s) => s.name === name && s.name !== editing);
}

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
  if (editing) {
    const i = settings.segments.findIndex((s) => s.name === editing);
    settings.segments[i] = { name, rule };
  } else {
    settings.segments.push({ name, rule });
  }
  editing = null;
  nameInput.value = '';
  ruleEditor.clear();
  $('#cancel-edit').hidden = true;
  $('#save-segment').textContent = t('saveSegment');
  save();
  await refreshSizes();
});

$('#cancel-edit').addEventListener('click', () => {
  editing = null;
  $('#segment-name').value = '';
  ruleEditor.clear();
  $('#cancel-edit').hidden = true;
  $('#save-segment').textContent = t('saveSegment');
});

$('#reference-date').addEventListener('change', async (e) => {
  settings.referenceDate = e.target.value;
  save();
  ruleEditor.revalidate();
  await refreshSizes();
});

async function refreshSizes() {
  if (!meta) return;
  const list = $('#segment-list');
  list.dataset.state = 'updating';
  const rules = settings.segments.filter((s) => s.rule);
  const results = await engine.call(
    'sizes',
    rules.map((s) => s.rule),
    refOptions(),
  );
  sizes.clear();
  rules.forEach((s, i) => sizes.set(s.name, results[i]));
  for (const s of settings.segments.filter((x) => x.builtin)) {
    try {
      sizes.set(s.name, { groups: await engine.call(s.builtin, builtinOptions(s)) });
    } catch (err) {
      sizes.set(s.name, { error: { message: err.message } });
    }
  }
  renderSegments();
  await renderOverlap();
  list.dataset.state = 'ready';
}

function builtinOptions(s) {
  if (s.builtin !== 'clusters' || s.options?.columns) return { ...refOptions(), ...(s.options ?? {}) };
  const numeric = meta.columns.filter((c) => /int|float|decimal/.test(c.type) && !/id$/i.test(c.name));
  const preferred = ['orders_count', 'total_spent', 'last_order_days'].filter((n) => numeric.some((c) => c.name === n));
  return { columns: preferred.length >= 2 ? preferred : numeric.slice(0, 3).map((c) => c.name), seed: 42 };
}

function renderSegments() {
  const list = $('#segment-list');
  list.replaceChildren();
  if (!settings.segments.length) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = t('noSegments');
    list.append(li);
    return;
  }
  for (const s of settings.segments) {
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
      if (meta?.numRows) {
        const bar = document.createElement('span');
        bar.className = 'seg-bar';
        bar.style.setProperty('--share', String(info.size / meta.numRows));
        bar.title = fmt.percent(info.size / meta.numRows);
        size.prepend(bar);
      }
    } else if (info?.error) {
      li.dataset.error = info.error.code ?? 'ERROR';
      size.className = 'seg-size error';
      size.textContent = info.error.message.split('\n')[0];
    }
    head.append(title, size);
    const actions = document.createElement('span');
    actions.className = 'seg-actions';
    const button = (label, fn, extra = {}) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.textContent = label;
      b.setAttribute('aria-label', `${label}: ${s.name}`);
      Object.assign(b.dataset, extra);
      b.addEventListener('click', fn);
      actions.append(b);
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
        { action: 'edit' },
      );
      button(t('exportMembers'), () => exportMembers(s), { action: 'members' });
    }
    button(
      t('remove'),
      async () => {
        settings.segments = settings.segments.filter((x) => x !== s);
        save();
        await refreshSizes();
      },
      { action: 'remove' },
    );
    head.append(actions);
    li.append(head);
    if (s.rule) {
      const code = document.createElement('code');
      code.textContent = s.rule;
      li.append(code);
    }
    if (info?.groups) {
      const groups = document.createElement('ul');
      groups.className = 'groups';
      for (const g of info.groups) {
        const gi = document.createElement('li');
        gi.dataset.group = g.name;
        gi.textContent = `${g.name}: ${fmt.integer(g.size)}`;
        if (g.description) gi.title = g.description;
        groups.append(gi);
      }
      li.append(groups);
    }
    list.append(li);
  }
}

function idColumn() {
  const cols = meta?.columns ?? [];
  return (cols.find((c) => /(^|_)id$/i.test(c.name) && /int|utf8/.test(c.type)) ?? null)?.name ?? null;
}

async function exportMembers(s) {
  const column = idColumn();
  const ids = await engine.call('members', s.rule, { ...refOptions(), ...(column ? { column } : {}) });
  const slug =
    s.name
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '') || 'segment';
  download(membersToCsv(ids, column ?? 'row'), `segment-${slug}-members.csv`);
}

for (const b of document.querySelectorAll('[data-builtin]')) {
  b.addEventListener('click', async () => {
    const kind = b.dataset.builtin;
    const names = {
      rfm: 'RFM',
      lifecycle: settings.locale === 'fi' ? 'Elinkaari' : 'Lifecycle',
      clusters: settings.locale === 'fi' ? 'Klusterit' : 'Clusters',
    };
    const err = $('#builtin-error');
    err.hidden = true;
    if (!meta) return;
    if (settings.segments.some((s) => s.builtin === kind)) return;
    const entry = { name: names[kind], builtin: kind, options: {} };
    try {
      await engine.call(kind, builtinOptions(entry));
    } catch (e) {
      err.hidden = false;
      err.textContent = t('builtinError', { name: names[kind], message: e.message.split('\n')[0] });
      return;
    }
    if (kind === 'clusters') entry.options = builtinOptions(entry);
    settings.segments.push(entry);
    save();
    await refreshSizes();
  });
}

async function renderOverlap() {
  const box = $('#overlap');
  const rules = settings.segments.filter((s) => s.rule && sizes.get(s.name)?.size !== undefined);
  box.replaceChildren();
  if (rules.length < 2) {
    const p = document.createElement('p');
    p.className = 'help';
    p.textContent = t('overlapNeedTwo');
    box.append(p);
    return;
  }
  const counts = await engine.call(
    'overlap',
    rules.map((s) => s.rule),
    refOptions(),
  );
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
  box.append(chart);
  box.dataset.segments = String(names.length);
}

// --- experiment --------------------------------------------------------------------------------------------
function fillSelect(select, options, value, { allowNone = false } = {}) {
  select.replaceChildren();
  if (allowNone) select.append(new Option(t('none'), ''));
  for (const o of options) select.append(new Option(o, o));
  select.value = options.includes(value) ? value : allowNone ? '' : (options[0] ?? '');
}

function fillExperimentForm() {
  const e = settings.experiment;
  const cols = meta.columns;
  const names = (pred) => cols.filter(pred).map((c) => c.name);
  const categorical = names((c) => /utf8|dictionary|int/.test(c.type) && (c.distinct ?? 99) <= 20 && c.values?.length);
  const variantGuess = categorical.find((n) => /variant|group|arm|bucket/i.test(n)) ?? categorical[0];
  fillSelect(
    $('#variant'),
    categorical.length ? categorical : cols.map((c) => c.name),
    categorical.includes(e.variant) ? e.variant : variantGuess,
  );
  fillControl();
  const numericOrBool = names((c) => /bool|int|float|decimal/.test(c.type));
  const bools = names((c) => /bool/.test(c.type));
  fillSelect($('#conversion'), numericOrBool, numericOrBool.includes(e.conversion) ? e.conversion : bools[0]);
  const numeric = names((c) => /int|float|decimal/.test(c.type));
  fillSelect($('#revenue'), numeric, e.revenue, { allowNone: true });
  fillSelect($('#covariate'), numeric, e.covariate, { allowNone: true });
  $('#confidence').value = String(e.confidence);
  $('#correction').value = e.correction;
  $('#alternative').value = e.alternative;
  for (const r of document.querySelectorAll('input[name="engine"]')) r.checked = r.value === e.engine;
}

function fillControl() {
  const column = meta?.columns.find((c) => c.name === $('#variant').value);
  const values = (column?.values ?? []).map((v) => v.value).sort();
  fillSelect($('#control'), values, settings.experiment.control);
}

function readExperimentForm() {
  const form = $('#experiment-form');
  const e = {
    variant: form.variant.value,
    control: form.control.value,
    conversion: form.conversion.value,
    revenue: form.revenue.value,
    covariate: form.covariate.value,
    confidence: Number(form.confidence.value),
    correction: form.correction.value,
    alternative: form.alternative.value,
    engine: form.querySelector('input[name="engine"]:checked')?.value ?? 'frequentist',
  };
  settings.experiment = e;
  save();
  return e;
}

$('#variant').addEventListener('change', () => {
  fillControl();
  readExperimentForm();
});
$('#experiment-form').addEventListener('change', () => readExperimentForm());

export function analysisOptions() {
  const e = settings.experiment;
  const segments = {};
  for (const s of settings.segments) {
    segments[s.name] = s.rule ?? {
      builtin: s.builtin,
      options: s.builtin === 'clusters' ? builtinOptions(s) : (s.options ?? {}),
    };
  }
  return {
    segments,
    variant: e.variant,
    control: e.control || undefined,
    conversion: e.conversion || null,
    revenue: e.revenue || null,
    covariate: e.covariate || null,
    confidence: e.confidence,
    correction: e.correction,
    alternative: e.alternative,
    engine: e.engine === 'bayesian' ? 'bayesian' : 'frequentist',
    sequential: e.engine === 'sequential' ? {} : null,
    ...(settings.referenceDate ? { referenceDate: settings.referenceDate } : {}),
  };
}

// --- results -----------------------------------------------------------------------------------------------
const reportView = mount($('#report'), { locale: settings.locale, Plot });
$('#report').addEventListener('segmetry-report', () => {
  $('#export-csv').disabled = false;
  $('#export-json').disabled = false;
});
$('#report').addEventListener('segmetry-error', () => {
  $('#export-csv').disabled = true;
  $('#export-json').disabled = true;
});

$('#experiment-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!meta) return;
  readExperimentForm();
  $('#run-analysis').disabled = true;
  await reportView.update({ dataset: engine.dataset, options: analysisOptions() });
  $('#run-analysis').disabled = false;
  $('#results').scrollIntoView({ behavior: 'smooth', block: 'start' });
});

const stamp = () => new Date().toISOString().slice(0, 10);
$('#export-csv').addEventListener('click', () => reportView.downloadCsv(`segmetry-report-${stamp()}.csv`));
$('#export-json').addEventListener('click', () => reportView.downloadJson(`segmetry-report-${stamp()}.json`));

// --- settings export / import ------------------------------------------------------------------------------
$('#export-settings').addEventListener('click', () => {
  download(JSON.stringify(settings, null, 2) + '\n', 'segmetry-settings.json', 'application/json');
});
$('#import-settings').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  e.target.value = '';
  if (!file) return;
  try {
    settings = validateSettings(JSON.parse(await file.text()));
    save();
    toast(t('settingsImported'));
    applyLanguage();
    $('#reference-date').value = settings.referenceDate;
    if (meta) {
      fillExperimentForm();
      await refreshSizes();
    }
  } catch (err) {
    toast(t('settingsInvalid', { message: err.message }), true);
  }
});

function toast(text, isError = false) {
  const el = $('#toast');
  el.textContent = text;
  el.className = isError ? 'error' : '';
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    el.hidden = true;
  }, 4000);
}

// --- wiring ------------------------------------------------------------------------------------------------
$('#language').addEventListener('change', (e) => {
  settings.locale = e.target.value;
  save();
  applyLanguage();
});
$('#use-demo').addEventListener('click', () => loadData({ demo: { rows: 50_000, seed: 42 } }, 'demo'));
$('#file-input').addEventListener('change', (e) => {
  const file = e.target.files[0];
  e.target.value = '';
  if (file) loadFile(file);
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
  const file = e.dataTransfer?.files?.[0];
  if (file) loadFile(file);
});
dropzone.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    $('#file-input').click();
  }
});

$('#reference-date').value = settings.referenceDate;
applyLanguage();
document.body.dataset.app = 'ready';
// For tests and for people poking at the page: the current settings and the options an analysis would use.
globalThis.segmetryDashboard = {
  get settings() {
    return structuredClone(settings);
  },
  analysisOptions,
};
loadData({ demo: { rows: 50_000, seed: 42 } }, 'demo');
