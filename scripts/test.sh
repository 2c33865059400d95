#!/usr/bin/env bash
# The README's test command: install what is missing, build, and run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
section() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

section "setup"
bash scripts/setup.sh --browser

section "build (npm package)"
bash scripts/build.sh

section "rust core, native (cargo test)"
cargo test --quiet

section "wasm facade in Node (wasm-bindgen-test)"
cargo test --quiet --target wasm32-unknown-unknown --test wasm_node

section "wasm facade in headless Chromium (wasm-bindgen-test + chromedriver)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --quiet --target wasm32-unknown-unknown --test wasm_browser

section "TypeScript declarations"
node_modules/.bin/tsc -p tests/types/tsconfig.json

section "npm package in Node (node:test) and dashboard in Chromium (playwright-core)"
node --test --test-concurrency=1 tests/js/ tests/browser/
