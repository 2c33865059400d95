// segmetry: customer segmentation, conversion metrics and A/B statistics over Apache Arrow, in WebAssembly.
// The wasm core is instantiated when this module is imported (top-level await in runtime.js).
export { SegmetryError } from './errors.js';
export { loadDataset, loadDatasetSync, tokenize, Dataset, Segment } from './dataset.js';
export * as stats from './stats.js';
export { toArrow, toArrowDetailed, loadFile, sniffFormat } from './formats.js';
export { createClient, Client, RemoteDataset } from './client.js';
export { sqlForAnalysis, analyzeSummary } from './scaleout.js';
