// The dashboard workspace's pre-filled pickers (www/panels/workspace-guess.js) on the column lists of several
// real tools' exports: Shopify (English), WooCommerce, and a Finnish shop with Finnish headers. Columns are given
// as the engine reports them ({ name, kind }), and e-mail columns are recognised from their profile's values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  guessColumn,
  guessOrdersTable,
  guessCustomersTable,
  profileLooksLikeEmail,
} from '../../www/panels/workspace-guess.js';

const cols = (spec) => Object.entries(spec).map(([name, kind]) => ({ name, kind }));
const roles = (columns, emails = []) => {
  const looksLikeEmail = (n) => emails.includes(n);
  const customer = guessColumn(columns, 'customer', { looksLikeEmail });
  return {
    customer,
    order: guessColumn(columns, 'order', { exclude: [customer], looksLikeEmail }),
    date: guessColumn(columns, 'date'),
    amount: guessColumn(columns, 'amount'),
  };
};

test('Shopify orders export: Email, Name, Created at, Total', () => {
  const shopify = cols({
    Name: 'text',
    Email: 'text',
    'Financial Status': 'text',
    'Paid at': 'timestamp',
    'Fulfilled at': 'timestamp',
    Subtotal: 'number',
    Shipping: 'number',
    Taxes: 'number',
    Total: 'number',
    'Discount Amount': 'number',
    'Created at': 'timestamp',
    'Lineitem quantity': 'number',
    'Lineitem price': 'number',
    'Cancelled at': 'timestamp',
    'Refunded Amount': 'number',
    Id: 'number',
  });
  assert.deepEqual(roles(shopify, ['Email']), {
    customer: 'Email',
    order: 'Name',
    date: 'Created at',
    amount: 'Total',
  });
});

test('WooCommerce orders export: Billing Email, Order ID, Order Date, Order Total', () => {
  const woo = cols({
    'Order ID': 'number',
    'Order Date': 'timestamp',
    'Order Status': 'text',
    'Billing Email': 'text',
    'Order Subtotal Amount': 'number',
    'Order Shipping Amount': 'number',
    'Order Total Amount': 'number',
    'Order Total Tax Amount': 'number',
    'Customer Note': 'text',
  });
  assert.deepEqual(roles(woo, ['Billing Email']), {
    customer: 'Billing Email',
    order: 'Order ID',
    date: 'Order Date',
    amount: 'Order Total Amount',
  });
});

test('Finnish headers: Sähköposti, Tilausnumero, Tilauspäivä, Summa', () => {
  const fi = cols({
    Tilausnumero: 'text',
    Tilauspäivä: 'date',
    Asiakas: 'text',
    Sähköposti: 'text',
    Välisumma: 'number',
    Toimitus: 'number',
    Summa: 'number',
    Maksettu: 'timestamp',
  });
  assert.deepEqual(roles(fi, ['Sähköposti']), {
    customer: 'Sähköposti',
    order: 'Tilausnumero',
    date: 'Tilauspäivä',
    amount: 'Summa',
  });
});

test('an e-mail column is recognised by its values even under an unhelpful name', () => {
  const columns = cols({ Kenttä1: 'text', Kenttä2: 'text', Pvm: 'date', Euroa: 'number' });
  assert.equal(guessColumn(columns, 'customer', { looksLikeEmail: (n) => n === 'Kenttä2' }), 'Kenttä2');
  // Without a hint, no customer key or order id is guessed: a wrong one would silently give nonsense.
  assert.equal(guessColumn(columns, 'customer'), '');
  assert.equal(guessColumn(columns, 'order'), '');
  assert.equal(guessColumn(columns, 'date'), 'Pvm');
  assert.equal(guessColumn(columns, 'amount'), 'Euroa');
  assert.equal(profileLooksLikeEmail({ top: [{ value: 'a@b.fi' }, { value: 'c@d.com' }, { value: '' }] }), true);
  assert.equal(profileLooksLikeEmail({ top: [{ value: 'Helsinki' }, { value: 'Espoo' }] }), false);
  assert.equal(profileLooksLikeEmail({ top: [] }), false);
});

test('the orders table and the customers table are told apart', () => {
  const tables = [
    { name: 'export_1', numRows: 300, columns: cols({ Email: 'text', 'Total Spent': 'number', Joined: 'date' }) },
    { name: 'export_2', numRows: 2194, columns: cols({ Email: 'text', Total: 'number', Created: 'timestamp' }) },
    { name: 'asiakkaat', numRows: 300, columns: cols({ Sähköposti: 'text' }) },
  ];
  assert.equal(guessOrdersTable(tables), 'export_2', 'the most rows among tables with a date and a number');
  assert.equal(guessOrdersTable([...tables, { ...tables[0], name: 'orders' }]), 'orders', 'a name says it');
  assert.equal(guessCustomersTable(tables, 'export_2'), 'asiakkaat');
  assert.equal(guessOrdersTable([{ name: 'x', numRows: 1, columns: cols({ a: 'text' }) }]), '');
});
