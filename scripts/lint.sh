#!/usr/bin/env bash
# The lint stage, first in `npm test`: formatting (rustfmt, prettier) and lints (clippy, eslint) must be clean.
# Each check runs; the exit code is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
check() {
  local name=$1
  shift
  echo "[lint] $name"
  "$@" || failed+=("$name")
}
check "cargo fmt" cargo fmt --all -- --check
# Lint levels and the deliberate allows (with reasons) are in Cargo.toml's [workspace.lints].
check "cargo clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings
# src/wasm/ compiles only for wasm32: lint the facade and its wasm-bindgen tests there too.
check "cargo clippy (wasm32 facade)" cargo clippy --target wasm32-unknown-unknown --lib --test wasm_node \
  --test wasm_browser --quiet -- -D warnings
check "cargo clippy (wasm32 extras module)" cargo clippy --target wasm32-unknown-unknown -p segmetry-extras --lib \
  --quiet -- -D warnings
check "eslint" node_modules/.bin/eslint js www tests eslint.config.js
check "prettier" node_modules/.bin/prettier --check --log-level warn js www tests eslint.config.js
if ((${#failed[@]})); then
  echo "[lint] FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "[lint] clean"
