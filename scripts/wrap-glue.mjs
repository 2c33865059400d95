// Turns wasm-bindgen's `--target web` glue into a factory: `export function createGlue()` returns a fresh copy of
// the glue (its exports plus `imports()` and `finalize(instance, module)`) each time it is called.
//
// Why: the generated glue keeps its instance in module-level variables and its init functions return early once
// one is set, so an ES module import can hold exactly one instance for the life of the page. With panic = "abort"
// a trap leaves that instance unusable; to replace it, js/runtime.js (and js/formats.js) instantiate the compiled
// WebAssembly.Module again into a fresh glue. Each copy has its own FinalizationRegistry, so handles of the old
// instance never free memory in the new one. The glue's own loader (which would `fetch` a URL built from
// import.meta.url that bundlers would emit a second time) is never called, and its URL is removed here.
//
// Usage: node scripts/wrap-glue.mjs dist/wasm/segmetry.js
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const source = readFileSync(file, 'utf8');
const names = [];
const body = source
  .replace(/^export (class|function) (\w+)/gm, (_, kind, name) => {
    names.push(name);
    return `${kind} ${name}`;
  })
  .replace(/^export \{ initSync, __wbg_init as default \};\s*$/m, '')
  .replace(/new URL\('[\w.-]+\.wasm', import\.meta\.url\)/g, 'undefined')
  .replace(/^\/\* @ts-self-types=.*\*\/\n/m, ''); // its .d.ts is not shipped

// Anything else exported or imported would be lost silently: stop the build instead.
const leftover = body.match(/^(export|import)\b.*$|import\.meta/m);
if (leftover) {
  console.error(`wrap-glue: ${file}: unexpected '${leftover[0]}' (did wasm-bindgen change its output?)`);
  process.exit(1);
}
if (!/function __wbg_get_imports\(/.test(body) || !/function __wbg_finalize_init\(/.test(body)) {
  console.error(`wrap-glue: ${file}: __wbg_get_imports / __wbg_finalize_init not found`);
  process.exit(1);
}

const indented = body.replace(/^(?=.)/gm, '  ');
writeFileSync(
  file,
  `// Generated: wasm-bindgen --target web glue wrapped by scripts/wrap-glue.mjs (one fresh copy per call).
/** A fresh copy of the glue: its exports, \`imports()\` for instantiation and \`finalize(instance, module)\`. */
export function createGlue() {
${indented}
  return { ${names.join(', ')}, imports: __wbg_get_imports, finalize: __wbg_finalize_init };
}
`,
);
