// The engine's messages in Finnish (issue 12): `lang` on analyze, analyzeSummary, link and the segment methods
// words option, column, variant and metric errors from the engine's catalogue, and built-in groups carry their
// descriptions in each language. The Finnish texts are written out here, not read from the engine; `code` and
// `subject` are the same in every language.
// The CSV and Parquet readers word their import errors and the import report's warnings in Finnish too, and so do
// the prepare verbs (aggregate, join, customerFeatures) and rfm / lifecycle their errors.
// Run: node --test tests/js/messages-fi.test.mjs  (needs the package build: npm run build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import {
  loadDataset,
  reportToRows,
  reportToArrow,
  SegmetryError,
  toArrow,
  toArrowDetailed,
  createClient,
} from 'segmetry';

const data = readFileSync(new URL('../fixtures/analysis/experiment.arrow', import.meta.url));
const ds = await loadDataset(data);

/** The error `run` throws, checked to be a SegmetryError with `code`. */
function failure(run, code) {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof SegmetryError, String(err));
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail('expected an error');
}

test('analyze words an unknown column in Finnish, with the same code and subject as in English', () => {
  const fi = failure(() => ds.analyze({ variant: 'varaint', lang: 'fi' }), 'UNKNOWN_COLUMN');
  assert.equal(fi.message, 'asetus `variant`: saraketta `varaint` ei ole; tarkoititko `variant`?');
  const en = failure(() => ds.analyze({ variant: 'varaint' }), 'UNKNOWN_COLUMN');
  assert.equal(en.message, 'option `variant`: there is no column `varaint`; did you mean `variant`?');
  assert.equal(fi.subject, en.subject);
  // Any Finnish tag; other languages get English.
  assert.equal(failure(() => ds.analyze({ variant: 'varaint', lang: 'fi-FI' }), 'UNKNOWN_COLUMN').message, fi.message);
  assert.equal(failure(() => ds.analyze({ variant: 'varaint', lang: 'sv' }), 'UNKNOWN_COLUMN').message, en.message);
});

test('variant, control, conversion and metric errors in Finnish', () => {
  const fi = (options, code) => failure(() => ds.analyze({ ...options, lang: 'fi' }), code).message;
  assert.equal(
    fi({ control: 'Z' }, 'INVALID_ARGUMENT'),
    'virheellinen argumentti `control`: sarakkeessa `variant` ei ole varianttia `Z`; variantit ovat `A`, `B`, `C`',
  );
  assert.equal(
    fi({ variant: 'revenue' }, 'TYPE_MISMATCH'),
    'varianttisarake `revenue` on tyyppiä float64; variantin pitää olla tekstiä (utf8 tai sanakirja), ' +
      'kokonaisluku tai totuusarvo',
  );
  assert.equal(
    fi({ conversion: 'country' }, 'TYPE_MISMATCH'),
    'asetus `conversion` käyttää saraketta `country`, jonka tyyppi on utf8; sen pitää olla totuusarvosarake tai ' +
      'lukusarake, jonka arvot ovat 0/1',
  );
  assert.match(
    fi({ conversion: 'converted_bad' }, 'TYPE_MISMATCH'),
    /^konversiosarakkeessa `converted_bad` on arvo 2 rivillä 10000; numeerisessa konversiosarakkeessa saa olla vain 0 ja 1 \(tai tyhjä\)$/,
  );
  assert.equal(
    fi({ metrics: { rev: { column: 'revenue', type: 'meen' } } }, 'INVALID_ARGUMENT'),
    "virheellinen argumentti `metrics`: mittari `rev`: `type`: tuntematon mittarityyppi `meen`; tyypit ovat 'proportion', " +
      "'mean', 'ratio' ja 'nps'",
  );
  assert.equal(
    fi({ metrics: { rev: { colum: 'revenue' } } }, 'INVALID_ARGUMENT'),
    'virheellinen argumentti `metrics`: mittari `rev`: tuntematon avain `colum`; tarkoititko `column`?',
  );
  assert.equal(
    fi({ metrics: { rev: { column: 'revenu' } } }, 'UNKNOWN_COLUMN'),
    'mittari `rev`: saraketta `revenu` ei ole; tarkoititko `revenue`?',
  );
  assert.equal(
    fi({ metrics: { opened: { column: 'country', type: 'mean' } } }, 'TYPE_MISMATCH'),
    'mittari `opened` käyttää saraketta `country`, jonka tyyppi on utf8; mean-mittarille kelpaa lukusarake ' +
      '(kokonaisluku, liukuluku tai desimaaliluku)',
  );
  assert.equal(
    fi({ confidanse: 0.9 }, 'INVALID_ARGUMENT'),
    'virheellinen argumentti `confidanse`: tuntematon asetus; tarkoititko `confidence`?',
  );
  assert.equal(
    fi({ confidence: 1.5 }, 'INVALID_ARGUMENT'),
    'virheellinen argumentti `confidence`: pitää olla aidosti välillä 0–1, esim. 0.95; saatiin 1.5',
  );
  // A rule segment's error: the context and the rule error, then the caret excerpt.
  const rule = fi({ segments: { bad: 'orders_cont >= 2' } }, 'UNKNOWN_COLUMN');
  assert.equal(rule.split('\n')[0], 'segmentti `bad`: saraketta `orders_cont` ei ole; tarkoititko `orders_count`?');
});

