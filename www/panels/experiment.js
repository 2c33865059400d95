// The experiment panel: which columns play which part. Pickers offer only columns whose engine-reported `kind`
// fits: the variant a few-valued column, conversion a bool or number, revenue and covariate numbers only.
import { builtinOptions, columnsOfKind } from '../store.js';

const $ = (sel) => document.querySelector(sel);

/** Most groups a variant column may have to be offered. */
const MAX_VARIANTS = 20;

export function createExperimentPanel(ctx) {
  const { store, t } = ctx;

  function fillSelect(select, options, value, { allowNone = false } = {}) {
    select.replaceChildren();
    if (allowNone) select.append(new Option(t('none'), ''));
    for (const o of options) select.append(new Option(o, o));
    select.value = options.includes(value) ? value : allowNone ? '' : (options[0] ?? '');
  }

  const names = (columns) => columns.map((c) => c.name);

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
      ...(settings.referenceDate ? { referenceDate: settings.referenceDate } : {}),
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
