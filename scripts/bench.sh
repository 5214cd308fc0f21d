#!/usr/bin/env bash
# make bench: every benchmark, or the ones BENCH names (comma-separated), then one summary table,
# bench-work/results.json (figures and machine facts) and bench-work/results.md (the table in Markdown).
#   bash scripts/bench.sh BIN_DIR [all | NAME[,NAME...]]
# A benchmark that fails is reported in the table and makes the run exit 1; the others still run.
set -uo pipefail
bin=$(cd "${1:?usage: bench.sh BIN_DIR [all | NAME,...]}" && pwd)
selection=${2:-all}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
all=(fetch synth catalog train extract window analyze serve onnx shards)

if [[ "$selection" == all ]]; then
  names=("${all[@]}")
else
  IFS=, read -r -a names <<<"$selection"
  for name in "${names[@]}"; do
    [[ " ${all[*]} " == *" $name "* ]] || { echo "make bench: no benchmark '$name'; BENCH takes one or more of: ${all[*]} (or all)" >&2; exit 2; }
  done
fi

mkdir -p bench-work
export BIOMECH_BENCH_RESULTS="$PWD/bench-work/results"
rm -rf "$BIOMECH_BENCH_RESULTS"
mkdir -p "$BIOMECH_BENCH_RESULTS"

run() {
  case $1 in
    fetch)
      "$bin/biomech-bench" fetch --work bench-work || return
      if [[ -d /dev/shm ]]; then "$bin/biomech-bench" fetch --work bench-work --outputs /dev/shm; fi ;;
    synth) "$bin/biomech-bench" synth --work bench-work ;;
    catalog) "$bin/biomech-bench" catalog --work bench-work ;;
    train) bash scripts/bench-train.sh "$bin" 2 ;;
    extract) bash scripts/bench-extract.sh "$bin" ;;
    window) bash scripts/bench-window.sh "$bin" ;;
    analyze) bash scripts/bench-analyze.sh "$bin" ;;
    serve) bash scripts/bench-serve.sh "$bin" ;;
    onnx) bash scripts/bench-onnx.sh "$bin" ;;
    shards) "$bin/biomech-bench" shards --work bench-work ;;
  esac
}

failed=()
for name in "${names[@]}"; do
  echo ""
  echo "=== bench: $name ($(date -u +%H:%M:%S)) ==="
  start=$SECONDS
  run "$name"
  status=$?
  echo "$name $status $((SECONDS - start))" >>"$BIOMECH_BENCH_RESULTS/runs.txt"
  [[ $status -eq 0 ]] || failed+=("$name")
done

python3 scripts/bench/summary.py --bin "$bin" --results "$BIOMECH_BENCH_RESULTS" --json bench-work/results.json \
  --markdown bench-work/results.md "${names[@]}"
[[ ${#failed[@]} -eq 0 ]] || { echo "make bench: failed: ${failed[*]} (their output is above)" >&2; exit 1; }
