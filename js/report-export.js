// An analysis report as flat rows or as an Arrow IPC stream, for hosts that chart or store results with their own
// tools. One row per segment × variant, the same columns as the report component's CSV export (js/report/export.js).
import { CSV_COLUMNS, reportRows } from './report/export.js';
import { writeArrowStream } from './arrow-writer.js';

const TEXT = new Set(['segment', 'rule', 'variant']);
const FLAGS = new Set(['is_control', 'srm_mismatch']);

/** `[{ segment, rule, segment_size, variant, is_control, n, conversions, …, srm_mismatch }]` (null where absent). */
export function reportToRows(report) {
  return reportRows(report).map((values) =>
    Object.fromEntries(CSV_COLUMNS.map((name, i) => [name, values[i] ?? null])),
  );
}

/**
 * The rows of reportToRows as an Arrow IPC stream (Uint8Array): utf8 for segment/rule/variant, bool for
 * is_control/srm_mismatch, float64 for every number; NaN stays NaN, absent values are nulls.
 */
export function reportToArrow(report) {
  const rows = reportRows(report);
  return writeArrowStream(
    CSV_COLUMNS.map((name, i) => ({
      name,
      type: TEXT.has(name) ? 'utf8' : FLAGS.has(name) ? 'bool' : 'float64',
      values: rows.map((row) => row[i] ?? null),
    })),
  );
}
