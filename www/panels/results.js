// The results panel: the package's embeddable report (segmetry/report) fed by the worker's dataset, the CSV /
// JSON exports of what it shows, and a marker on every comparison whose normal approximation the engine flags as
// unreliable (small counts), so a reader sees it next to the number, not only in the report's warning list.
import * as Plot from '@observablehq/plot';
import { mount } from 'segmetry/report';

const $ = (sel) => document.querySelector(sel);

export function createResultsPanel(ctx, experiment) {
  const { store } = ctx;
  const view = mount($('#report'), { locale: store.state.settings.locale, Plot });
  const setExports = (enabled) => {
    $('#export-csv').disabled = !enabled;
    $('#export-json').disabled = !enabled;
    // Named metrics have their own long-format CSV (one row per segment × variant × metric).
    const metrics =
      enabled && view.report?.segments?.some((s) => s.variants.some((v) => Object.keys(v.metrics ?? {}).length));
    $('#export-metrics').disabled = !metrics;
  };
  $('#report').addEventListener('segmetry-report', (event) => {
    setExports(true);
    markUnreliable(event.detail.report, ctx.t);
  });
  $('#report').addEventListener('segmetry-error', () => setExports(false));

  $('#experiment-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const { dataset } = store.state;
    if (!dataset) return;
    experiment.read();
    $('#run-analysis').disabled = true;
    await view.update({ dataset, options: experiment.analysisOptions() });
    $('#run-analysis').disabled = false;
    $('#results').scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
  const stamp = () => new Date().toISOString().slice(0, 10);
  $('#export-csv').addEventListener('click', () => view.downloadCsv(`segmetry-report-${stamp()}.csv`));
  $('#export-json').addEventListener('click', () => view.downloadJson(`segmetry-report-${stamp()}.json`));
  $('#export-metrics').addEventListener('click', () => view.downloadMetricsCsv(`segmetry-metrics-${stamp()}.csv`));

  return {
    render() {
      view.update({ locale: store.state.settings.locale });
    },
  };
}

/** The report table's column of each comparison (see segmetry/report's `data-field`s). */
const COMPARISON_FIELDS = [
  ['conversionVsControl', 'lift'],
  ['revenueVsControl', 'revenueLift'],
];

/**
 * Append a ⚠ marker, titled with the engine's warning, to the lift cell of each comparison whose `warning` starts
 * with `unreliable:` (the core's small-sample flag). Runs after each render, which rebuilds the table.
 */
function markUnreliable(report, t) {
  for (const segment of report?.segments ?? []) {
    const section = [...document.querySelectorAll('#report section[data-segment]')].find(
      (el) => el.dataset.segment === segment.name,
    );
    if (!section) continue;
    for (const variant of segment.variants ?? []) {
      const row = [...section.querySelectorAll('tr[data-variant]')].find(
        (el) => el.dataset.variant === variant.variant,
      );
      for (const [key, field] of COMPARISON_FIELDS) {
        const warning = variant[key]?.warning;
        const cell = row?.querySelector(`td[data-field="${field}"]`);
        if (!cell || typeof warning !== 'string' || !warning.startsWith('unreliable')) continue;
        const title = `${t('unreliableResult')}: ${warning}`;
        const marker = document.createElement('span');
        marker.className = 'unreliable-marker';
        marker.dataset.unreliable = 'true';
        marker.textContent = ' ⚠';
        marker.title = title;
        marker.setAttribute('role', 'img');
        marker.setAttribute('aria-label', title);
        marker.style.cursor = 'help';
        cell.append(marker);
      }
    }
  }
}
