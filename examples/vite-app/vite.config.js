import { defineConfig } from 'vite';

// Nothing segmetry-specific: Vite finds the package's wasm and worker through their `new URL(…, import.meta.url)`.
// `base: './'` only lets the built app be served from any folder.
export default defineConfig({
  base: './',
});
