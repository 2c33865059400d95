// segmetry/report: an embeddable, framework-agnostic view of an A/B analysis: a table per segment × variant,
// charts (with Observable Plot, passed in by the host), warnings and heterogeneity. The segmetry dashboard's
// results panel is this component.
//
//   import { mount } from 'segmetry/report';
//   const view = mount(element, { dataset, options: { variant: 'variant', control: 'A' }, locale: 'fi', Plot });
//   await view.ready;          // view.report is the analysis report
//   view.update({ options });  // re-run with other options
//
// `dataset` is a Dataset from `loadDataset` or a worker-client dataset: anything whose `analyze(options)` returns
// a report or a promise of one. Pass `report` instead to show a report computed elsewhere.
import { translator, formatters, languageOf, segmentName, segmentDescription } from './i18n.js';
import { conversionChart, forestChart, posteriorChart, themeOf } from './charts.js';
import { adoptStyles } from './styles.js';
import { reportToCsv, reportToJson, metricsToCsv, download } from './export.js';

export { reportToCsv, reportToJson, metricsToCsv, membersToCsv, download } from './export.js';
export { messages, formatters, translator, languageOf, segmentName, segmentDescription } from './i18n.js';
export { reportCss } from './styles.js';

const finite = (x) => typeof x === 'number' && Number.isFinite(x);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (
      k.startsWith('data-') ||
      k.startsWith('aria-') ||
      k === 'role' ||
      k === 'scope' ||
      k === 'title' ||
      k === 'colspan' ||
      k === 'tabindex'
    )
      el.setAttribute(k, v === true ? '' : String(v));
    else el[k] = v;
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Render a report into `container` (replacing its content). Returns nothing; pure DOM. */
export function renderReport(container, report, state = {}) {
  const { locale, Plot, charts = true, messages: extra } = state;
  const t = translator(locale, extra);
  const fmt = formatters(locale);
  const confidence = report.options?.confidence ?? 0.95;
  const bayesian = report.options?.engine === 'bayesian';
  const ci = bayesian ? t('credibleInterval') : t('interval');
  const control = report.control ?? report.segments?.[0]?.variants?.[0]?.variant;
  container.replaceChildren();

  // Warnings first: a person should see SRM and small-sample issues before the numbers.
  if (report.warnings?.length) {
    container.append(
      h(
        'details',
        { class: 'sr-warnings', open: report.warnings.length <= 4, 'data-warnings': report.warnings.length },
        h('summary', { text: `${t('warnings')} (${fmt.integer(report.warnings.length)})` }),
        h(
          'ul',
          {},
          report.warnings.map((w) =>
            h(
              'li',
              { 'data-code': w.code },
              h('strong', { text: [w.segment, w.variant].filter(Boolean).join(' · ') || w.code }),
              ': ',
              w.message,
            ),
          ),
        ),
      ),
    );
  }

  if (charts) {
    const available = container.clientWidth || 900;
    const width = Math.round(Math.max(320, Math.min(760, (available >= 940 ? available / 2 : available) - 40)));
    const grid = h('div', { class: 'sr-charts' });
    const figure = (key, title, note, draw) => {
      const fig = h('figure', { 'data-chart': key }, h('figcaption', { text: title }), h('p', { text: note }));
      if (!Plot) fig.append(h('p', { class: 'sr-note', text: t('chartsUnavailable') }));
      else {
        try {
          const svg = draw();
          if (svg) {
            svg.setAttribute('role', 'img');
            svg.setAttribute('aria-label', title);
            fig.append(svg);
          }
        } catch (err) {
          fig.append(h('p', { class: 'sr-note', text: String(err?.message ?? err) }));
        }
      }
      grid.append(fig);
    };
    const theme = themeOf(container);
    const ctx = { t, fmt, width, theme, locale };
    figure(
      'conversion',
      t('conversionBySegment'),
      `${t('conversionBySegmentNote')} (${fmt.percent(confidence)} ${ci.toLowerCase()})`,
      () => conversionChart(Plot, report, ctx),
    );
    figure('forest', t('forest'), t('forestNote'), () => forestChart(Plot, report, ctx));
    if (bayesian) figure('posterior', t('posterior'), t('posteriorNote'), () => posteriorChart(Plot, report, ctx));
    else
      grid.append(
        h(
          'figure',
          { 'data-chart': 'posterior' },
          h('figcaption', { text: t('posterior') }),
          h('p', { text: t('posteriorFrequentist') }),
        ),
      );
    container.append(grid);
  }

  // The named metrics: a picker choosing which one gets a full results table under each segment.
  const metricNames = [
    ...new Set((report.segments ?? []).flatMap((s) => s.variants.flatMap((v) => Object.keys(v.metrics ?? {})))),
  ];
  const picked = metricNames.includes(state.metric) ? state.metric : metricNames[0];
  if (metricNames.length) {
    const select = h(
      'select',
      { 'data-control': 'metric', 'aria-label': t('metricPicker') },
      metricNames.map((name) => h('option', { value: name, text: name, selected: name === picked })),
    );
    select.addEventListener('change', () => {
      state.metric = select.value;
      renderReport(container, report, state);
      container.querySelector('select[data-control="metric"]')?.focus();
    });
    container.append(h('p', { class: 'sr-picker' }, h('label', {}, `${t('metricPicker')} `, select)));
  }

  for (const segment of report.segments ?? []) {
    const section = h('section', { class: 'sr-segment', 'data-segment': segment.name });
    const srm = segment.srm;
    section.append(
      h(
        'h4',
        {},
        h('span', { text: segmentName(segment, locale), title: segmentDescription(segment, locale) }),
        h('span', { class: 'sr-meta', text: finite(segment.size) ? `${fmt.integer(segment.size)} ${t('size')}` : '' }),
        srm
          ? h('span', {
              class: `sr-badge ${srm.mismatch ? 'sr-bad' : 'sr-ok'}`,
              'data-srm': srm.mismatch ? 'mismatch' : 'ok',
              title: `${t('srm')}: χ² = ${fmt.decimal(srm.statistic)}, p = ${fmt.pValue(srm.pValue)}`,
              text: srm.mismatch ? `${t('srmShort')} p ${fmt.pValue(srm.pValue)}` : t('srmOk'),
            })
          : null,
      ),
    );
    if (segment.rule) section.append(h('code', { class: 'sr-meta', text: segment.rule }));

    const hasRevenue = segment.variants.some((v) => finite(v.revenueMean));
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col', text: t('variant') }),
      h('th', { scope: 'col', text: t('users') }),
      h('th', { scope: 'col', text: t('conversions') }),
      h('th', { scope: 'col', text: `${t('conversionRate')} (${ci.toLowerCase()})` }),
      h('th', { scope: 'col', text: t('lift') }),
      bayesian ? null : h('th', { scope: 'col', text: t('pValue') }),
      bayesian ? null : h('th', { scope: 'col', text: t('adjustedPValue') }),
      h('th', { scope: 'col', text: t('chanceToWin') }),
      hasRevenue ? h('th', { scope: 'col', text: t('revenueMean') }) : null,
      hasRevenue ? h('th', { scope: 'col', text: t('revenueLift') }) : null,
    );
    const body = h('tbody');
    for (const v of segment.variants) {
      const c = v.conversionVsControl;
      const r = v.revenueVsControl;
      const isControl = v.variant === control;
      const cell = (field, value, text, sub, cls) =>
        h(
          'td',
          { 'data-field': field, 'data-value': finite(value) ? String(value) : '', class: cls },
          text,
          sub ? h('small', { text: sub }) : null,
        );
      const direction = (cmp) =>
        !cmp || !finite(cmp.lower) ? undefined : cmp.lower > 0 ? 'sr-pos' : cmp.upper < 0 ? 'sr-neg' : undefined;
      body.append(
        h(
          'tr',
          { 'data-variant': v.variant, 'data-control': isControl ? 'true' : undefined },
          h(
            'th',
            { scope: 'row' },
            v.variant,
            isControl ? h('span', { class: 'sr-control', text: ` (${t('controlShort')})` }) : null,
          ),
          cell('n', v.n, v.suppressed ? t('suppressed') : fmt.integer(v.n)),
          cell('conversions', v.conversions, fmt.integer(v.conversions)),
          cell(
            'conversionRate',
            v.conversionRate,
            fmt.percent(v.conversionRate),
            fmt.interval(v.conversionInterval?.lower, v.conversionInterval?.upper),
          ),
          cell(
            'lift',
            c?.estimate,
            c ? fmt.signedPercent(c.estimate) : '–',
            c ? fmt.interval(c.lower, c.upper, fmt.signedPercent) : null,
            direction(c),
          ),
          bayesian ? null : cell('pValue', c?.pValue, c ? fmt.pValue(c.pValue) : '–'),
          bayesian ? null : cell('adjustedPValue', c?.adjustedPValue, c ? fmt.pValue(c.adjustedPValue) : '–'),
          cell('chanceToWin', c?.chanceToWin, c && finite(c.chanceToWin) ? fmt.probability(c.chanceToWin) : '–'),
          hasRevenue ? cell('revenueMean', v.revenueMean, fmt.decimal(v.revenueMean)) : null,
          hasRevenue
            ? cell(
                'revenueLift',
                r?.estimate,
                r ? fmt.signedPercent(r.estimate) : '–',
                r ? fmt.interval(r.lower, r.upper, fmt.signedPercent) : null,
                direction(r),
              )
            : null,
        ),
      );
    }
    section.append(h('div', { class: 'sr-scroll' }, h('table', {}, h('thead', {}, head), body)));
    if (picked) section.append(metricTable(segment, control, picked, { t, fmt, bayesian, ci }));
    const overview = metricsOverview(segment, control, { t, fmt, bayesian });
    if (overview) section.append(overview);
    container.append(section);
  }

  const het = report.heterogeneity;
  if (het?.tests?.length) {
    container.append(h('h3', { text: t('heterogeneity') }));
    container.append(
      h(
        'div',
        { class: 'sr-scroll' },
        h(
          'table',
          { 'data-table': 'heterogeneity' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col', text: t('variant') }),
              h('th', { scope: 'col', text: t('metric') }),
              h('th', { scope: 'col', text: t('heterogeneityTest') }),
              h('th', { scope: 'col', text: 'I²' }),
              h('th', { scope: 'col', text: t('pValue') }),
            ),
          ),
          h(
            'tbody',
            {},
            het.tests.map((x) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row', text: x.variant }),
                h('td', { text: x.metric === 'revenue' ? t('metricRevenue') : t('metricConversion') }),
                h('td', { text: fmt.decimal(x.q) }),
                h('td', { text: fmt.percent(x.iSquared) }),
                h('td', { text: fmt.pValue(x.pValue) }),
              ),
            ),
          ),
        ),
      ),
    );
    if (het.caveat) container.append(h('p', { class: 'sr-note', text: het.caveat }));
  }
}

