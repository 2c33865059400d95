// Local exports of an analysis report: CSV (one row per segment × variant) and JSON. Nothing leaves the page;
// `download` hands the text to the browser as a Blob URL.

export const CSV_COLUMNS = [
  'segment',
  'rule',
  'segment_size',
  'variant',
  'is_control',
  'n',
  'conversions',
  'conversion_rate',
  'conversion_lower',
  'conversion_upper',
  'conversion_lift',
  'conversion_lift_lower',
  'conversion_lift_upper',
  'conversion_p_value',
  'conversion_adjusted_p_value',
  'conversion_chance_to_win',
  'revenue_sum',
  'revenue_mean',
  'revenue_lift',
  'revenue_lift_lower',
  'revenue_lift_upper',
  'revenue_p_value',
  'revenue_adjusted_p_value',
  'revenue_chance_to_win',
  'srm_p_value',
  'srm_mismatch',
];

/** A comparison with control as CSV cells: estimate, interval, p, adjusted p, chance to win (empty for control). */
function comparisonCells(c) {
  return [c?.estimate, c?.lower, c?.upper, c?.pValue, c?.adjustedPValue, c?.chanceToWin];
}

/** One CSV field: numbers in full precision with a dot, text quoted when needed, null/NaN empty. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = String(value);
  // Quote separators, quotes and newlines; prefix formula-looking text so spreadsheets do not evaluate it.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows of plain values, one per segment × variant, in CSV_COLUMNS order. */
export function reportRows(report) {
  const rows = [];
  const control = report.control;
  for (const segment of report.segments ?? []) {
    for (const v of segment.variants ?? []) {
      const c = v.conversionVsControl;
      const r = v.revenueVsControl;
      rows.push([
        segment.name,
        segment.rule ?? '',
        segment.size ?? null,
        v.variant,
        control !== undefined ? v.variant === control : !c,
        v.n,
        v.conversions,
        v.conversionRate,
        v.conversionInterval?.lower,
        v.conversionInterval?.upper,
        ...comparisonCells(c),
        v.revenueSum,
        v.revenueMean,
        r?.estimate,
        r?.lower,
        r?.upper,
        r?.pValue,
        r?.adjustedPValue,
        r?.chanceToWin,
        segment.srm?.pValue,
        segment.srm?.mismatch,
      ]);
    }
  }
  return rows;
}

/** The report as CSV text (RFC 4180, CRLF line ends, header row). */
export function reportToCsv(report) {
  return [CSV_COLUMNS, ...reportRows(report)].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The report as pretty JSON (typed arrays become plain arrays, NaN becomes null). */
export function reportToJson(report) {
  return (
    JSON.stringify(
      report,
      (key, value) => {
        if (ArrayBuffer.isView(value)) return Array.from(value, (x) => (typeof x === 'bigint' ? String(x) : x));
        if (typeof value === 'bigint') return String(value);
        return value;
      },
      2,
    ) + '\n'
  );
}

export const METRIC_CSV_COLUMNS = [
  'segment',
  'variant',
  'is_control',
  'metric',
  'type',
  'role',
  'n',
  'nulls',
  'conversions',
  'sum',
  'numerator_sum',
  'denominator_sum',
  'promoters',
  'detractors',
  'estimate',
  'lower',
  'upper',
  'lift',
  'lift_lower',
  'lift_upper',
  'p_value',
  'adjusted_p_value',
  'chance_to_win',
];

/** Rows of the named metrics (analyze's `metrics`), one per segment × variant × metric, in METRIC_CSV_COLUMNS order. */
export function metricRows(report) {
  const rows = [];
  for (const segment of report.segments ?? []) {
    for (const v of segment.variants ?? []) {
      for (const [name, m] of Object.entries(v.metrics ?? {})) {
        const c = m.vsControl;
        rows.push([
          segment.name,
          v.variant,
          report.control !== undefined ? v.variant === report.control : !c,
          name,
          m.type,
          m.role,
          m.n,
          m.nulls,
          m.conversions,
          m.sum,
          m.numeratorSum,
          m.denominatorSum,
          m.promoters,
          m.detractors,
          m.estimate,
          m.interval?.lower,
          m.interval?.upper,
          ...comparisonCells(c),
        ]);
      }
    }
  }
  return rows;
}

/** The named metrics as CSV text (long format: one row per segment × variant × metric; header row only without). */
export function metricsToCsv(report) {
  return [METRIC_CSV_COLUMNS, ...metricRows(report)].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Member ids as a one-column CSV. */
export function membersToCsv(ids, column = 'id') {
  const lines = [csvField(column)];
  for (const id of ids) lines.push(csvField(typeof id === 'bigint' ? String(id) : id));
  return lines.join('\r\n') + '\r\n';
}

/** Save text as a file, generated locally (Blob URL, no request). */
export function download(text, fileName, type = 'text/csv;charset=utf-8') {
  const blob = new Blob([type.startsWith('text/csv') ? '\ufeff' + text : text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
