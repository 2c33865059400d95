// Column pickers for the segments panel: which columns a built-in segmentation (RFM, lifecycle) reads, and which
// column a segment's member list exports. Both are pre-filled from the loaded table's columns as the engine
// reports them (kind, profile) — the built-ins' own default names first, since the customer step produces them —
// and saved with the segment, so a table with other names works without editing any rule.
import { columnsFor, guessColumn, profileLooksLikeEmail } from './workspace-guess.js';

/** The options each built-in reads a column from, with the engine's default column name (docs/builtin-segments.md). */
export const BUILTIN_COLUMNS = {
  rfm: { recency: 'last_order_days', frequency: 'orders_count', monetary: 'total_spent' },
  lifecycle: { frequency: 'orders_count', recency: 'last_order_days' },
};

/** Pre-filled column options of a built-in for these columns (`[]` = nothing fits). */
export function builtinColumnOptions(kind, columns) {
  const roles = BUILTIN_COLUMNS[kind];
  if (!roles) return {};
  const options = {};
  for (const [role, fallback] of Object.entries(roles)) {
    const fits = columnsFor(columns, role);
    const name = fits.some((c) => c.name === fallback) ? fallback : guessColumn(columns, role);
    if (name) options[role] = name;
  }
  return options;
}

/** `<label>role <select></label>` per column option of a built-in segment; `onChange(options)` saves. */
export function builtinPickers(segment, columns, t, onChange) {
  const roles = BUILTIN_COLUMNS[segment.builtin];
  if (!roles) return null;
  const box = document.createElement('div');
  box.className = 'builtin-columns';
  for (const role of Object.keys(roles)) {
    const label = document.createElement('label');
    label.className = 'inline';
    const select = document.createElement('select');
    select.dataset.option = role;
    const names = columnsFor(columns, role).map((c) => c.name);
    const current = segment.options?.[role] ?? roles[role];
    if (!names.includes(current)) select.append(new Option(`${current} ?`, current));
    for (const n of names) select.append(new Option(n, n));
    select.value = current;
    select.addEventListener('change', () => onChange({ ...(segment.options ?? {}), [role]: select.value }));
    label.append(`${t(`option_${role}`)} `, select);
    box.append(label);
  }
  return box;
}

/** The column a member list exports: one that holds e-mail addresses, else an id, else none (row numbers). */
export function guessMemberColumn(columns) {
  const email = columns.find((c) => c.kind === 'text' && profileLooksLikeEmail(c.profile));
  if (email) return email.name;
  const id = columns.find((c) => ['number', 'text'].includes(c.kind) && /(^|[_ ])id$/i.test(c.name));
  return id?.name ?? '';
}
