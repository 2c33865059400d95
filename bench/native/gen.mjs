// Writes the bench table as an IPC stream file for the native harness: node bench/native/gen.mjs ROWS dict|utf8 OUT
import { writeFileSync } from 'node:fs';
import * as Arrow from 'apache-arrow';
import { generateColumns, ipcBytes } from '../gen.mjs';
const [rows = '1000000', encoding = 'dict', out = `bench/results/bench-${rows}-${encoding}.arrows`] = process.argv.slice(2);
writeFileSync(out, ipcBytes(Arrow, generateColumns(Number(rows)), encoding));
console.log(out);
