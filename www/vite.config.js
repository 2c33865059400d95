// Builds the dashboard (www/) into dist-dashboard/, which scripts/serve.mjs serves under the strict CSP.
// `segmetry` and `segmetry/client` resolve to the built package (dist/, as npm consumers get it); `segmetry/report`
// to its source.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^segmetry\/report$/, replacement: `${repo}js/report/index.js` },
      { find: /^segmetry\/client$/, replacement: `${repo}dist/client.js` },
      { find: /^segmetry$/, replacement: `${repo}dist/index.js` },
    ],
  },
  build: {
    outDir: `${repo}dist-dashboard`,
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or eval: the output must run under script-src 'self' 'wasm-unsafe-eval'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
});
