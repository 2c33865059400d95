import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  // segmetry instantiates its wasm with top-level await.
  build: { target: 'es2022' },
  // segmetry's worker client ships a module worker that also uses top-level await: bundle it as ES.
  worker: { format: 'es' },
});