test('the segment methods and link take lang for every error they throw', () => {
  const members = failure(
    () => ds.segmentMembers('orders_count >= 2', { columns: ['emial'], lang: 'fi' }),
    'UNKNOWN_COLUMN',
  );
  assert.match(members.message, /saraketta `emial` ei ole; /);
  const link = failure(() => ds.link('orders', ds, { on: 'cuntry', lang: 'fi' }), 'UNKNOWN_COLUMN');
  assert.match(link.message, /saraketta `cuntry` ei ole; tarkoititko `country`\?/);
});

test('analyzeSummary words its option errors in Finnish too', async () => {
  const { analyzeSummary } = await import('segmetry');
  const err = failure(
    () => analyzeSummary([], { variant: 'variant', confidanse: 0.9, dataset: ds, lang: 'fi' }),
    'INVALID_ARGUMENT',
  );
  assert.equal(err.message, 'virheellinen argumentti `confidanse`: tuntematon asetus; tarkoititko `confidence`?');
});

test('loading words its errors in Finnish with { lang }', async () => {
  const text = new TextEncoder().encode('not,arrow\n');
  const hex = [...text.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  await assert.rejects(loadDataset(text, { lang: 'fi' }), (err) => {
    assert.equal(err.code, 'INVALID_ARROW');
    assert.equal(
      err.message,
      `syöte (10 tavua, alkaa ${hex}) ei ole Arrow IPC -virta eikä Arrow IPC -tiedosto; CSV- ja Parquet-tiedostot ` +
        'pitää muuntaa ensin (koontinäyttö tekee sen pudotetuille tiedostoille)',
    );
    return true;
  });
  const file = arrow.tableToIPC(arrow.tableFromArrays({ x: Int32Array.from([1, 2, 3]) }), 'file');
  const cut = file.slice(0, file.length - 10);
  await assert.rejects(loadDataset(cut, { lang: 'fi' }), (err) => {
    assert.equal(err.code, 'INVALID_ARROW');
    assert.equal(
      err.message,
      `Arrow-tiedosto on katkennut tai vioittunut (${cut.length} tavua, ei kelvollista loppuosaa); varmista, että ` +
        'koko tiedosto annettiin',
    );
    return true;
  });
  await assert.rejects(loadDataset(cut), /the Arrow file is truncated or damaged/);
});

const bytes = (text) => new TextEncoder().encode(text);

/** `promise`'s rejection, checked to be a SegmetryError with `code`. */
async function rejection(promise, code) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SegmetryError, String(err));
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail('expected an error');
}

