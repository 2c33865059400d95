// The "Predicted value" panel: BG/NBD + Gamma-Gamma (ds.clv, in the package's worker) on the loaded customers,
// with the spend tiers' sizes and predicted value, the fitted parameters and the observed vs expected
// repeat-purchase chart (docs/clv.md). The inputs are recognised by the loaded data's columns:
// - a customer table with customerFeatures' columns (orders_count, first_order_date, last_order_date, total_spent);
// - the demo table (orders_count, total_spent, signup_date standing in for the first order, last_order_days);
// - a Shopify orders export (Email, Created at, Total; Name, Financial Status when present): customerFeatures
//   turns it into the customer table first, in the worker.
import * as Plot from '@observablehq/plot';
import { segmentName } from 'segmetry/report';
import { demoReferenceDate } from '../demo-data.js';

const $ = (sel) => document.querySelector(sel);

/** A wide table in a horizontally scrolling box, so narrow screens keep their layout. */
function scroll(table) {
  const box = document.createElement('div');
  box.className = 'scroll';
  box.append(table);
  return box;
}

const has = (data, ...names) => names.every((n) => data.columns.some((c) => c.name === n));

// Tier names come translated from the engine (`tier.labels`), the one owner of built-in group names.
const tierName = (tier, settings) => segmentName(tier, settings.locale);

/**
 * How to get the model inputs from the loaded data: `{ kind, options, features }` (`features`: the
 * customerFeatures options to run first, or null), or `{ kind, error }` (an i18n key) when the data do not fit.
 */
export function clvInputs(data, settings) {
  const referenceDate = settings.referenceDate || undefined;
  const ref = referenceDate ? { referenceDate } : {};
  if (has(data, 'orders_count', 'first_order_date', 'last_order_date', 'total_spent')) {
    return { kind: 'customers', options: ref, features: null };
  }
  if (has(data, 'orders_count', 'signup_date', 'last_order_days', 'total_spent')) {
    const reference = referenceDate ?? (data.source === 'demo' ? demoReferenceDate : undefined);
    if (!reference) return { kind: 'demo', error: 'clvNeedReference' };
    const options = { firstOrderDate: 'signup_date', lastOrderDays: 'last_order_days', referenceDate: reference };
    return { kind: 'demo', options, features: null };
  }
  if (has(data, 'Email', 'Created at', 'Total')) {
    const features = {
      customer: 'Email',
      date: 'Created at',
      amount: 'Total',
      ...(has(data, 'Name') ? { order: 'Name' } : {}),
      ...(has(data, 'Financial Status') ? { where: `"Financial Status" IN ('paid', 'partially_refunded')` } : {}),
      ...ref,
    };
    return { kind: 'orders', options: ref, features };
  }
  return { kind: null, error: 'clvNoInputs' };
}

