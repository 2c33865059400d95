#!/usr/bin/env bash
# Builds the dashboard (www/) with Vite into dist-dashboard/: the package from dist/ (run scripts/build.sh first),
# Observable Plot and apache-arrow bundled locally, the engine in a module worker. No CDN, no inline script.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f dist/index.js ]] || { echo "dist/ is missing: run scripts/build.sh first" >&2; exit 1; }
node_modules/.bin/vite build --config www/vite.config.js
echo "[build] dashboard: dist-dashboard/ ($(du -sh dist-dashboard | cut -f1))"