test('CSV import errors in Finnish with { lang }, naming the line and column', async () => {
  const short = bytes('id,name,city\n1,Matti,Oulu\n2,Liisa\n');
  const fi = await rejection(toArrow(short, { lang: 'fi' }), 'INVALID_CSV');
  assert.equal(
    fi.message,
    "CSV-rivillä 3 on 2 kenttää, mutta ensimmäisellä rivillä (rivi 1) on 3 (erotin ',' (pilkku) (tunnistettu; anna " +
      'asetus `delimiter`, jos se on väärä)). Kenttä puuttuu, tai lainausmerkeittä kirjoitetun arvon rivinvaihto ' +
      'jakoi rivin kahtia: lisää puuttuva kenttä (tyhjä kelpaa: kaksi erotinta peräkkäin) tai kirjoita ' +
      'rivinvaihtoja sisältävät arvot lainausmerkkeihin',
  );
  const en = await rejection(toArrow(short), 'INVALID_CSV');
  assert.match(en.message, /^CSV line 3 has 2 fields but the first line \(line 1\) has 3 \(delimiter ',' \(comma\)/);
  assert.deepEqual([fi.line, fi.column], [en.line, en.column]);
  assert.deepEqual([fi.line, fi.column], [3, 2]);

  const open = await rejection(toArrow(bytes('a,b\n1,"auki\n'), { lang: 'fi' }), 'INVALID_CSV');
  assert.equal(
    open.message,
    'CSV-rivi 2, sarake 3: tästä alkaa lainausmerkeissä oleva kenttä, mutta sen loppulainausmerkki puuttuu, joten ' +
      'kaikki sen jälkeen (rivejä lisää: 1) olisi yksi arvo. Sulje lainaus; lainausmerkeissä olevan arvon sisällä ' +
      'lainausmerkki kirjoitetaan kahdesti (""), esim. "6"" putki"',
  );
  assert.deepEqual([open.line, open.column], [2, 3]);

  const value = bytes('id,amount\n1,"12,50"\n2,n/a\n');
  const bad = await rejection(
    toArrow(value, { types: { amount: 'float64' }, locale: 'fi', lang: 'fi' }),
    'INVALID_CSV',
  );
  assert.equal(
    bad.message,
    "CSV-rivi 3, sarake 'amount' (kenttä 2): arvoa 'n/a' ei voi lukea tyyppinä float64 (ei desimaalipilkullinen " +
      "luku (locale 'fi'/'sv')). Korjaa arvo tai lue sarake tekstinä asetuksella types: { 'amount': 'utf8' }",
  );
  assert.equal(bad.subject, 'amount');

  const option = await rejection(toArrow(value, { locale: 'se', lang: 'fi' }), 'INVALID_ARGUMENT');
  assert.equal(option.message, "locale-asetuksen pitää olla 'auto', 'fi', 'sv', 'de' tai 'en', saatiin 'se'");
  assert.equal(option.subject, 'locale');
});

test('the import report warns in Finnish; codes, columns and examples stay', async () => {
  const zips = bytes('Zip,n\n00100,1\n00200,2\n');
  const fi = await toArrowDetailed(zips, { lang: 'fi' });
  const text =
    "sarake 'Zip' pysyy tekstinä: arvot, kuten 00100, alkavat nollalla, joten ne ovat tunnuksia eivätkä lukuja. " +
    "Anna types: { 'Zip': 'int64' } (tai 'float64'), niin se luetaan lukuina";
  assert.deepEqual(fi.warnings, [text]);
  const [warning] = fi.importReport.warnings;
  assert.equal(warning.message, text);
  const en = (await toArrowDetailed(zips)).importReport.warnings[0];
  assert.match(en.message, /^column 'Zip' stays text: values such as 00100 have leading zeros/);
  assert.deepEqual({ ...warning, message: '' }, { ...en, message: '' });
  assert.equal(warning.code, 'LEADING_ZERO');
});

test('errors found before a reader runs are worded by the catalogue too', async () => {
  const binary = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2, 3]); // a ZIP (an .xlsx), no name
  const fi = await rejection(toArrow(binary, { lang: 'fi' }), 'INVALID_ARGUMENT');
  assert.equal(
    fi.message,
    'tiedostosta ei voi päätellä, onko se CSV-, Parquet- vai Arrow-tiedosto: se ei ole tekstiä, eikä siinä ole ' +
      "Parquetin tai Arrow'n tunnistetavuja. Anna format: 'csv', 'parquet' tai 'arrow'",
  );
  assert.equal(fi.subject, 'format');
  const en = await rejection(toArrow(binary), 'INVALID_ARGUMENT');
  assert.match(en.message, /^could not tell whether this is CSV, Parquet or Arrow/);
  const typed = await rejection(toArrow(data, { types: { x: 'utf8' }, lang: 'fi' }), 'INVALID_ARGUMENT');
  assert.equal(
    typed.message,
    'types-asetus koskee CSV-tiedostoja; tämä Arrow-tiedosto tallentaa omat saraketyyppinsä. Jätä asetus pois tai ' +
      'muunna tyypit latauksen jälkeen',
  );
  assert.equal(typed.subject, 'types');
});