export function createClvPanel(ctx) {
  const { store, t } = ctx;
  let state = null; // { result, kind, ms } | { error } | null
  let runs = 0;

  async function run() {
    const { dataset, data } = store.state;
    const box = $('#clv');
    if (!dataset || !data) return;
    const inputs = clvInputs(data, store.state.settings);
    box.dataset.state = 'running';
    if (inputs.error) {
      state = { error: t(inputs.error) };
      return finish();
    }
    const started = performance.now();
    let features = null;
    try {
      const lang = store.state.settings.locale; // the engine's errors in the interface's language
      if (inputs.features) features = await dataset.customerFeatures({ ...inputs.features, lang });
      const result = await (features ?? dataset).clv({ ...inputs.options, lang });
      await result.customers.free();
      // Tiers become segments only when they were fitted on the table the segments run on (not on features
      // summarised from an orders export).
      const asSegments = features ? null : inputs.options;
      state = { result, kind: inputs.kind, ms: Math.round(performance.now() - started), asSegments };
    } catch (err) {
      state = { error: t('clvError', { message: err.message.split('\n')[0] }) };
    } finally {
      await features?.free();
    }
    finish();
  }

  function finish() {
    render();
    const box = $('#clv');
    box.dataset.state = state?.error ? 'error' : 'ready';
    box.dataset.runs = String(++runs);
  }

  function render() {
    const out = $('#clv-result');
    const error = $('#clv-error');
    out.replaceChildren();
    error.hidden = !state?.error;
    error.textContent = state?.error ?? '';
    if (!state?.result) return;
    const { result, kind, ms } = state;
    const fmt = ctx.fmt();
    const summary = document.createElement('p');
    summary.id = 'clv-summary';
    summary.textContent = t('clvSummary', {
      source: t(`clvSource_${kind}`),
      customers: fmt.integer(result.checks.fitted),
      skipped: fmt.integer(result.checks.skipped),
      days: fmt.integer(result.horizonDays),
      date: result.referenceDate ?? '',
      ms: fmt.integer(ms),
    });
    out.append(summary, scroll(tierTable(result, fmt)));
    if (state.asSegments) out.append(addTiersButton(state.asSegments));
    out.append(tierChart(result, fmt), scroll(paramTable(result, fmt)));
    out.append(histogramChart(result, fmt));
    if (result.checks.warnings.length) {
      const list = document.createElement('ul');
      list.className = 'warnings';
      for (const w of result.checks.warnings) {
        const li = document.createElement('li');
        li.textContent = w;
        list.append(li);
      }
      out.append(list);
    }
  }

  /** Saves the tiers as a built-in segmentation (`spendTier`), so they go to the segment list and the analysis. */
  function addTiersButton(clvOptions) {
    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'clv-add-tiers';
    button.className = 'secondary';
    button.textContent = t('clvAddTiers');
    button.addEventListener('click', async () => {
      button.disabled = true;
      await ctx.addBuiltin('spendTier', { clv: clvOptions });
      button.disabled = false;
    });
    return button;
  }

  function tierTable(result, fmt) {
    const table = document.createElement('table');
    table.id = 'clv-tiers';
    const head = table.createTHead().insertRow();
    for (const key of [
      'clvTier',
      'clvCustomers',
      'clvShare',
      'clvPAlive',
      'clvPurchases',
      'clvValue',
      'clvMeanValue',
    ]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t(key, { days: fmt.integer(result.horizonDays) });
      head.append(th);
    }
    const body = table.createTBody();
    const total = result.tiers.reduce((s, tier) => s + tier.customers, 0);
    const num = (v, f) => (v === null || v === undefined ? '–' : f(v));
    for (const tier of result.tiers) {
      const row = body.insertRow();
      row.dataset.tier = tier.name;
      row.dataset.customers = String(tier.customers);
      row.insertCell().textContent = tierName(tier, store.state.settings);
      const cells = [
        fmt.integer(tier.customers),
        fmt.percent(total ? tier.customers / total : 0),
        num(tier.meanPAlive, fmt.percent),
        num(tier.expectedPurchases, fmt.integer),
        num(tier.clv, fmt.integer),
        num(tier.meanClv, fmt.decimal),
      ];
      for (const text of cells) {
        const cell = row.insertCell();
        cell.className = 'num';
        cell.textContent = text;
      }
    }
    return table;
  }

  function tierChart(result, fmt) {
    const data = result.tiers.map((tier) => ({
      tier: tierName(tier, store.state.settings),
      customers: tier.customers,
    }));
    const chart = Plot.plot({
      width: 520,
      height: 40 + data.length * 32,
      marginLeft: 110,
      x: { label: t('clvCustomers'), grid: true },
      y: { domain: data.map((d) => d.tier), label: null },
      marks: [
        Plot.barX(data, { x: 'customers', y: 'tier', fill: '#3b6ea5', title: (d) => fmt.integer(d.customers) }),
        Plot.ruleX([0]),
      ],
    });
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', t('clvTierChart'));
    return chart;
  }

  function paramTable(result, fmt) {
    const table = document.createElement('table');
    table.id = 'clv-params';
    const head = table.createTHead().insertRow();
    for (const key of ['clvParam', 'clvEstimate', 'clvStdError']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t(key);
      head.append(th);
    }
    const body = table.createTBody();
    const names = { r: 'r', alpha: 'α', a: 'a', b: 'b', p: 'p', q: 'q', gamma: 'γ' };
    const digits = new Intl.NumberFormat(fmt.locale, { maximumSignificantDigits: 4 });
    const precise = (v) => (v === null ? '–' : digits.format(v));
    for (const [key, label] of Object.entries(names)) {
      if (result.params[key] === null) continue;
      const row = body.insertRow();
      row.dataset.param = key;
      row.insertCell().textContent = label;
      for (const v of [result.params[key], result.standardErrors[key]]) {
        const cell = row.insertCell();
        cell.className = 'num';
        cell.textContent = precise(v);
      }
    }
    const caption = table.createCaption();
    caption.textContent = t('clvParams', { ll: fmt.integer(result.logLikelihood.bgnbd) });
    return table;
  }

  function histogramChart(result) {
    const { labels, observed, expected } = result.checks.histogram;
    const data = labels.flatMap((label, i) => [
      { label, series: t('clvObserved'), customers: observed[i] },
      { label, series: t('clvExpected'), customers: expected[i] },
    ]);
    const chart = Plot.plot({
      width: 520,
      height: 240,
      x: { domain: labels, label: t('clvRepeatPurchases') },
      y: { label: t('clvCustomers'), grid: true },
      color: { legend: true, domain: [t('clvObserved'), t('clvExpected')], range: ['#3b6ea5', '#e39d3a'] },
      marks: [
        // Observed as bars, the model's expectation as dots on them: close dots = a good fit.
        Plot.barY(
          data.filter((_, i) => i % 2 === 0),
          { x: 'label', y: 'customers', fill: 'series' },
        ),
        Plot.dot(
          data.filter((_, i) => i % 2 === 1),
          { x: 'label', y: 'customers', fill: 'series', r: 4 },
        ),
        Plot.ruleY([0]),
      ],
    });
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', t('clvHistogram'));
    const figure = document.createElement('figure');
    figure.id = 'clv-histogram';
    const caption = document.createElement('figcaption');
    caption.textContent = t('clvHistogram');
    figure.append(caption, chart);
    return figure;
  }

  $('#run-clv').addEventListener('click', run);
  store.subscribe((_, keys) => {
    if (keys.includes('data')) {
      state = null;
      render();
    }
  });

  return { run, render };
}
