#!/usr/bin/env bash
# The README's test command: install what is missing, build, and run every test suite. Every suite runs even
# when an earlier one fails; the exit code is non-zero if any failed, and the summary names them.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
failed=()
section() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }
suite() {
  local name=$1
  shift
  section "$name"
  "$@" || failed+=("$name")
}

section "setup"
bash scripts/setup.sh --browser || exit 1
# First after setup (which installs the linters): a style or lint failure fails the run in seconds.
section "lint (rustfmt, clippy, eslint, prettier)"
bash scripts/lint.sh || exit 1
section "build (npm package)"
bash scripts/build.sh || exit 1

suite "wasm size budgets (scripts/wasm-budgets.mjs, docs/sizes.md)" node scripts/wasm-budgets.mjs --check
suite "rust core and formats crate, native (cargo test)" cargo test --workspace --quiet --no-fail-fast
suite "wasm facade in Node (wasm-bindgen-test)" cargo test --target wasm32-unknown-unknown --test wasm_node
suite "wasm facade in headless Chromium (wasm-bindgen-test)" \
  env CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_browser
suite "TypeScript declarations (tsc)" \
  bash -c 'node_modules/.bin/tsc -p tests/types/tsconfig.json && node_modules/.bin/tsc -p tests/types/tsconfig.formats.json'
suite "npm package in Node and dashboard in Chromium (node:test)" \
  node --test --test-concurrency=1 tests/js/ tests/browser/
suite "npm pack → Vite, webpack, esbuild, rollup, Parcel, Node ESM/require, TypeScript; publint, attw" \
  node --test tests/consumers/consumers.test.mjs
suite "scale-out identity: DuckDB, Spark (and PostgreSQL) aggregates → analyzeSummary = ds.analyze" bash scripts/spark-identity.sh
suite "fuzz smoke (cargo fuzz, nightly)" bash scripts/fuzz-smoke.sh

section "summary"
if ((${#failed[@]})); then
  printf 'FAILED suites: %s\n' "${failed[*]}"
  exit 1
fi
echo "all suites passed"