/** A metric's value as shown: rates and NPS as percentages (NPS as points), means and ratios as decimals. */
function metricValue(m, fmt) {
  if (m.type === 'proportion') return fmt.percent(m.estimate);
  if (m.type === 'nps') return fmt.decimal(m.estimate * 100);
  return fmt.decimal(m.estimate);
}

/** The counts a metric's type reports, as [label key, value, text] (docs/analysis.md, "Several metrics"). */
function metricCounts(m, fmt) {
  if (m.type === 'proportion') return [['conversions', m.conversions, fmt.integer(m.conversions)]];
  if (m.type === 'ratio')
    return [
      ['numeratorSum', m.numeratorSum, fmt.decimal(m.numeratorSum)],
      ['denominatorSum', m.denominatorSum, fmt.decimal(m.denominatorSum)],
    ];
  if (m.type === 'nps')
    return [
      ['promoters', m.promoters, fmt.integer(m.promoters)],
      ['detractors', m.detractors, fmt.integer(m.detractors)],
    ];
  return [['sum', m.sum, fmt.decimal(m.sum)]];
}

/**
 * One named metric of one segment as a full results table: rows = variants; the units, the counts of its type,
 * the estimate with its interval and, for a treatment, the change against control with p-values (or the chance to
 * win) and the verdict read in the metric's good direction.
 */
