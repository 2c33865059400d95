// CSV export of segment members: RFC 4180 (header row, CRLF line ends, a field quoted when it holds a comma, a
// double quote or a line break; null is an empty field). Pure JS, so it also runs on tables built by hand.
import { SegmetryError } from './errors.js';

const field = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * CSV text of `segmentMembers(rule, { columns })`'s result `{ columns, values }` (column-major values).
 * @param {{ columns: string[], values: Array<Array<string | null>> }} table
 */
export function toCsv(table) {
  if (!table || !Array.isArray(table.columns) || !Array.isArray(table.values)) {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      "toCsv expects the result of ds.segmentMembers(rule, { columns: ['Email'] }): { columns, values }",
      { subject: 'table' },
    );
  }
  const rows = table.values.length ? table.values[0].length : 0;
  const lines = [table.columns.map(field).join(',')];
  for (let i = 0; i < rows; i++) lines.push(table.values.map((c) => field(c[i])).join(','));
  return lines.join('\r\n') + '\r\n';
}
