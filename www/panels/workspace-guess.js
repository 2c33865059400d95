// Pre-filled choices for the workspace's pickers: which table holds the orders, which of its columns is the
// customer, the order id, the date and the amount, and which columns a built-in segmentation reads. Every guess
// looks at what the engine reports (each column's `kind`, and for text columns the most frequent values of its
// profile), then prefers names in English and Finnish; a guess is only a default the user can change.

/** Column-name patterns per role: [pattern, score]; negative scores push look-alikes (paid at, tax) down. */
const NAME_HINTS = {
  customer: [
    [/e-?mail|sähköposti|s-posti/i, 3],
    [/customer|asiakas|client|buyer/i, 2],
  ],
  order: [
    [/order.?(id|no|nr|number)|tilaus/i, 3],
    [/^(name|order)$/i, 2],
    [/^id$/i, 1],
  ],
  date: [
    [/created|order.?date|tilauspäivä|luotu/i, 3],
    [/date|time|päivä|aika|at$/i, 1],
    [/paid|fulfil|cancel|process|updated|refund|due|shipped|last/i, -3],
  ],
  amount: [
    [/^(total|summa|yhteensä)$/i, 3],
    [/total|amount|summa|revenue|myynti/i, 2],
    [/price|hinta/i, 1],
    // Parts of an order's money or other numbers: not what the customer paid.
    [/sub.?total|välisumma|tax|vero|alv|shipping|toimitus|discount|alennus|refund|palautus|quantity|määrä/i, -3],
    [/balance|outstanding/i, -3],
  ],
  recency: [
    [/last.?order.?days|recency|days.?since/i, 3],
    [/last.?order/i, 2],
  ],
  frequency: [
    [/orders?.?count|frequency|tilausten.?määrä|purchases/i, 3],
    [/orders/i, 1],
  ],
  monetary: [
    [/total.?spent|monetary|lifetime.?value|spend/i, 3],
    [/total|revenue|amount/i, 1],
  ],
};

/** Kinds (from the engine's column info) a role accepts. */
const KINDS = {
  customer: ['text', 'number'],
  order: ['text', 'number'],
  date: ['date', 'timestamp'],
  amount: ['number'],
  recency: ['number', 'date', 'timestamp'],
  frequency: ['number'],
  monetary: ['number'],
};

/** Columns of `columns` ([{ name, kind }]) that a role can use. */
export const columnsFor = (columns, role) => columns.filter((c) => KINDS[role].includes(c.kind));

function nameScore(name, role) {
  return NAME_HINTS[role].reduce((sum, [pattern, score]) => sum + (pattern.test(name) ? score : 0), 0);
}

/**
 * The best column for `role`, or '' when none fits. `looksLikeEmail(name)` (optional) says whether a text column's
 * profile shows e-mail addresses; it outweighs the name for the customer key.
 */
export function guessColumn(columns, role, { exclude = [], looksLikeEmail = () => false } = {}) {
  let best = null;
  for (const [i, c] of columnsFor(columns, role).entries()) {
    if (exclude.includes(c.name)) continue;
    let score = nameScore(c.name, role);
    if (role === 'customer' && looksLikeEmail(c.name)) score += 4;
    if (score < 0) continue;
    // Ties go to the earlier column: exports put the important columns first.
    if (best === null || score > best.score) best = { name: c.name, score, i };
  }
  // Without any name hint a role still gets a column of the right kind, except the order id and the customer key,
  // which a wrong guess would silently turn into nonsense.
  if (best && best.score === 0 && (role === 'order' || role === 'customer')) return '';
  return best?.name ?? '';
}

/** Whether a text column's profile (engine's `profile`) mostly holds e-mail addresses. */
export function profileLooksLikeEmail(profile) {
  const top = profile?.top ?? [];
  return (
    top.length > 0 && top.filter((v) => typeof v.value === 'string' && /\S@\S/.test(v.value)).length * 2 >= top.length
  );
}

/**
 * The table that most likely holds orders: one with a date/timestamp and a number column, preferring a file named
 * like orders, then the one with the most rows (line items outnumber customers).
 */
export function guessOrdersTable(tables) {
  const candidates = tables.filter(
    (t) =>
      t.columns.some((c) => c.kind === 'date' || c.kind === 'timestamp') && t.columns.some((c) => c.kind === 'number'),
  );
  const named = candidates.find((t) => /order|tilau/i.test(t.name));
  if (named) return named.name;
  return candidates.sort((a, b) => b.numRows - a.numRows)[0]?.name ?? '';
}

/** The table of customers (one row each): a file named like customers, other than the orders table. */
export function guessCustomersTable(tables, orders) {
  return tables.find((t) => t.name !== orders && /customer|asiakka|asiakas/i.test(t.name))?.name ?? '';
}
