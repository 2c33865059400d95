#!/usr/bin/env bash
# Builds the package like scripts/build.sh, but into a private directory (default bench/.dist) with its own cargo
# target dir, so a benchmark run is not disturbed by concurrent `npm run build`s that rewrite dist/.
#   bash bench/build-dist.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/.dist}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/bench}
cargo build -p segmetry-wasm --release --target wasm32-unknown-unknown --lib --quiet
rm -rf "$out" && mkdir -p "$out/wasm"
wasm-bindgen "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/segmetry_wasm.wasm" \
  --target web --out-dir "$out/wasm" --out-name segmetry --remove-name-section --remove-producers-section
node_modules/.bin/wasm-opt -Oz --strip-debug "$out/wasm/segmetry_bg.wasm" -o "$out/wasm/segmetry_bg.wasm.opt"
mv "$out/wasm/segmetry_bg.wasm.opt" "$out/wasm/segmetry_bg.wasm"
bash bench/package-js.sh "$out"
echo "[bench] built $out/wasm/segmetry_bg.wasm: $(stat -c %s "$out/wasm/segmetry_bg.wasm") bytes raw, $(gzip -9 -c "$out/wasm/segmetry_bg.wasm" | wc -c) gzip -9"
