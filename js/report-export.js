// An analysis report as flat rows or as an Arrow IPC stream, for hosts that chart or store results with their own
// tools. By default one row per segment × variant, the same columns as the report component's CSV export; with
// `{ metrics: true }` one row per segment × variant × named metric, the columns of its metrics CSV
// (js/report/export.js).
import { CSV_COLUMNS, METRIC_CSV_COLUMNS, metricRows, reportRows } from './report/export.js';
import { writeArrowStream } from './arrow-writer.js';

const TEXT = new Set(['segment', 'rule', 'variant', 'metric', 'type', 'role']);
const FLAGS = new Set(['is_control', 'srm_mismatch']);

/** The column names and value rows of the layout `options` asks for. */
function layout(report, options) {
  return options?.metrics ? [METRIC_CSV_COLUMNS, metricRows(report)] : [CSV_COLUMNS, reportRows(report)];
}

/**
 * `[{ segment, rule, segment_size, variant, is_control, n, conversions, …, srm_mismatch }]` (null where absent); with
 * `{ metrics: true }`, `[{ segment, variant, is_control, metric, type, role, n, …, chance_to_win }]`, one row per
 * named metric (analyze's `metrics` option; no rows without).
 */
export function reportToRows(report, options) {
  const [columns, rows] = layout(report, options);
  return rows.map((values) => Object.fromEntries(columns.map((name, i) => [name, values[i] ?? null])));
}

/**
 * The rows of reportToRows (same options) as an Arrow IPC stream (Uint8Array): utf8 for segment/rule/variant and
 * metric/type/role, bool for is_control/srm_mismatch, float64 for every number; NaN stays NaN, absent values are
 * nulls.
 */
export function reportToArrow(report, options) {
  const [columns, rows] = layout(report, options);
  return writeArrowStream(
    columns.map((name, i) => ({
      name,
      type: TEXT.has(name) ? 'utf8' : FLAGS.has(name) ? 'bool' : 'float64',
      values: rows.map((row) => row[i] ?? null),
    })),
  );
}