test('Parquet import errors in Finnish', async () => {
  const cut = bytes('PAR1 ja loppu puuttuu');
  const err = await rejection(toArrow(cut, { format: 'parquet', lang: 'fi' }), 'INVALID_PARQUET');
  assert.equal(
    err.message,
    `Parquet-tiedosto on katkennut: se alkaa kuin Parquet mutta ei pääty tavuihin PAR1 (sen loppuosa puuttuu; ` +
      `annettiin ${cut.length} tavua). Se katkesi luultavasti kopioitaessa, ladattaessa tai lähetettäessä: hae ` +
      'koko tiedosto',
  );
});

test("the worker client's load passes lang to the readers: errors and the import report", async () => {
  const client = await createClient();
  try {
    const err = await rejection(client.load(bytes('a,b\n1,2,3\n'), { lang: 'fi' }), 'INVALID_CSV');
    assert.match(err.message, /^CSV-rivillä 2 on 3 kenttää, mutta ensimmäisellä rivillä \(rivi 1\) on 2/);
    const ds = await client.load(bytes('Zip,n\n00100,1\n00200,2\n'), { lang: 'fi' });
    assert.match(ds.importReport.warnings[0].message, /^sarake 'Zip' pysyy tekstinä: arvot, kuten 00100, alkavat/);
    await ds.free();
  } finally {
    client.terminate();
  }
});

/** An orders table with plain utf8 text columns. */
async function orders() {
  const text = (values) => arrow.vectorFromArray(values, new arrow.Utf8());
  const table = new arrow.Table({
    Email: text(['a@x.fi', 'b@x.fi', 'a@x.fi']),
    Total: arrow.vectorFromArray([10, 20, 30], new arrow.Float64()),
    Created: text(['2026-01-01', '2026-02-01', '2026-03-01']),
  });
  return loadDataset(arrow.tableToIPC(table));
}

const headline = (err) => err.message.split('\n')[0];

test('aggregate words option and expression errors in Finnish, with the same span and excerpt', async () => {
  const ds = await orders();
  const agg = (values, lang) => ds.aggregate({ by: 'Email', values, ...(lang ? { lang } : {}) });
  const fi = await rejection(agg({ n: 'summ(Total)' }, 'fi'), 'RULE_SYNTAX');
  assert.equal(headline(fi), 'asetus `values.n`: tuntematon koostefunktio `summ`; tarkoititko `sum`?');
  const en = await rejection(agg({ n: 'summ(Total)' }), 'RULE_SYNTAX');
  assert.equal(headline(en), 'values.n: unknown aggregate `summ`; did you mean `sum`?');
  assert.deepEqual([fi.start, fi.end, fi.subject], [en.start, en.end, en.subject]);
  assert.equal(fi.message.slice(headline(fi).length), en.message.slice(headline(en).length));
  assert.equal(
    headline(await rejection(agg({ s: 'sum(Email)' }, 'fi'), 'TYPE_MISMATCH')),
    'asetus `values.s`: sum() ei voi käyttää saraketta `Email`, jonka tyyppi on utf8; se tarvitsee lukusarakkeen; ' +
      'jos sarakkeessa on rahamääriä, tuo se tyyppinä float64 (loadFile-funktion types-asetus)',
  );
  assert.equal(
    headline(await rejection(agg({ big: 'count_if(Totl > 10)' }, 'fi'), 'UNKNOWN_COLUMN')),
    'asetus `values.big`: saraketta `Totl` ei ole; tarkoititko `Total`?',
  );
  assert.equal(
    headline(await rejection(agg({ n: 'count_if()' }, 'fi'), 'RULE_SYNTAX')),
    'asetus `values.n`: count_if tarvitsee säännön, esim. count_if("Financial Status" = \'paid\')',
  );
  assert.equal(
    (await rejection(agg({}, 'fi'), 'INVALID_ARGUMENT')).message,
    "virheellinen argumentti `values`: anna vähintään yksi tulossarake, esim. { orders_count: 'count_distinct(Name)' }",
  );
});

