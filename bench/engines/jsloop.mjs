// Hand-written JS: apache-arrow's tableFromIPC (zero-copy typed-array views over the IPC bytes), then one loop per
// record batch over the typed arrays. Dictionary predicates are evaluated once per dictionary entry; plain utf8
// strings are compared byte by byte without decoding; validity and boolean bitmaps are read bit by bit.
import { VARIANT_KEYS, FIELDS, CELLS, reportFromAggregates } from '../job.mjs';

const NV = VARIANT_KEYS.length;

export function create(Arrow) {
  return {
    name: 'js-loop',
    ingest(bytes) {
      return Arrow.tableFromIPC(bytes);
    },
    query(table) {
      const agg = new Float64Array(CELLS * FIELDS);
      for (const batch of table.batches) accumulate(batch, agg);
      return { aggregates: agg, report: reportFromAggregates(agg) };
    },
    release() {},
  };
}

const enc = new TextEncoder();
const strBytes = (s) => enc.encode(s);

/** Per-row code of a string column: dictionary → code table; utf8 → computed per row by `match`. */
function stringCodes(data, values) {
  // values: list of strings; returns Int8Array code per dictionary entry (-1 if not in values)
  const dict = data.dictionary;
  const table = new Int8Array(dict.length).fill(-1);
  for (let k = 0; k < dict.length; k++) table[k] = values.indexOf(dict.get(k));
  return table;
}

function accumulate(batch, agg) {
  const len = batch.numRows;
  const col = (name) => batch.getChild(name).data[0];
  const country = col('country');
  const orders = col('orders_count');
  const spent = col('total_spent');
  const last = col('last_order_days');
  const variant = col('variant');
  const converted = col('converted');
  const revenue = col('revenue');

  const ov = orders.values, sv = spent.values, lv = last.values, rv = revenue.values;
  const lBits = last.nullCount > 0 ? last.nullBitmap : null, lOff = last.offset;
  const cBits = converted.values, cOff = converted.offset;
  const ctyBits = country.nullCount > 0 ? country.nullBitmap : null, ctyOff = country.offset;

  // Per-row helpers specialised on the encoding.
  const dictCountry = country.dictionary !== undefined && country.dictionary !== null;
  const dictVariant = variant.dictionary !== undefined && variant.dictionary !== null;
  let cIdx, nordicByCode, cOffsets, cData;
  if (dictCountry) {
    cIdx = country.values;
    const codes = stringCodes(country, ['FI', 'SE']);
    nordicByCode = new Uint8Array(codes.length);
    for (let k = 0; k < codes.length; k++) nordicByCode[k] = codes[k] >= 0 ? 1 : 0;
  } else {
    cOffsets = country.valueOffsets; cData = country.values;
  }
  let vIdx, variantByCode, vOffsets, vData;
  if (dictVariant) {
    vIdx = variant.values;
    variantByCode = stringCodes(variant, VARIANT_KEYS);
  } else {
    vOffsets = variant.valueOffsets; vData = variant.values;
  }
  const F = 70, I = 73, S = 83, E = 69; // 'F' 'I' 'S' 'E'
  const vBytes = VARIANT_KEYS.map((k) => strBytes(k)[0]);

  for (let i = 0; i < len; i++) {
    // variant
    let v;
    if (dictVariant) v = variantByCode[vIdx[i]];
    else {
      const a = vOffsets[i], b = vOffsets[i + 1];
      v = b - a === 1 ? (vData[a] === vBytes[0] ? 0 : vData[a] === vBytes[1] ? 1 : vData[a] === vBytes[2] ? 2 : -1) : -1;
    }
    if (v < 0) continue;
    const ci = (cOff + i);
    const conv = (cBits[ci >> 3] >> (ci & 7)) & 1;
    const r = rv[i];
    const r2 = r * r;
    // everyone (segment 3)
    let base = (3 * NV + v) * FIELDS;
    agg[base]++; agg[base + 1] += conv; agg[base + 2] += r; agg[base + 3] += r2;
    // segment 0: country IN ('FI','SE') AND orders_count >= 3
    if (ov[i] >= 3) {
      let nordic;
      const ki = ctyOff + i;
      if (ctyBits !== null && !((ctyBits[ki >> 3] >> (ki & 7)) & 1)) nordic = 0;
      else if (dictCountry) nordic = nordicByCode[cIdx[i]];
      else {
        const a = cOffsets[i];
        nordic = cOffsets[i + 1] - a === 2 && ((cData[a] === F && cData[a + 1] === I) || (cData[a] === S && cData[a + 1] === E)) ? 1 : 0;
      }
      if (nordic) {
        base = v * FIELDS;
        agg[base]++; agg[base + 1] += conv; agg[base + 2] += r; agg[base + 3] += r2;
      }
    }
    // segment 1: total_spent BETWEEN 100 AND 500
    const t = sv[i];
    if (t >= 100 && t <= 500) {
      base = (NV + v) * FIELDS;
      agg[base]++; agg[base + 1] += conv; agg[base + 2] += r; agg[base + 3] += r2;
    }
    // segment 2: last_order_days > 90 (NULL is not a member)
    if (lv[i] > 90) {
      const li = lOff + i;
      if (lBits === null || ((lBits[li >> 3] >> (li & 7)) & 1)) {
        base = (2 * NV + v) * FIELDS;
        agg[base]++; agg[base + 1] += conv; agg[base + 2] += r; agg[base + 3] += r2;
      }
    }
  }
}
