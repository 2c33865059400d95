#!/usr/bin/env bash
# The README's run command: install what is missing, build the package and the dashboard, serve it on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bash scripts/build-dashboard.sh
exec node scripts/serve.mjs --port "${PORT:-8080}"
