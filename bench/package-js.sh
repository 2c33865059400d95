#!/usr/bin/env bash
# The package around a freshly built core module in OUT/wasm (what bench/build-dist.sh and bench/build-variant.sh
# share, and what scripts/build.sh does for dist/): the glue wrapped into a factory (js/runtime.js imports
# createGlue), the ESM files and the report component, and the formats and extras modules, which a core build does
# not change, copied from dist/ (run `npm run build` once first).
#   bash bench/package-js.sh OUT
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
node scripts/wrap-glue.mjs "$out/wasm/segmetry.js"
rm -f "$out/wasm/segmetry.d.ts" "$out/wasm/segmetry_bg.wasm.d.ts"
cp js/*.js js/*.d.ts "$out/"
cp -r js/report "$out/report"
for module in formats extras; do
  if [[ ! -d dist/$module ]]; then
    echo "[bench] dist/$module is missing: run npm run build first (the bench copies the $module module from it)" >&2
    exit 1
  fi
  cp -r "dist/$module" "$out/$module"
done
