#!/usr/bin/env bash
# The README's run command: install what is missing, build the package, serve the dashboard on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node scripts/serve.mjs --port "${PORT:-8080}"
