// segmetry: customer segmentation, conversion metrics and A/B statistics over Apache Arrow, in WebAssembly.
// Importing loads nothing: the wasm core instantiates on first use (`await init()`, or any async entry point).
export { init } from './runtime.js';
export { SegmetryError } from './errors.js';
export { toCsv } from './csv.js';
export { loadDataset, loadDatasetSync, tokenize, Dataset, Segment } from './dataset.js';
export * as stats from './stats.js';
export { toArrow, toArrowDetailed, loadFile, sniffFormat } from './formats.js';
export { createClient, Client, RemoteDataset } from './client.js';
export { sqlForAnalysis, analyzeSummary } from './scaleout.js';
export { reportToRows, reportToArrow } from './report-export.js';
