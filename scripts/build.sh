#!/usr/bin/env bash
# Builds the npm package into dist/: ESM JavaScript, the optimized .wasm and TypeScript declarations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cargo build --release --target wasm32-unknown-unknown --lib --quiet
rm -rf dist && mkdir -p dist/wasm
wasm-bindgen target/wasm32-unknown-unknown/release/segmetry.wasm \
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

# The CSV/Parquet readers (formats/): a second wasm module that js/formats.js loads only when a CSV or Parquet
# file is converted, so the core module stays small.
formats_target=${CARGO_TARGET_DIR:-target}
cargo build -p segmetry-formats --release --target wasm32-unknown-unknown --lib --quiet
mkdir -p dist/formats
wasm-bindgen "$formats_target/wasm32-unknown-unknown/release/segmetry_formats.wasm" \
  --target web --out-dir dist/formats --out-name segmetry_formats --remove-name-section --remove-producers-section
node scripts/wrap-glue.mjs dist/formats/segmetry_formats.js
rm dist/formats/segmetry_formats.d.ts dist/formats/segmetry_formats_bg.wasm.d.ts
# No wasm-opt here: measured, -Oz makes this module's gzip 2 % larger and costs ~3 minutes of build time.
fraw=$(stat -c %s dist/formats/segmetry_formats_bg.wasm)
fgz=$(gzip -9 -c dist/formats/segmetry_formats_bg.wasm | wc -c)
awk -v r="$fraw" -v g="$fgz" 'BEGIN { printf "[build] dist/formats/segmetry_formats_bg.wasm (CSV/Parquet, lazy): %d bytes raw (%.1f KB), %d bytes gzip -9 (%.1f KB)\n", r, r/1024, g, g/1024 }'

raw=$(stat -c %s dist/wasm/segmetry_bg.wasm)
gz=$(gzip -9 -c dist/wasm/segmetry_bg.wasm | wc -c)
awk -v r="$raw" -v g="$gz" 'BEGIN { printf "[build] dist/wasm/segmetry_bg.wasm: %d bytes raw (%.1f KB), %d bytes gzip -9 (%.1f KB)\n", r, r/1024, g, g/1024 }'
