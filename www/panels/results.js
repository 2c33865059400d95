// The results panel: the package's embeddable report (segmetry/report) fed by the worker's dataset, and the
// CSV / JSON exports of what it shows.
import * as Plot from '@observablehq/plot';
import { mount } from 'segmetry/report';

const $ = (sel) => document.querySelector(sel);

export function createResultsPanel(ctx, experiment) {
  const { store } = ctx;
  const view = mount($('#report'), { locale: store.state.settings.locale, Plot });
  const setExports = (enabled) => {
    $('#export-csv').disabled = !enabled;
    $('#export-json').disabled = !enabled;
  };
  $('#report').addEventListener('segmetry-report', () => setExports(true));
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

  return {
    render() {
      view.update({ locale: store.state.settings.locale });
    },
  };
}
