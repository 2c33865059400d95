#!/usr/bin/env bash
# Size/speed experiments without touching Cargo.toml: builds the core with profile overrides from the environment
# (e.g. CARGO_PROFILE_RELEASE_OPT_LEVEL=3, or RUSTFLAGS='-C target-feature=+simd128') into its own target dir and
# package dir, optionally keeping the wasm name section for profiling (KEEP_NAMES=1) or skipping wasm-opt (NO_OPT=1).
#   bash bench/build-variant.sh NAME        → bench/.variants/NAME (serve with: node bench/run.mjs --dist bench/.variants/NAME)
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
out=bench/.variants/$name
export CARGO_TARGET_DIR=$PWD/target/bench-$name
# shellcheck disable=SC2086
cargo build -p segmetry-wasm --release --target wasm32-unknown-unknown --lib --quiet ${CARGO_ARGS:-}
rm -rf "$out" && mkdir -p "$out/wasm"
names=(--remove-name-section)
[[ "${KEEP_NAMES:-0}" == 1 ]] && names=()
wasm-bindgen "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/segmetry_wasm.wasm" \
  --target web --out-dir "$out/wasm" --out-name segmetry "${names[@]}" --remove-producers-section
if [[ "${NO_OPT:-0}" != 1 ]]; then
  node_modules/.bin/wasm-opt ${WASM_OPT_FLAGS:--Oz} $([[ "${KEEP_NAMES:-0}" == 1 ]] && echo --debuginfo || echo --strip-debug) \
    "$out/wasm/segmetry_bg.wasm" -o "$out/wasm/segmetry_bg.wasm.opt"
  mv "$out/wasm/segmetry_bg.wasm.opt" "$out/wasm/segmetry_bg.wasm"
fi
bash bench/package-js.sh "$out"
echo "[variant $name] $(stat -c %s "$out/wasm/segmetry_bg.wasm") bytes raw, $(gzip -9 -c "$out/wasm/segmetry_bg.wasm" | wc -c) gzip -9"