function metricTable(segment, control, name, { t, fmt, bayesian, ci }) {
  const first = segment.variants.map((v) => v.metrics?.[name]).find(Boolean);
  if (!first) return null;
  const counts = metricCounts(first, fmt).map(([key]) => key);
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', text: t('variant') }),
    h('th', { scope: 'col', text: t('users') }),
    counts.map((key) => h('th', { scope: 'col', text: t(key) })),
    h('th', { scope: 'col', text: `${t('estimate')} (${ci.toLowerCase()})` }),
    h('th', { scope: 'col', text: t('lift') }),
    bayesian ? null : h('th', { scope: 'col', text: t('pValue') }),
    bayesian ? null : h('th', { scope: 'col', text: t('adjustedPValue') }),
    h('th', { scope: 'col', text: t('chanceToWin') }),
  );
  const cell = (field, value, text, sub, attrs = {}) =>
    h(
      'td',
      { 'data-field': field, 'data-value': finite(value) ? String(value) : '', ...attrs },
      text,
      sub ? h('small', { text: sub }) : null,
    );
  const rows = segment.variants.map((v) => {
    const m = v.metrics?.[name];
    const label = h(
      'th',
      { scope: 'row' },
      v.variant,
      v.variant === control ? h('span', { class: 'sr-control', text: ` (${t('controlShort')})` }) : null,
    );
    if (!m) return h('tr', { 'data-variant': v.variant }, label);
    const c = m.vsControl;
    const verdict = verdictOf(m);
    const shown = m.type === 'nps' ? (x) => fmt.decimal(x * 100) : m.type === 'proportion' ? fmt.percent : fmt.decimal;
    return h(
      'tr',
      { 'data-variant': v.variant, 'data-control': v.variant === control ? 'true' : undefined },
      label,
      cell('n', m.n, fmt.integer(m.n)),
      metricCounts(m, fmt).map(([key, value, text]) => cell(key, value, text)),
      cell('estimate', m.estimate, metricValue(m, fmt), fmt.interval(m.interval?.lower, m.interval?.upper, shown)),
      cell(
        'lift',
        c?.estimate,
        c ? fmt.signedPercent(c.estimate) : '–',
        c ? fmt.interval(c.lower, c.upper, fmt.signedPercent) : null,
        {
          class: verdict === 'better' ? 'sr-pos' : verdict === 'worse' ? 'sr-neg' : undefined,
          'data-verdict': verdict,
        },
      ),
      bayesian ? null : cell('pValue', c?.pValue, c ? fmt.pValue(c.pValue) : '–'),
      bayesian ? null : cell('adjustedPValue', c?.adjustedPValue, c ? fmt.pValue(c.adjustedPValue) : '–'),
      cell('chanceToWin', c?.chanceToWin, c && finite(c.chanceToWin) ? fmt.probability(c.chanceToWin) : '–'),
    );
  });
  return h(
    'div',
    { class: 'sr-metric' },
    h('h5', {}, name, h('small', { text: ` ${t(`type_${first.type}`)} · ${t(`role_${first.role ?? 'goal'}`)}` })),
    h(
      'div',
      { class: 'sr-scroll' },
      h('table', { 'data-table': 'metric', 'data-metric': name }, h('thead', {}, head), h('tbody', {}, rows)),
    ),
  );
}