test('join and customerFeatures word their errors in Finnish', async () => {
  const ds = await orders();
  const dup = await rejection(ds.join(ds, { on: 'Email', lang: 'fi' }), 'INVALID_ARGUMENT');
  assert.equal(
    dup.message,
    'oikean taulun sarakkeessa `Email` on useammin kuin kerran esiintyviä avainarvoja (1 kpl), esim. `a@x.fi` ' +
      "(asetuksella normalizeKey: 'email' tai 'text' vielä useampi avain voi osua yhteen); liitos tarvitsee yhden " +
      "oikean rivin avainta kohden, joten kokoa oikea taulu ensin, esim. right.aggregate({ by: 'Email', values: { … } })",
  );
  assert.equal(dup.subject, 'on');
  const key = await rejection(ds.join(ds, { on: 'Total', lang: 'fi' }), 'TYPE_MISMATCH');
  assert.equal(
    key.message,
    'sarake `Total` on tyyppiä float64 eikä kelpaa avaimeksi; käytä teksti- tai kokonaislukusaraketta (sähköposti, ' +
      'tunniste)',
  );
  const features = (options) => ds.customerFeatures({ customer: 'Email', amount: 'Total', lang: 'fi', ...options });
  const date = await rejection(features({ date: 'Created' }), 'TYPE_MISMATCH');
  assert.equal(
    date.message,
    '`date`-sarake `Created` on tyyppiä utf8, mutta sen pitää olla päivämäärä tai aikaleima; tuo se ' +
      'loadFile-funktion types-asetuksella',
  );
  assert.equal(date.subject, 'date');
  const unknown = await rejection(features({ date: 'Creatd' }), 'UNKNOWN_COLUMN');
  assert.match(unknown.message, /^saraketta `Creatd` ei ole; tarkoititko `Created`\?/);
  // `lang` words the errors; it is not part of the recipe.
  const agg = await ds.aggregate({ by: 'Email', values: { n: 'count()' }, lang: 'fi' });
  assert.equal(agg.recipe.options.lang, undefined);
});

test('rfm and lifecycle word their option errors in Finnish', async () => {
  const ds = await customers();
  const fi = (run, code) => failure(run, code).message;
  assert.equal(
    fi(() => ds.rfm({ recency: ' ', lang: 'fi' }), 'INVALID_ARGUMENT'),
    'virheellinen argumentti `recency`: ei saa olla tyhjä; nimeä jokin aineiston sarake',
  );
  assert.equal(
    fi(() => ds.rfm({ monetary: 'converted', frequency: 'variant', lang: 'fi' }), 'TYPE_MISMATCH'),
    'asetus `frequency` käyttää saraketta `variant`, jonka tyyppi on dictionary<int32, utf8> (tekstiä); siinä ' +
      'pitää olla tilausten määrä: kokonaisluku-, liukuluku- tai desimaalisarake tai päivämäärä- tai ' +
      'aikaleimasarake; valitse toinen sarake tai muunna tämä ennen lataamista',
  );
  assert.equal(
    fi(() => ds.lifecycle({ thresholds: { newMaxOrders: 0 }, lang: 'fi' }), 'INVALID_ARGUMENT'),
    'virheellinen argumentti `thresholds.newMaxOrders`: pitää olla vähintään 1 (uusi asiakas on tilannut)',
  );
  assert.equal(
    fi(() => ds.lifecycle({ thresholds: { loyalMinOrders: 1 }, lang: 'fi' }), 'INVALID_ARGUMENT'),
    'virheellinen argumentti `thresholds.loyalMinOrders`: pitää olla suurempi kuin thresholds.newMaxOrders (1), ' +
      'muuten vaiheet New ja Loyal menisivät päällekkäin',
  );
  assert.match(failure(() => ds.rfm({ recency: ' ' }), 'INVALID_ARGUMENT').message, /must not be empty/);
});

