// One table of the workspace as a collapsible card: size, import notes, each column's type with a picker that
// re-imports the file with a forced type, a preview of the first rows, and for a built table its recipe.

/** Types offered by a column's type picker (Arrow names the CSV reader accepts); '' = what inference chose. */
const TYPE_CHOICES = ['utf8', 'int64', 'float64', 'bool', 'date32', 'timestamp'];

/** A DOM element with attributes/properties and children. */
export const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'class' || k === 'for') node.setAttribute(k, v);
    else node[k] = v;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

/** A date or timestamp as text: apache-arrow hands both over as epoch milliseconds. */
const isoText = (ms, kind) => {
  const iso = new Date(ms).toISOString();
  return kind === 'date' ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$/, 'Z');
};

function showValue(v) {
  if (v === null || v === undefined) return '';
  return typeof v === 'bigint' ? v.toString() : String(v);
}

function previewTable(p, columns) {
  const kinds = new Map(columns.map((c) => [c.name, c.kind]));
  const cell = (v, name) => {
    const kind = kinds.get(name);
    return typeof v === 'number' && (kind === 'date' || kind === 'timestamp') ? isoText(v, kind) : showValue(v);
  };
  return el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      { class: 'preview', 'data-preview': 'rows' },
      el('thead', {}, el('tr', {}, ...p.names.map((n) => el('th', { scope: 'col', text: n })))),
      el('tbody', {}, ...p.rows.map((r) => el('tr', {}, ...r.map((v, i) => el('td', { text: cell(v, p.names[i]) }))))),
    ),
  );
}

function columnsTable(table, { t, fmt, onRetype }) {
  const report = new Map((table.importReport?.columns ?? []).map((c) => [c.name, c]));
  const body = el('tbody');
  for (const c of table.columns) {
    const r = report.get(c.name);
    const row = el('tr', { 'data-column': c.name, 'data-kind': c.kind });
    row.append(el('td', { text: c.name }), el('td', {}, el('code', { text: c.type })));
    if (table.source === 'file' && table.importReport) {
      const select = el('select', { 'aria-label': `${t('typeFor')} ${c.name}`, 'data-type-picker': c.name });
      select.append(new Option(t('typeInferred', { type: r?.inferred ?? c.type }), ''));
      for (const type of TYPE_CHOICES) select.append(new Option(type, type));
      select.value = table.types?.[c.name] ?? '';
      select.addEventListener('change', () => onRetype(table.name, c.name, select.value));
      row.append(el('td', {}, select));
    } else {
      row.append(el('td'));
    }
    row.append(el('td', { class: 'num', text: fmt.integer(c.nullCount) }));
    body.append(row);
  }
  return el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      { class: 'table-columns' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col', text: t('column') }),
          el('th', { scope: 'col', text: t('type') }),
          el('th', { scope: 'col', text: t('forceType') }),
          el('th', { scope: 'col', class: 'num', text: t('nulls') }),
        ),
      ),
      body,
    ),
  );
}

export function tableCard(table, view) {
  const { t, fmt, zone } = view;
  const warnings = table.importReport?.warnings ?? [];
  const summary = el(
    'summary',
    {},
    el('strong', { text: table.name }),
    el('span', {
      class: 'help',
      text: ` ${t('tableSize', { rows: fmt.integer(table.numRows), cols: fmt.integer(table.columns.length) })}${
        warnings.length ? ` · ${t('warningCount', { n: fmt.integer(warnings.length) })}` : ''
      }${table.source === 'derived' ? ` · ${t('derived')}` : ''}`,
    }),
  );
  const box = el('details', { 'data-table': table.name, 'data-rows': String(table.numRows), class: 'table-card' });
  box.append(summary);
  if (table.error) box.append(el('p', { class: 'error-box', role: 'alert', text: table.error }));
  if (warnings.length) {
    box.append(
      el(
        'ul',
        { class: 'warnings' },
        ...warnings.map((w) =>
          el(
            'li',
            { 'data-code': w.code, 'data-column': w.column ?? '' },
            el('code', { text: w.code }),
            ` ${w.message}`,
          ),
        ),
      ),
    );
  }
  if (table.source === 'file') box.append(el('p', { class: 'help', text: t('timeZoneNote', { zone }) }));
  box.append(columnsTable(table, view));
  if (table.preview) {
    box.append(
      el('h4', { text: t('previewRows', { n: table.preview.rows.length }) }),
      previewTable(table.preview, table.columns),
    );
  }
  if (table.recipe) {
    box.append(
      el(
        'details',
        { class: 'recipe' },
        el('summary', { text: t('recipe') }),
        el('pre', { text: JSON.stringify(table.recipe, null, 2) }),
      ),
    );
  }
  return box;
}
