#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets of Fuzz/ and runs each for FUZZ_SECONDS (default 60),
# FUZZ_JOBS at a time (default 1), then prints executions and crashes per target.
# FUZZ_TARGETS="FuzzNPY FuzzManifest" picks targets. Crash inputs land in Fuzz/.work/crashes/TARGET/;
# the grown corpus in Fuzz/.work/corpus/TARGET/ (seeded from the curated Fuzz/Corpus/TARGET/).
# Exit status: 0 no crash, 1 a target crashed (or did not run), 2 bad settings.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
[[ "$seconds" =~ ^[0-9]+$ && "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: FUZZ_SECONDS and FUZZ_JOBS must be whole numbers" >&2; exit 2; }
all=$(sed -n 's/.*executableTarget(name: "\(Fuzz[A-Za-z]*\)".*/\1/p' Package.swift)
targets=${FUZZ_TARGETS:-$all}
for t in $targets; do grep -qx "$t" <<<"$all" || { echo "fuzz: no target $t (have: $(echo $all))" >&2; exit 2; }; done

echo "fuzz: building $(echo $targets | wc -w) targets with -sanitize=fuzzer,address (release)"
swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" || true
bin=$(swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer --show-bin-path)

run() {
  local t=$1 corpus=.work/corpus/$1 crashes=.work/crashes/$1
  mkdir -p "$corpus" "$crashes"
  [[ -d Corpus/$t ]] && cp -n Corpus/$t/* "$corpus"/ 2>/dev/null || true
  # A crash stops the target: fix it, keep the input as a regression test, and run again.
  LSAN_OPTIONS="suppressions=$PWD/lsan.supp:print_suppressions=0" "$bin/$t" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$crashes/" \
      -timeout=10 -rss_limit_mb=4096 "$corpus" > ".work/$t.log" 2>&1 || true
}
mkdir -p .work
# Findings of earlier runs stay in .work/crashes for replay; only this run's count.
touch .work/run-start
running=0
for t in $targets; do
  echo "fuzz: $t for ${seconds}s"
  run "$t" &
  running=$((running + 1))
  if (( running >= jobs )); then wait -n || true; running=$((running - 1)); fi
done
wait

status=0
printf '\n%-18s %14s %10s %8s  %s\n' target executions exec/s crashes "first crash"
for t in $targets; do
  log=.work/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  found=$(find ".work/crashes/$t" -type f -newer .work/run-start \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
  n=$(grep -c . <<<"$found" || true)
  [[ -z "$execs" ]] && { execs="did not run"; status=1; }
  (( n > 0 )) && status=1
  printf '%-18s %14s %10s %8s  %s\n' "$t" "$execs" "${rate:--}" "$n" "$(head -1 <<<"$found")"
done
echo "logs: Fuzz/.work/TARGET.log; crash inputs: Fuzz/.work/crashes/TARGET/ (replay: $bin/TARGET FILE)"
exit $status
