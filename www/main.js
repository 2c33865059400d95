// The segmetry dashboard: a client of the package. The engine runs in the package's own worker client
// (createClient from segmetry/client): files, segments, completion, profiles and the analysis all go through it,
// and its errors are the package's SegmetryError. The page is four panels over one store (store.js): data,
// segments, experiment, results. Only settings (never data) are kept, in localStorage.
import { createClient } from 'segmetry/client';
import { download, formatters } from 'segmetry/report';
import { translator } from './i18n.js';
import { createStore, validateSettings } from './store.js';
import { createDataPanel } from './panels/data.js';
import { createSegmentsPanel } from './panels/segments.js';
import { createExperimentPanel } from './panels/experiment.js';
import { createResultsPanel } from './panels/results.js';
import { createWorkspace } from './panels/workspace.js';
import { createClvPanel } from './panels/clv.js';

const $ = (sel) => document.querySelector(sel);

const store = createStore();
let t = translator(store.state.settings.locale);
let fmt = formatters(store.state.settings.locale);

/** What every panel shares: the store, the client, and the current language's words and number formats. */
const ctx = {
  store,
  client: createClient(),
  t: (...args) => t(...args),
  fmt: () => fmt,
  refreshSizes: () => segments.refreshSizes(),
  addBuiltin: (kind, options) => segments.addBuiltin(kind, options),
};
const data = createDataPanel(ctx);
ctx.workspace = createWorkspace(ctx, data);
const segments = createSegmentsPanel(ctx);
const experiment = createExperimentPanel(ctx);
const results = createResultsPanel(ctx, experiment);
const clv = createClvPanel(ctx);

function applyLanguage() {
  const { locale } = store.state.settings;
  t = translator(locale);
  fmt = formatters(locale);
  document.documentElement.lang = locale;
  $('#language').value = locale;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  const pct = new Intl.NumberFormat(fmt.locale, { style: 'percent', maximumFractionDigits: 1 });
  for (const opt of $('#confidence').options) opt.textContent = pct.format(Number(opt.value));
  data.render();
  ctx.workspace.render();
  segments.render();
  results.render();
  clv.render();
}

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

$('#language').addEventListener('change', (e) => {
  store.setSettings({ locale: e.target.value });
  applyLanguage();
});
$('#export-settings').addEventListener('click', () => {
  download(JSON.stringify(store.state.settings, null, 2) + '\n', 'segmetry-settings.json', 'application/json');
});
$('#import-settings').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  e.target.value = '';
  if (!file) return;
  try {
    store.set({ settings: validateSettings(JSON.parse(await file.text())) });
    toast(t('settingsImported'));
    applyLanguage();
    $('#reference-date').value = store.state.settings.referenceDate;
    if (store.state.data) {
      experiment.fill();
      await segments.refreshSizes();
    }
  } catch (err) {
    toast(t('settingsInvalid', { message: err.message }), true);
  }
});

$('#reference-date').value = store.state.settings.referenceDate;
applyLanguage();
document.body.dataset.app = 'ready';
// For tests and for people poking at the page: the current settings and the options an analysis would use.
globalThis.segmetryDashboard = {
  get settings() {
    return structuredClone(store.state.settings);
  },
  analysisOptions: () => experiment.analysisOptions(),
};
data.load({ demo: { rows: 50_000, seed: 42 } }, 'demo');