test('clusters words its option errors in Finnish', async () => {
  const ds = await customers();
  const fi = async (options) => (await rejection(ds.clusters({ ...options, lang: 'fi' }), 'INVALID_ARGUMENT')).message;
  assert.equal(
    await fi({ columns: [] }),
    'virheellinen argumentti `columns`: nimeä vähintään yksi lukusarake, jonka mukaan klusteroidaan',
  );
  assert.equal(
    await fi({ columns: ['orders_count'], k: 1 }),
    'virheellinen argumentti `k`: pitää olla välillä 2–20 (saatiin 1)',
  );
});

/** A small customer table for the built-ins: orders, days since the last order, an A/B split. */
async function customers() {
  const n = 40;
  const table = arrow.tableFromArrays({
    orders_count: Int32Array.from({ length: n }, (_, i) => i % 8),
    last_order_days: Int32Array.from({ length: n }, (_, i) => (i * 37) % 400),
    variant: Array.from({ length: n }, (_, i) => (i % 2 ? 'B' : 'A')),
    converted: Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
  });
  return loadDataset(arrow.tableToIPC(table));
}

test('built-in groups carry their description in each language, in lifecycle() and in the report', async () => {
  const c = await customers();
  const lifecycle = { frequency: 'orders_count', recency: 'last_order_days' };
  const groups = c.lifecycle(lifecycle);
  const byName = Object.fromEntries(groups.map((g) => [g.name, g]));
  assert.deepEqual(byName.Prospect.descriptions, {
    en: 'Customers with no orders yet.',
    fi: 'Asiakkaat, joilla ei vielä ole tilauksia.',
  });
  assert.equal(byName.Prospect.description, byName.Prospect.descriptions.en);
  assert.equal(
    byName.Loyal.descriptions.fi,
    'Asiakkaat, joilla on vähintään 5 tilausta ja joiden viimeinen tilaus on enintään 180 päivän takaa.',
  );
  assert.equal(byName.Lapsed.descriptions.fi, 'Asiakkaat, joiden viimeisestä tilauksesta on yli 180 päivää.');
  const report = c.analyze({
    variant: 'variant',
    control: 'A',
    conversion: 'converted',
    revenue: null,
    segments: { Elinkaari: { builtin: 'lifecycle', options: lifecycle } },
  });
  const loyal = report.segments.find((s) => s.name === 'Elinkaari: Loyal');
  assert.deepEqual(loyal.labels, { en: 'Elinkaari: Loyal', fi: 'Elinkaari: Uskollinen' });
  assert.deepEqual(loyal.descriptions, byName.Loyal.descriptions);
  const all = report.segments.find((s) => s.kind === 'all');
  assert.equal(all.labels.fi, 'Kaikki asiakkaat');
  assert.equal(all.descriptions, null);
  const rfm = c.rfm({ frequency: 'orders_count', recency: 'last_order_days', monetary: 'orders_count' });
  const champions = rfm.segments.find((g) => g.name === 'Champions');
  assert.equal(
    champions.descriptions.fi,
    'Ostaneet viimeksi (R = 5), ostavat usein ja käyttävät eniten rahaa (FM 4–5).',
  );
  c.free();
});

