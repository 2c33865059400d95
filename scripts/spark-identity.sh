#!/usr/bin/env bash
# Scale-out identity, with real engines (one suite of scripts/test.sh): the built package writes the
# sqlForAnalysis queries (tests/fixtures/scaleout/configs.json over tests/fixtures/analysis/experiment.arrow),
# DuckDB, Apache Spark (local mode, 127.0.0.1 only, no UI) and, where installed, PostgreSQL run them over the
# same rows (as Parquet; COPY for PostgreSQL), and
# tests/js/scaleout.test.mjs checks that analyzeSummary over each engine's aggregates equals ds.analyze
# (counts exact, floats to 1e-12 relative). The Python packages (duckdb, pyarrow, pyspark; pinned in
# scripts/gen_scaleout_fixtures.py) are installed once into .venv/spark (scripts/pyenv.py); Spark needs Java 17 (`java` on PATH).
# Needs the package build (npm run build; SEGMETRY_DIST=dir points at another build). It also runs the prepare
# recipes' SQL (aggregate/join/customerFeatures) in the same engines: see the end.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v java >/dev/null 2>&1; then
  echo "[spark-identity] java is not installed; Spark needs a Java 17 runtime (Debian: openjdk-17-jre-headless)" >&2
  exit 1
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/segmetry-scaleout.XXXXXX")
trap 'rm -rf "$out"' EXIT
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$PWD/.venv/spark/bin/python"
node tests/fixtures/scaleout/write_sql.mjs "$out"
start=$(date +%s.%N)
python3 scripts/gen_scaleout_fixtures.py --sql-dir "$out" --out "$out"
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "[spark-identity] engines (venv check + DuckDB + Spark + PostgreSQL): %.1f s\n", e - s }'
require=duckdb,spark
# PostgreSQL too where its server is installed (Debian's postgresql package; a throwaway server, unix socket only).
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1; then
  require+=,postgres
fi
SCALEOUT_DIR="$out" SCALEOUT_REQUIRE=$require node --test tests/js/scaleout.test.mjs
# Recipes (aggregate, join, customerFeatures; tests/fixtures/prepare/recipes.json): the engines run segmetry's recipe
# SQL afresh over the shop exports, and tests/prepare_sql.rs compares their tables and analyses with segmetry's own
# (counts exact, floats to 1e-12). PostgreSQL where installed; sql/skipped.json in the results names what did not run.
python3 scripts/gen_prepare_fixtures.py --recipes --recipes-spark --results-dir="$out/prepare"
PREPARE_ENGINE_DIR="$out/prepare" cargo test --workspace --quiet --test prepare_sql
