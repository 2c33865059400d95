#!/usr/bin/env bash
# Installs what a fresh machine lacks, idempotently; a second run only checks.
#   scripts/setup.sh            toolchain + npm packages (enough to build and serve)
#   scripts/setup.sh --browser  also Debian chromium + chromium-driver (browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1
step() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. The wasm32 target (rustup ships only the host target on a fresh machine).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version Cargo.lock pins for the wasm-bindgen crate (they must agree).
want_wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have_wb" != "$want_wb" ]]; then
  step "installing wasm-bindgen-cli $want_wb (have: ${have_wb:-none}); takes ~5 minutes once"
  # --locked fails for this release (its lockfile pins a yanked crate); see ../shared/TOOLCHAIN.md.
  cargo install wasm-bindgen-cli --version "$want_wb"
fi

# 3. npm packages from the committed lockfile; the stamp makes reruns instant.
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [[ ! -f node_modules/.segmetry-lock && ! -d node_modules ]] || [[ "$(cat node_modules/.segmetry-lock 2>/dev/null)" != "$lock_hash" ]]; then
  step "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.segmetry-lock
fi

# 3b. Debian clang: zstd (C) in the Parquet/CSV reader module (formats/) needs a C compiler for wasm32.
if ! command -v clang >/dev/null 2>&1; then
  step "installing Debian clang (zstd for wasm32 in formats/)"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq clang >/dev/null
fi

# 4. Debian chromium + chromedriver for browser tests (never a downloaded browser).
if (( want_browser )) && { [[ ! -x /usr/bin/chromium ]] || [[ ! -x /usr/bin/chromedriver ]]; }; then
  step "installing Debian chromium and chromium-driver"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi
exit 0