test('reportToRows / reportToArrow with { metrics: true }: one row per segment × variant × metric', () => {
  const report = ds.analyze({
    variant: 'variant',
    control: 'A',
    referenceDate: '2026-11-01',
    segments: { Repeat: 'orders_count >= 2' },
    metrics: { ordered: 'converted', spend: { column: 'revenue', type: 'mean', role: 'secondary' } },
  });
  const rows = reportToRows(report, { metrics: true });
  const cells = report.segments.flatMap((s) =>
    s.variants.flatMap((v) => Object.entries(v.metrics).map(([name, m]) => [s, v, name, m])),
  );
  assert.equal(rows.length, cells.length);
  assert.equal(rows.length, report.segments.length * 3 * 2);
  cells.forEach(([s, v, name, m], i) => {
    const row = rows[i];
    assert.deepEqual(
      [row.segment, row.variant, row.metric, row.type, row.role],
      [s.name, v.variant, name, m.type, m.role],
    );
    assert.equal(row.is_control, v.variant === 'A');
    assert.equal(row.estimate, m.estimate ?? null);
    assert.equal(row.lower, m.interval?.lower ?? null);
    assert.equal(row.p_value, m.vsControl?.pValue ?? null);
    assert.equal(row.sum, m.sum ?? null);
    assert.equal(row.conversions, m.conversions ?? null);
  });
  // The default layout is unchanged: one row per segment × variant, no metric columns.
  const plain = reportToRows(report);
  assert.equal(plain.length, report.segments.length * 3);
  assert.ok(!('metric' in plain[0]));
  const table = arrow.tableFromIPC(reportToArrow(report, { metrics: true }));
  assert.equal(table.numRows, rows.length);
  assert.deepEqual(
    table.schema.fields.slice(0, 7).map((f) => [f.name, String(f.type)]),
    [
      ['segment', 'Utf8'],
      ['variant', 'Utf8'],
      ['is_control', 'Bool'],
      ['metric', 'Utf8'],
      ['type', 'Utf8'],
      ['role', 'Utf8'],
      ['n', 'Float64'],
    ],
  );
  table.toArray().forEach((got, i) => {
    for (const [name, want] of Object.entries(rows[i])) {
      if (typeof want === 'number' && Number.isNaN(want)) assert.ok(Number.isNaN(got[name]), name);
      else assert.equal(got[name], want, `${name} of row ${i}`);
    }
  });
});

test('clv and calibrationAndHoldout word their option errors in Finnish', async () => {
  const ds = await orders();
  const horizon = await rejection(ds.clv({ horizonDays: 0, lang: 'fi' }), 'INVALID_ARGUMENT');
  assert.equal(horizon.message, 'virheellinen argumentti `horizonDays`: pitää olla päivien määrä > 0 (esim. 365)');
  assert.equal(horizon.subject, 'horizonDays');
  const en = await rejection(ds.clv({ horizonDays: 0 }), 'INVALID_ARGUMENT');
  assert.match(en.message, /horizonDays.*must be a number of days > 0 \(e\.g\. 365\)/);
  const named = { recency: 'Total', T: 'Total', lang: 'fi' };
  const type = await rejection(ds.clv({ frequency: 'Email', ...named }), 'TYPE_MISMATCH');
  assert.match(
    type.message,
    /^asetus `frequency` käyttää saraketta `Email`.*siinä pitää olla toistuvien ostojen määrä:/,
  );
  const few = await rejection(ds.clv({ frequency: 'Total', ...named }), 'INVALID_ARGUMENT');
  assert.match(few.message, /vain 3 rivillä on käyttökelpoiset syötteet; ostomalli tarvitsee asiakkaita/);
  const holdout = await rejection(
    ds.calibrationAndHoldout({ customer: 'Email', date: 'Total', calibrationEnd: '2026-02-01', lang: 'fi' }),
    'INVALID_ARGUMENT',
  );
  assert.equal(holdout.message, 'virheellinen argumentti `date`: pitää nimetä päivämäärä- tai aikaleimasarake');
});

test("serde's own option-error sentences are Finnish too", () => {
  const fi = (options) => failure(() => ds.analyze({ variant: 'variant', ...options, lang: 'fi' }), 'INVALID_ARGUMENT');
  assert.equal(
    fi({ difference: 'relatve' }).message,
    'virheellinen argumentti `difference`: tuntematon vaihtoehto `relatve`, odotettiin `absolute` tai `relative`',
  );
  assert.equal(
    fi({ confidence: 'x' }).message,
    'virheellinen argumentti `confidence`: väärä tyyppi: merkkijono "x", odotettiin f64',
  );
});