/** A metric cell's verdict: the interval (one-sided for guardrails) above or below 0, in its good direction. */
function verdictOf(m) {
  const c = m.vsControl;
  if (!c) return 'control';
  const rise = c.lower > 0 ? 1 : c.upper < 0 ? -1 : 0;
  const good = rise * (m.higherIsBetter === false ? -1 : 1);
  return good > 0 ? 'better' : good < 0 ? 'worse' : 'inconclusive';
}

/**
 * The named metrics of one segment (analyze's `metrics` option): rows = metrics, columns = variants; a treatment's
 * cell adds its change against control and is coloured by the verdict (interval above or below 0). Null when the
 * analysis has no named metrics.
 */
function metricsOverview(segment, control, { t, fmt, bayesian }) {
  const names = [...new Set(segment.variants.flatMap((v) => Object.keys(v.metrics ?? {})))];
  if (!names.length) return null;
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', text: t('metric') }),
    segment.variants.map((v) =>
      h('th', { scope: 'col', text: v.variant === control ? `${v.variant} (${t('controlShort')})` : v.variant }),
    ),
  );
  const rows = names.map((name) => {
    const first = segment.variants.map((v) => v.metrics?.[name]).find(Boolean);
    return h(
      'tr',
      { 'data-metric': name },
      h('th', { scope: 'row' }, name, h('small', { text: ` ${t(`role_${first?.role ?? 'goal'}`)}` })),
      segment.variants.map((v) => {
        const m = v.metrics?.[name];
        if (!m) return h('td', { text: '–' });
        const c = m.vsControl;
        const verdict = { better: 'sr-pos', worse: 'sr-neg' }[verdictOf(m)];
        const detail = !c
          ? null
          : bayesian
            ? `${fmt.signedPercent(c.estimate)} · ${t('chanceToWin')} ${fmt.probability(c.chanceToWin)}`
            : `${fmt.signedPercent(c.estimate)} ${fmt.interval(c.lower, c.upper, fmt.signedPercent)} · p ${fmt.pValue(
                c.adjustedPValue ?? c.pValue,
              )}`;
        return h(
          'td',
          {
            'data-variant': v.variant,
            'data-value': finite(m.estimate) ? String(m.estimate) : '',
            'data-verdict':
              verdict === 'sr-pos' ? 'better' : verdict === 'sr-neg' ? 'worse' : c ? 'inconclusive' : 'control',
            class: verdict,
            title: c?.warning ?? undefined,
          },
          metricValue(m, fmt),
          detail ? h('small', { text: detail }) : null,
        );
      }),
    );
  });
  return h(
    'div',
    { class: 'sr-metrics' },
    h('h5', { text: t('metricsOverview') }),
    h('p', { class: 'sr-note', text: t('metricsOverviewNote') }),
    h(
      'div',
      { class: 'sr-scroll' },
      h('table', { 'data-table': 'metrics' }, h('thead', {}, head), h('tbody', {}, rows)),
    ),
  );
}

