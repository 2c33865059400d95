#!/usr/bin/env bash
# Builds the npm package into dist/: ESM JavaScript, the optimized .wasm and TypeScript declarations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# The core module is linked by the thin crate wasm-core/ at opt-level "z", like the library; only its per-row
# kernels (kernels/) are compiled at 3: 616.3 → 509.7 KB gzip, no slower (Cargo.toml, docs/sizes.md).
cargo build -p segmetry-wasm --release --target wasm32-unknown-unknown --lib --quiet
rm -rf dist && mkdir -p dist/wasm
wasm-bindgen target/wasm32-unknown-unknown/release/segmetry_wasm.wasm \
  --target web --out-dir dist/wasm --out-name segmetry --remove-name-section --remove-producers-section
# wasm-opt -Oz: raw 2.02 → 1.78 MB (faster compile, less memory), gzip unchanged (588 → 589 KB); measured 2026-11.
# npm's binaryen, never Debian's (its wasm-opt 108 emits modules that fail to load; see ../shared/TOOLCHAIN.md).
node_modules/.bin/wasm-opt -Oz --strip-debug dist/wasm/segmetry_bg.wasm -o dist/wasm/segmetry_bg.wasm.opt
mv dist/wasm/segmetry_bg.wasm.opt dist/wasm/segmetry_bg.wasm
# The glue becomes a factory (createGlue) so that a trapped instance can be replaced; see scripts/wrap-glue.mjs.
node scripts/wrap-glue.mjs dist/wasm/segmetry.js
rm dist/wasm/segmetry.d.ts dist/wasm/segmetry_bg.wasm.d.ts # internal: the package's types are js/*.d.ts
cp js/*.js js/*.d.ts dist/
cp -r js/report dist/report   # segmetry/report: the embeddable report component (no wasm)

# The CSV and Parquet readers (formats/): two more wasm modules, one per reader, that js/formats.js loads only
# when a file of that format is converted, so the core module stays small and a CSV-only page never downloads the
# Parquet codecs. Each is the thin crate formats/wasm-<reader>/ linking segmetry-formats with one feature.
formats_target=${CARGO_TARGET_DIR:-target}
mkdir -p dist/formats
for reader in csv parquet; do
  cargo build -p "segmetry-formats-$reader" --release --target wasm32-unknown-unknown --lib --quiet
  wasm-bindgen "$formats_target/wasm32-unknown-unknown/release/segmetry_formats_$reader.wasm" \
    --target web --out-dir dist/formats --out-name "segmetry_formats_$reader" --remove-name-section \
    --remove-producers-section
  node scripts/wrap-glue.mjs "dist/formats/segmetry_formats_$reader.js"
  rm "dist/formats/segmetry_formats_$reader.d.ts" "dist/formats/segmetry_formats_${reader}_bg.wasm.d.ts"
done
# No wasm-opt here: measured, -Oz made the combined module's gzip 2 % larger and cost ~3 minutes of build time.

# The prepare verbs, clusters and CLV models (extras/): a third wasm module that js/extras.js loads on the first
# call of one of them. The segmetry library is built at opt-level 3 here (the workspace profile keeps it at "z" for
# the core, whose hot loops are in kernels/): the prepare verbs are hot loops over millions of rows, and at "z"
# `npm run bench:prepare` took ~1.2x the aggregate's and ~1.5x the join's time in Chromium, for 107 KB less gzip
# on this lazy module (docs/benchmark.md, prepare section).
cargo build -p segmetry-extras --release --target wasm32-unknown-unknown --lib --quiet \
  --config 'profile.release.package.segmetry.opt-level=3'
mkdir -p dist/extras
wasm-bindgen "$formats_target/wasm32-unknown-unknown/release/segmetry_extras.wasm" \
  --target web --out-dir dist/extras --out-name segmetry_extras --remove-name-section --remove-producers-section
node_modules/.bin/wasm-opt -Oz --strip-debug dist/extras/segmetry_extras_bg.wasm -o dist/extras/segmetry_extras_bg.wasm.opt
mv dist/extras/segmetry_extras_bg.wasm.opt dist/extras/segmetry_extras_bg.wasm
node scripts/wrap-glue.mjs dist/extras/segmetry_extras.js
rm dist/extras/segmetry_extras.d.ts dist/extras/segmetry_extras_bg.wasm.d.ts

# Each module's raw and gzip -9 size against its budget (docs/sizes.md); `npm test` runs the same script with
# --check, which fails when a budget is exceeded.
node scripts/wasm-budgets.mjs
