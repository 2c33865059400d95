import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  // segmetry instantiates its wasm with top-level await.
  build: { target: 'es2022' },
});