/**
 * Mount the report view in `element`. Options: `dataset` (runs `dataset.analyze(options)`), or `report`;
 * `options` (analysis options), `locale` ('en' | 'fi' | any BCP 47 tag; default the browser's), `Plot` (the
 * Observable Plot namespace; without it the tables render and the charts say what is missing), `charts`
 * (default true), `messages` ({ en: {...}, fi: {...} } overrides).
 * Events on `element`: `segmetry-report` (detail: { report }) after each render, `segmetry-error` (detail: { error }).
 * State: `element.dataset.state` is 'running' | 'ready' | 'error'.
 */
export function mount(element, init = {}) {
  if (!element || typeof element.append !== 'function')
    throw new TypeError('mount(element, options): element must be a DOM element');
  let state = { locale: globalThis.navigator?.language ?? 'en', charts: true, ...init };
  let generation = 0;
  const rootNode = element.getRootNode?.() ?? document;
  adoptStyles(rootNode.nodeType === 11 ? rootNode : document);
  const root = h('div', { class: 'segmetry-report', role: 'region', 'aria-live': 'polite' });
  element.replaceChildren(root);

  const setState = (s) => {
    element.dataset.state = s;
    root.setAttribute('aria-busy', s === 'running' ? 'true' : 'false');
  };

  const view = {
    report: null,
    error: null,
    ready: Promise.resolve(null),
    /** Merge new settings (dataset, report, options, locale, Plot, charts) and re-render; resolves to the report. */
    update(next = {}) {
      state = { ...state, ...next };
      if ('options' in next || 'dataset' in next) view.report = next.report ?? null;
      else if ('report' in next) view.report = next.report;
      view.ready = run();
      return view.ready;
    },
    /** Re-render the current report (e.g. after a locale change) without re-running the analysis. */
    render() {
      if (view.report) renderReport(root, view.report, state);
    },
    toCsv: () => (view.report ? reportToCsv(view.report) : ''),
    toJson: () => (view.report ? reportToJson(view.report) : ''),
    toMetricsCsv: () => (view.report ? metricsToCsv(view.report) : ''),
    downloadMetricsCsv: (name = 'segmetry-metrics.csv') => download(view.toMetricsCsv(), name),
    downloadCsv: (name = 'segmetry-report.csv') => download(view.toCsv(), name),
    downloadJson: (name = 'segmetry-report.json') => download(view.toJson(), name, 'application/json'),
    destroy() {
      generation++;
      element.replaceChildren();
      delete element.dataset.state;
    },
  };

  async function run() {
    const mine = ++generation;
    const t = translator(state.locale, state.messages);
    try {
      if (!view.report && state.dataset && state.options) {
        setState('running');
        root.replaceChildren(h('p', { class: 'sr-status', role: 'status', text: t('running') }));
        // The engine words its errors in the view's language unless the options ask for another.
        const report = await state.dataset.analyze({ lang: languageOf(state.locale), ...state.options });
        if (mine !== generation) return view.report;
        view.report = report;
      }
      if (mine !== generation) return view.report;
      if (!view.report) {
        root.replaceChildren(h('p', { class: 'sr-status', text: t('noReport') }));
        setState('idle');
        return null;
      }
      view.error = null;
      renderReport(root, view.report, state);
      setState('ready');
      element.dispatchEvent(new CustomEvent('segmetry-report', { detail: { report: view.report }, bubbles: true }));
      return view.report;
    } catch (error) {
      if (mine !== generation) return null;
      view.error = error;
      view.report = null;
      root.replaceChildren(
        h(
          'div',
          { class: 'sr-error', role: 'alert', 'data-code': error?.code ?? '' },
          h('strong', { text: `${t('error')}: ` }),
          String(error?.message ?? error),
        ),
      );
      setState('error');
      element.dispatchEvent(new CustomEvent('segmetry-error', { detail: { error }, bubbles: true }));
      return null;
    }
  }

  view.ready = run();
  return view;
}

