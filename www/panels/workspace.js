// The workspace: every dropped file becomes a named table (its import report, a preview of its first rows and a
// type picker per column that re-imports it), the "Customers" step turns an orders table into a customer table
// (customerFeatures, then joins with a customers file and a recipients file, with their match rates), and one
// table is the one the segments and the analysis run on. Tables live in the package's worker; the page keeps only
// what the engine reported about them. The recipe (file names, forced types, the customer step's choices, the
// analysis table) is saved with the settings, never the data, and replays when the same files are dropped again.
import * as Arrow from 'apache-arrow';
import { workspaceOf } from '../store.js';
import { el, tableCard } from './table-card.js';
import {
  columnsFor,
  guessColumn,
  guessCustomersTable,
  guessOrdersTable,
  profileLooksLikeEmail,
} from './workspace-guess.js';

const $ = (sel) => document.querySelector(sel);

/** The preview converts at most this much of the file's start, in the worker, and shows this many rows. */
const PREVIEW_BYTES = 64 * 1024;
const PREVIEW_ROWS = 5;
const CUSTOMER_TABLE = 'customers+orders';

/** The table name of a file: its name without the extension. */
const tableName = (fileName) => fileName.replace(/\.[^.]+$/, '') || fileName;

/** Timestamps without an offset are read in the browser's zone: what a person means by "7:42" in their export. */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function createWorkspace(ctx, data) {
  const { store, t } = ctx;
  /** name → { name, source: 'file' | 'derived', file?, dataset, numRows, columns, emails: Set, importReport?,
   *  preview?, types?, recipe?, joinReport?, error? } */
  const tables = new Map();
  let result = null; // the last customer build: { spec, features, matches } or { error }
  let active = null; // name of the table the segments and the analysis run on

  const saved = () => workspaceOf(store.state.settings.workspace);
  const save = (patch) => store.setSettings({ workspace: { ...saved(), ...patch } });
  const fileTables = () => [...tables.values()].filter((x) => x.source === 'file');

  const importOptions = (types) => ({
    timeZone: browserZone(),
    lang: store.state.settings.locale, // the engine's load errors in the interface's language
    ...(types && Object.keys(types).length ? { types } : {}),
  });

  /** What the engine says about a dataset: row count, columns with kinds, and which text columns hold e-mails. */
  async function describe(dataset) {
    const info = await dataset.info();
    const emails = new Set();
    for (const c of info.columns.filter((x) => x.kind === 'text')) {
      if (profileLooksLikeEmail(await dataset.profile(c.name))) emails.add(c.name);
    }
    return { numRows: info.numRows, columns: info.columns, emails };
  }

  /** Read one file into a table (replacing a table of the same name); null when it could not be read. */
  async function importFile(file, types = saved().tables[tableName(file.name)]?.types ?? {}, { strict = false } = {}) {
    const name = tableName(file.name);
    const client = await ctx.client;
    let dataset;
    try {
      dataset = await client.load(file, importOptions(types));
    } catch (err) {
      if (strict || !Object.keys(types).length) throw err;
      // A saved type that no longer fits (the file changed): read it as inferred rather than not at all.
      dataset = await client.load(file, importOptions({}));
      types = {};
    }
    const table = { name, source: 'file', file, dataset, types, importReport: dataset.importReport };
    Object.assign(table, await describe(dataset));
    table.preview = await preview(client, file, dataset.importReport).catch(() => null);
    return table;
  }

  /** The first rows, typed as the whole file was: the file's start converted in the worker with the same types. */
  async function preview(client, file, report) {
    if (!/\.(csv|tsv|txt)$/i.test(file.name)) return null;
    let bytes = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
    if (file.size > PREVIEW_BYTES) bytes = bytes.slice(0, bytes.lastIndexOf(10) + 1);
    if (!bytes.length) return null;
    const types = Object.fromEntries((report?.columns ?? []).map((c) => [c.name, c.type]));
    const options = { ...importOptions(types), fileName: file.name, transfer: false };
    const ipc = await client.toArrow(bytes, options).catch(() => client.toArrow(bytes, { ...options, types: {} }));
    const head = Arrow.tableFromIPC(ipc).slice(0, PREVIEW_ROWS);
    const names = head.schema.fields.map((f) => f.name);
    const rows = [];
    for (let i = 0; i < head.numRows; i++) {
      const row = head.get(i);
      rows.push(names.map((n) => row?.[n] ?? null));
    }
    return { names, types: head.schema.fields.map((f) => String(f.type)), rows };
  }

  /** Drop handler: read the files one by one, then replay the saved recipe and show the last file (or the saved
   *  analysis table). */
  async function addFiles(files) {
    const stale = [];
    let last = null;
    for (const file of files) {
      document.body.dataset.workspace = 'loading';
      data.loading(file.name);
      try {
        const table = await importFile(file);
        const old = tables.get(table.name);
        if (old) stale.push(old);
        tables.set(table.name, table);
        last = table.name;
      } catch (err) {
        data.fail(file.name, err);
      }
    }
    if (last) {
      // Derived tables were made from the replaced files: rebuild them from the recipe.
      for (const x of [...tables.values()]) {
        if (x.source === 'derived') {
          stale.push(x);
          tables.delete(x.name);
        }
      }
      result = null;
      await replay(last);
    }
    await release(stale);
    render();
    document.body.dataset.workspace = 'ready';
  }

  /** Rebuild the customer table when the saved recipe's tables are all here; show the saved analysis table. */
  async function replay(fallback) {
    const spec = saved().customers;
    const needed = spec ? [spec.orders, spec.base, spec.attach].filter(Boolean) : [];
    if (spec && needed.every((n) => tables.has(n))) await build(spec, { quiet: true });
    const want = saved().active;
    await activate(want && tables.has(want) ? want : fallback, { remember: false });
  }

  /** Free datasets that no table uses any more (after the analysis table moved away from them). */
  async function release(old) {
    const live = new Set([...tables.values()].map((x) => x.dataset));
    for (const x of old) if (!live.has(x.dataset)) await x.dataset.free().catch(() => {});
  }

  /** Make `name` the table the segments and the analysis run on. */
  async function activate(name, { remember = true } = {}) {
    const table = tables.get(name);
    if (!table) return;
    active = name;
    if (remember) save({ active: name });
    await data.show(table.dataset, name);
    renderActive();
  }

  /** The customer step's choices as the form shows them. */
  function readSpec() {
    const form = $('#customers-form');
    const v = (n) => form.elements[n].value;
    return {
      orders: v('orders'),
      customer: v('customer'),
      order: v('order'),
      date: v('date'),
      amount: v('amount'),
      where: v('where').trim(),
      base: v('base'),
      baseKey: v('baseKey'),
      attach: v('attach'),
      attachKey: v('attachKey'),
    };
  }

  /** customerFeatures on the orders, joined onto the customers file, then the recipients joined onto that. */
  async function build(spec, { quiet = false } = {}) {
    const { referenceDate, locale: lang } = store.state.settings; // the engine's errors in the interface's language
    const made = [];
    const errorBox = $('#cs-error');
    errorBox.hidden = true;
    $('#customers-form').dataset.state = 'building';
    try {
      const orders = tables.get(spec.orders);
      const normalize = (x, key) => (x.emails.has(key) ? 'email' : 'text');
      const features = await orders.dataset.customerFeatures({
        customer: spec.customer,
        ...(spec.order ? { order: spec.order } : {}),
        date: spec.date,
        ...(spec.amount ? { amount: spec.amount } : {}),
        ...(spec.where ? { where: spec.where } : {}),
        ...(referenceDate ? { referenceDate } : {}),
        normalizeKey: normalize(orders, spec.customer),
        lang,
      });
      made.push(features);
      const featureInfo = await features.info();
      const matches = [];
      let customerTable = features;
      let key = spec.customer;
      if (spec.base) {
        const base = tables.get(spec.base);
        customerTable = await base.dataset.join(features, {
          on: [spec.baseKey, spec.customer],
          how: 'left',
          normalizeKey: normalize(base, spec.baseKey),
          rightName: 'orders',
          lang,
        });
        made.push(customerTable);
        matches.push({ kind: 'customers', table: spec.base, ...customerTable.joinReport });
        key = spec.baseKey;
      }
      const derived = [[CUSTOMER_TABLE, customerTable]];
      if (spec.attach) {
        const attach = tables.get(spec.attach);
        const joined = await attach.dataset.join(customerTable, {
          on: [spec.attachKey, key],
          how: 'left',
          normalizeKey: normalize(attach, spec.attachKey),
          rightName: 'customers',
          lang,
        });
        made.push(joined);
        matches.push({ kind: 'recipients', table: spec.attach, ...joined.joinReport });
        derived.push([`${spec.attach}+customers`, joined]);
      }
      const old = [...tables.values()].filter((x) => x.source === 'derived');
      for (const x of old) tables.delete(x.name);
      for (const [name, dataset] of derived) {
        const table = { name, source: 'derived', dataset, recipe: dataset.recipe, joinReport: dataset.joinReport };
        tables.set(name, Object.assign(table, await describe(dataset)));
      }
      if (spec.base)
        made
          .shift()
          .free()
          .catch(() => {}); // the joined table holds its own copy
      result = { spec, features: featureInfo, orderRows: orders.numRows, matches };
      if (!quiet) {
        save({ customers: spec });
        await activate(spec.attach ? derived[1][0] : CUSTOMER_TABLE);
      }
      await release(old);
    } catch (err) {
      for (const ds of made) await ds.free().catch(() => {});
      result = { error: err };
      errorBox.hidden = false;
      errorBox.dataset.code = err.code ?? 'ERROR';
      errorBox.textContent = t('buildError', { message: err.message.split('\n')[0] });
    }
    $('#customers-form').dataset.state = 'ready';
    render();
  }

  /** Re-import one file with a forced type for `column` ('' = back to inference). */
  async function retype(name, column, type) {
    const table = tables.get(name);
    const types = { ...table.types };
    if (type) types[column] = type;
    else delete types[column];
    try {
      data.loading(table.file.name);
      // strict: a value the forced type cannot read is the reader's INVALID_CSV error (line, column, value).
      const fresh = await importFile(table.file, types, { strict: true });
      save({ tables: { ...saved().tables, [name]: { types } } });
      table.error = null;
      tables.set(name, fresh);
      const stale = [table, ...[...tables.values()].filter((x) => x.source === 'derived')];
      for (const x of stale) if (x.source === 'derived') tables.delete(x.name);
      result = null;
      await replay(name);
      await release(stale);
    } catch (err) {
      table.error = err.message.split('\n')[0];
      data.fail(table.file.name, err);
    }
    render();
  }

  function renderTables() {
    const list = $('#tables');
    const open = new Set([...list.querySelectorAll('details[data-table][open]')].map((d) => d.dataset.table));
    const view = { t, fmt: ctx.fmt(), zone: browserZone(), onRetype: retype };
    list.replaceChildren(...[...tables.values()].map((table) => tableCard(table, view)));
    for (const d of list.querySelectorAll('details[data-table]')) if (open.has(d.dataset.table)) d.open = true;
    $('#workspace').dataset.tables = String(tables.size);
  }

  function renderActive() {
    const select = $('#active-table');
    select.replaceChildren(...[...tables.keys()].map((n) => new Option(n, n)));
    select.value = active ?? '';
    select.disabled = tables.size === 0;
  }

  function fillSelect(select, names, value, { none = false } = {}) {
    select.replaceChildren();
    if (none) select.append(new Option(t('none'), ''));
    for (const n of names) select.append(new Option(n, n));
    select.value = names.includes(value) ? value : none ? '' : (names[0] ?? '');
  }

  /** The customer step's pickers: the saved recipe's choices where they still fit, else the guesses. */
  function fillCustomersForm(changed = null) {
    const form = $('#customers-form');
    const files = fileTables();
    form.hidden = files.length === 0;
    if (!files.length) return;
    const previous = changed ? readSpec() : (result?.spec ?? saved().customers ?? {});
    const names = files.map((x) => x.name);
    const ordersName = names.includes(previous.orders) ? previous.orders : guessOrdersTable(files);
    fillSelect(form.elements.orders, names, ordersName);
    const orders = tables.get(form.elements.orders.value);
    const keep = changed !== 'orders'; // another orders table: its own columns' guesses
    const pick = (role, select, opts = {}) => {
      const choices = columnsFor(orders.columns, role).map((c) => c.name);
      const guess = guessColumn(orders.columns, role, { looksLikeEmail: (n) => orders.emails.has(n), ...opts });
      fillSelect(select, choices, keep && choices.includes(previous[role]) ? previous[role] : guess, opts);
    };
    pick('customer', form.elements.customer);
    pick('order', form.elements.order, { none: true, exclude: [form.elements.customer.value] });
    pick('date', form.elements.date);
    pick('amount', form.elements.amount, { none: true });
    if (changed === null) form.elements.where.value = previous.where ?? '';
    const others = names.filter((n) => n !== form.elements.orders.value);
    const baseGuess =
      previous.base !== undefined && changed !== 'orders' ? previous.base : guessCustomersTable(files, ordersName);
    fillSelect(form.elements.base, others, baseGuess, { none: true });
    keyPicker(form.elements.baseKey, form.elements.base.value, changed === 'base' ? null : previous.baseKey);
    const rest = others.filter((n) => n !== form.elements.base.value);
    const attachGuess =
      previous.attach !== undefined && !['orders', 'base'].includes(changed)
        ? previous.attach
        : (rest.find((n) => tables.get(n).emails.size > 0) ?? '');
    fillSelect(form.elements.attach, rest, attachGuess, { none: true });
    keyPicker(form.elements.attachKey, form.elements.attach.value, changed === 'attach' ? null : previous.attachKey);
  }

  function keyPicker(select, tableNameValue, previous) {
    const table = tables.get(tableNameValue);
    select.disabled = !table;
    if (!table) {
      fillSelect(select, [], '');
      return;
    }
    const choices = columnsFor(table.columns, 'customer').map((c) => c.name);
    const guess = guessColumn(table.columns, 'customer', { looksLikeEmail: (n) => table.emails.has(n) });
    fillSelect(select, choices, choices.includes(previous) ? previous : guess);
  }

  function renderResult() {
    const box = $('#cs-result');
    box.replaceChildren();
    if (!result || result.error) return;
    const fmt = ctx.fmt();
    const { features, matches, spec, orderRows } = result;
    box.append(
      el('p', {
        'data-match': 'features',
        'data-matched': String(features.numRows),
        text: t('featuresMade', {
          customers: fmt.integer(features.numRows),
          rows: fmt.integer(orderRows),
          table: spec.orders,
        }),
      }),
    );
    for (const m of matches) {
      box.append(
        el('p', {
          'data-match': m.kind,
          'data-matched': String(m.matched),
          'data-left': String(m.left),
          text: t(m.kind === 'customers' ? 'matchCustomers' : 'matchRecipients', {
            matched: fmt.integer(m.matched),
            left: fmt.integer(m.left),
            table: m.table,
          }),
        }),
      );
    }
    box.append(
      el('p', { class: 'help', text: t('derivedColumns') }),
      el(
        'ul',
        { class: 'derived-columns' },
        ...features.columns.map((c) => el('li', { 'data-column': c.name }, el('code', { text: c.name }), ` ${c.type}`)),
      ),
    );
  }

  function render() {
    renderTables();
    renderActive();
    fillCustomersForm();
    renderResult();
  }

  function wire() {
    const form = $('#customers-form');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const spec = readSpec();
      if (!spec.orders || !spec.customer || !spec.date) return;
      build(spec);
    });
    for (const name of ['orders', 'base', 'attach']) {
      form.elements[name].addEventListener('change', () => fillCustomersForm(name));
    }
    $('#active-table').addEventListener('change', (e) => activate(e.target.value));
  }

  wire();
  return {
    addFiles,
    render,
    /** Whether the workspace owns this dataset (the data panel must not free it). */
    owns: (dataset) => [...tables.values()].some((x) => x.dataset === dataset),
  };
}
