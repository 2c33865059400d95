#!/usr/bin/env bash
# A short smoke run of every cargo-fuzz target (fuzz/fuzz_targets/*): each target runs its committed seed corpus
# and then mutates for a few seconds, so a target that crashes on its seeds or quickly fails is caught in CI.
# libFuzzer's seed is fixed (FUZZ_SEED, default 20261130) so two runs on one machine try the same inputs in the
# same order; only the time budget makes a slower machine stop earlier in that sequence.
# Long campaigns: docs/hardening.md.
#
#   scripts/fuzz-smoke.sh              every target, FUZZ_SECONDS (default 8) each
#   scripts/fuzz-smoke.sh rule_eval    one target
#
# Needs the nightly toolchain (libFuzzer instrumentation); without it this prints SKIPPED and exits 0. Installs
# cargo-fuzz (pinned) once. The smoke build is the dev profile without sanitizer (pure Rust: panics, overflows
# and debug assertions are what it finds, and it compiles much faster), in a target directory kept outside the
# clone (FUZZ_TARGET_DIR, default ~/.cache/segmetry/fuzz-target) so reruns only rebuild what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
seconds=${FUZZ_SECONDS:-8}
seed=${FUZZ_SEED:-20261130}
target_dir=${FUZZ_TARGET_DIR:-$HOME/.cache/segmetry/fuzz-target}
say() { printf '[fuzz-smoke] %s\n' "$*"; }

if ! cargo +nightly --version >/dev/null 2>&1; then
  say "SKIPPED: the nightly toolchain is not installed (rustup toolchain install nightly) — no fuzz target ran"
  exit 0
fi
have=$(cargo fuzz --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$CARGO_FUZZ_VERSION" ]]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (have: ${have:-none})"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

cd fuzz
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(cargo fuzz list)
fi
build=(--dev --sanitizer none --target-dir "$target_dir")
start=$SECONDS
say "building ${#targets[@]} targets (${build[*]})"
cargo +nightly fuzz build "${build[@]}" >/dev/null
say "built in $((SECONDS - start)) s"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t" "artifacts/$t"
  log="$scratch/$t.log"
  # New units go to the scratch corpus (first directory), never into the committed seeds.
  budget=(-max_total_time="$seconds" -seed="$seed")
  if cargo +nightly fuzz run "${build[@]}" "$t" "$scratch/$t" "corpus/$t" -- \
      "${budget[@]}" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    say "ok   $t: ${runs:-?} executions (${budget[*]})"
  else
    failed+=("$t")
    say "FAIL $t (crash input under fuzz/artifacts/$t/):"
    grep -E 'panicked|ERROR|SUMMARY|Test unit written|Base64' "$log" | head -20 || tail -30 "$log"
  fi
done
if ((${#failed[@]})); then
  say "failed targets: ${failed[*]}"
  exit 1
fi
say "all ${#targets[@]} targets ok ($((SECONDS - start)) s)"
