// The experiment panel: which columns play which part. Pickers offer only columns whose engine-reported `kind`
// fits: the variant a few-valued column, conversion a bool or number, revenue and covariate numbers only. The
// metric picker adds named metrics (proportion, mean, ratio, NPS; goal, secondary or guardrail), each offering
// only the columns its type reads.
import { builtinOptions, columnsOfKind } from '../store.js';

const $ = (sel) => document.querySelector(sel);

/** Most groups a variant column may have to be offered. */
const MAX_VARIANTS = 20;

const METRIC_TYPES = { proportion: 'typeProportion', mean: 'typeMean', ratio: 'typeRatio', nps: 'typeNps' };
const METRIC_ROLES = { goal: 'roleGoal', secondary: 'roleSecondary', guardrail: 'roleGuardrail' };

/** The column kinds each metric type reads (as the engine checks them: docs/analysis.md, "Several metrics"). */
const KINDS_OF_TYPE = {
  proportion: ['bool', 'number', 'text'],
  mean: ['number'],
  ratio: ['number', 'bool'],
  nps: ['number'],
};

export function createExperimentPanel(ctx) {
  const { store, t } = ctx;

  function fillSelect(select, options, value, { allowNone = false } = {}) {
    select.replaceChildren();
    if (allowNone) select.append(new Option(t('none'), ''));
    for (const o of options) select.append(new Option(o, o));
    select.value = options.includes(value) ? value : allowNone ? '' : (options[0] ?? '');
  }

  const names = (columns) => columns.map((c) => c.name);

  // ---- the metric picker (built here: the form in index.html has no slot for it) ----
  let metricList = null;

  function element(tag, props = {}, i18n) {
    const el = Object.assign(document.createElement(tag), props);
    if (i18n) {
      el.dataset.i18n = i18n;
      el.textContent = t(i18n);
    }
    return el;
  }

  function labelled(key, control) {
    const label = element('label', { className: 'metric-field' });
    Object.assign(label.style, { display: 'flex', flexDirection: 'column', gap: '0.2rem' });
    label.append(element('span', {}, key), control);
    return label;
  }

  function choice(className, values, labels, value) {
    const select = element('select', { className });
    for (const v of values) select.append(labels ? element('option', { value: v }, labels[v]) : new Option(v, v));
    select.value = values.includes(value) ? value : (values[0] ?? '');
    return select;
  }

  function metricPicker() {
    if (metricList) return;
    const box = element('fieldset', { className: 'span metric-picker', id: 'metric-picker' });
    box.append(element('legend', {}, 'metrics'), element('p', { className: 'hint' }, 'metricsHint'));
    metricList = element('div', { className: 'metric-list' });
    const add = element('button', { type: 'button', id: 'add-metric', className: 'link' }, 'addMetric');
    add.addEventListener('click', () => {
      const metrics = [...(store.state.settings.experiment.metrics ?? [])];
      const taken = new Set(metrics.map((m) => m.name));
      let k = metrics.length + 1;
      while (taken.has(`metric_${k}`)) k += 1;
      metrics.push({ name: `metric_${k}`, type: 'proportion', column: '', denominator: '', role: 'goal' });
      store.setSettings({ experiment: { ...store.state.settings.experiment, metrics } });
      renderMetrics();
    });
    // A new type offers other columns: re-render after the form's change handler saved it.
    metricList.addEventListener('change', (e) => {
      if (e.target.classList.contains('metric-type')) queueMicrotask(renderMetrics);
    });
    metricList.addEventListener('click', (e) => {
      const row = e.target.closest('[data-metric]');
      if (!e.target.classList.contains('remove-metric') || !row) return;
      const metrics = (store.state.settings.experiment.metrics ?? []).filter(
        (_, i) => i !== Number(row.dataset.metric),
      );
      store.setSettings({ experiment: { ...store.state.settings.experiment, metrics } });
      renderMetrics();
    });
    box.append(metricList, add);
    // Above the run button when it is in the form; the layout is set here (CSSOM, allowed by the page's CSP).
    const run = $('#experiment-form #run-analysis');
    if (run) run.before(box);
    else $('#experiment-form').append(box);
  }

  function renderMetrics() {
    const { data, settings } = store.state;
    if (!data) return;
    metricPicker();
    metricList.replaceChildren();
    (settings.experiment.metrics ?? []).forEach((m, i) => {
      const row = element('div', { className: 'metric-row' });
      Object.assign(row.style, { display: 'flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'end' });
      row.style.marginBottom = '0.75rem';
      row.dataset.metric = String(i);
      const type = m.type in METRIC_TYPES ? m.type : 'proportion';
      // Kinds in order of fit (a proportion's bool columns first), so the default column is a likely one.
      const fits = KINDS_OF_TYPE[type].flatMap((kind) => names(columnsOfKind(data, kind)));
      const column = fits.includes(m.column) ? m.column : fits[0];
      const denominator = choice('metric-denominator', fits, null, m.denominator || fits.find((c) => c !== column));
      const denominatorField = labelled('metricDenominator', denominator);
      denominatorField.hidden = type !== 'ratio';
      row.append(
        labelled('metricName', element('input', { className: 'metric-name', type: 'text', value: m.name ?? '' })),
        labelled('metricType', choice('metric-type', Object.keys(METRIC_TYPES), METRIC_TYPES, type)),
        labelled('metricColumn', choice('metric-column', fits, null, column)),
        denominatorField,
        labelled('metricRole', choice('metric-role', Object.keys(METRIC_ROLES), METRIC_ROLES, m.role)),
        element('button', { type: 'button', className: 'link remove-metric' }, 'removeMetric'),
      );
      metricList.append(row);
    });
  }

  /** The picker's rows as settings: `[{ name, type, column, denominator, role }]`. */
  function readMetrics() {
    if (!metricList) return store.state.settings.experiment.metrics ?? [];
    return [...metricList.querySelectorAll('[data-metric]')].map((row) => ({
      name: row.querySelector('.metric-name').value.trim(),
      type: row.querySelector('.metric-type').value,
      column: row.querySelector('.metric-column').value,
      denominator: row.querySelector('.metric-denominator').value,
      role: row.querySelector('.metric-role').value,
    }));
  }

  /** `analyze`'s `metrics` option from the settings (rows without a name or column are left out). */
  function metricsOption(metrics) {
    const out = {};
    for (const m of metrics ?? []) {
      if (!m.name || !m.column || Object.hasOwn(out, m.name)) continue;
      out[m.name] =
        m.type === 'ratio'
          ? { type: 'ratio', numerator: m.column, denominator: m.denominator || m.column, role: m.role }
          : { column: m.column, type: m.type, role: m.role };
    }
    return out;
  }

  function fill() {
    const { data, settings } = store.state;
    if (!data) return;
    const e = settings.experiment;
    const categorical = names(
      columnsOfKind(data, 'text', 'number', 'bool').filter(
        (c) => c.profile.distinctExact && c.profile.distinct >= 1 && c.profile.distinct <= MAX_VARIANTS,
      ),
    );
    const variantGuess = categorical.find((n) => /variant|group|arm|bucket/i.test(n)) ?? categorical[0];
    fillSelect(
      $('#variant'),
      categorical.length ? categorical : names(data.columns),
      categorical.includes(e.variant) ? e.variant : variantGuess,
    );
    fillControl();
    const numberOrBool = names(columnsOfKind(data, 'bool', 'number'));
    const bools = names(columnsOfKind(data, 'bool'));
    fillSelect($('#conversion'), numberOrBool, numberOrBool.includes(e.conversion) ? e.conversion : bools[0]);
    const numbers = names(columnsOfKind(data, 'number'));
    fillSelect($('#revenue'), numbers, e.revenue, { allowNone: true });
    fillSelect($('#covariate'), numbers, e.covariate, { allowNone: true });
    $('#confidence').value = String(e.confidence);
    $('#correction').value = e.correction;
    $('#alternative').value = e.alternative;
    for (const r of document.querySelectorAll('input[name="engine"]')) r.checked = r.value === e.engine;
    renderMetrics();
  }

  /** The control group: one of the variant column's values (from its profile). */
  function fillControl() {
    const column = store.state.data?.columns.find((c) => c.name === $('#variant').value);
    const values = (column?.profile.top ?? []).map((v) => v.value).sort();
    fillSelect($('#control'), values, store.state.settings.experiment.control);
  }

  function read() {
    const form = $('#experiment-form');
    const experiment = {
      variant: form.variant.value,
      control: form.control.value,
      conversion: form.conversion.value,
      revenue: form.revenue.value,
      covariate: form.covariate.value,
      confidence: Number(form.confidence.value),
      correction: form.correction.value,
      alternative: form.alternative.value,
      engine: form.querySelector('input[name="engine"]:checked')?.value ?? 'frequentist',
      metrics: readMetrics(),
    };
    store.setSettings({ experiment });
    return experiment;
  }

  /** The options `analyze` gets: the saved segments and the experiment settings. */
  function analysisOptions() {
    const { settings, data } = store.state;
    const e = settings.experiment;
    const segments = {};
    for (const s of settings.segments) {
      if (store.state.sizes.get(s.name)?.error) continue; // marked in the list as not fitting this table
      segments[s.name] = s.rule ?? {
        builtin: s.builtin,
        options: s.builtin === 'clusters' ? builtinOptions(settings, data, s) : (s.options ?? {}),
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
      ...(Object.keys(metricsOption(e.metrics)).length ? { metrics: metricsOption(e.metrics) } : {}),
      ...(settings.referenceDate ? { referenceDate: settings.referenceDate } : {}),
      // The engine words option, column and metric errors in the dashboard's language.
      lang: settings.locale,
    };
  }

  $('#variant').addEventListener('change', () => {
    fillControl();
    read();
  });
  $('#experiment-form').addEventListener('change', () => read());
  store.subscribe((_, keys) => {
    if (keys.includes('data')) fill();
  });

  return { fill, read, analysisOptions };
}
