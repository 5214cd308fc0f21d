#!/usr/bin/env bash
# make test-kernels: the model tests (gradient checks, golden outputs, precision, the self-check)
# under every OpenBLAS core this CPU runs, and training throughput with each; prints a table.
# Not part of make test: one full model-test run per core. docs/MODEL.md, "Kernel selection".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests >/dev/null
swift build -c release --product biomech-train >/dev/null
train=.build/release/biomech-train
filter='ModelTests\.(LayerGradientTests|LSTMGradientTests|ModelGradientTests|GoldenTests|PrecisionTests|KernelSelectionTests)'
mkdir -p bench-work/kernels
rows=()
# CORES="Haswell Zen" make test-kernels runs only those.
# A crash must end the run, not hang it in Swift's backtracer: no backtraces, and a time limit.
export SWIFT_BACKTRACE=enable=no
for core in ${CORES:-$("$train" kernels --runnable)}; do
  log=bench-work/kernels/$core.log
  # A core that crashes (SIGILL, a wrong answer) is a FAIL row; the table goes on with the next one.
  if OPENBLAS_CORETYPE=$core timeout 1200 swift test --skip-build --filter "$filter" >"$log" 2>&1; then verdict=pass; else verdict=FAIL; fi
  loaded=$(OPENBLAS_CORETYPE=$core "$train" kernels --json 2>>"$log" \
    | python3 -c "import json,sys; print(json.load(sys.stdin)['core'])" 2>/dev/null) || loaded="crashed (see $log)"
  sps=$(OPENBLAS_CORETYPE=$core "$train" bench --threads "$(nproc)" --seconds 5 2>>"$log" \
    | sed -n 's/.*samples_per_s=\([0-9.]*\).*/\1/p' | tail -1) || true
  [[ -n "$sps" ]] || { sps="-"; verdict=FAIL; }
  tests=$(grep -o 'Test run with [0-9]* tests' "$log" | grep -o '[0-9]*' | tail -1 || true)
  echo "$core: $verdict (${tests:-?} tests), $sps samples/s, loaded $loaded" >&2
  rows+=("| $core | $loaded | $verdict | ${tests:-?} | $sps |")
done
echo
echo "| core | loaded | model tests | tests | samples/s ($(nproc) threads, batch 16) |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
! printf '%s\n' "${rows[@]}" | grep -q FAIL