const Base = globalThis.HTMLElement ?? class {};

/**
 * `<segmetry-report locale="fi">`: the same view as a custom element with its own shadow root. Set the
 * properties `Plot`, then `source` (a Dataset or worker-client dataset) + `options`, or `report`; it re-renders
 * on each change. Its `data-state` attribute follows the view: 'running' | 'ready' | 'error' | 'idle'.
 */
export class SegmetryReportElement extends Base {
  static get observedAttributes() {
    return ['locale'];
  }
  #view = null;
  #props = {};
  connectedCallback() {
    if (this.#view) return;
    if (!this.shadowRoot) this.attachShadow({ mode: 'open' });
    const host = document.createElement('div');
    host.setAttribute('part', 'report');
    this.shadowRoot.replaceChildren(host);
    // Mirror the inner view's state on the element, so hosts and tests can wait on it.
    new MutationObserver(() => this.setAttribute('data-state', host.dataset.state ?? 'idle')).observe(host, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
    const { source, ...rest } = this.#props;
    this.#view = mount(host, { locale: this.getAttribute('locale') ?? undefined, ...rest, dataset: source });
  }
  disconnectedCallback() {
    this.#view?.destroy();
    this.#view = null;
  }
  attributeChangedCallback(name, _old, value) {
    if (name === 'locale') this.#set({ locale: value ?? undefined });
  }
  #set(patch) {
    this.#props = { ...this.#props, ...patch };
    if (!this.#view) return;
    const { source, ...rest } = patch;
    this.#view.update('source' in patch ? { ...rest, dataset: source } : rest);
  }
  /** The current report (null before the first analysis). */
  get report() {
    return this.#view?.report ?? this.#props.report ?? null;
  }
  set report(report) {
    this.#set({ report });
  }
  /** A Dataset or worker-client dataset whose analyze(options) is run. */
  get source() {
    return this.#props.source;
  }
  set source(source) {
    this.#set({ source });
  }
  get options() {
    return this.#props.options;
  }
  set options(options) {
    this.#set({ options });
  }
  get Plot() {
    return this.#props.Plot;
  }
  set Plot(Plot) {
    this.#set({ Plot });
  }
  /** The underlying mount() view (toCsv, toJson, downloadCsv, downloadJson). */
  get view() {
    return this.#view;
  }
}

/** Register `<segmetry-report>` (or another tag name) once. */
export function defineReportElement(tagName = 'segmetry-report') {
  if (!globalThis.customElements) return null;
  if (!customElements.get(tagName)) customElements.define(tagName, class extends SegmetryReportElement {});
  return customElements.get(tagName);
}
