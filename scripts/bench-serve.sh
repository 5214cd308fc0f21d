#!/usr/bin/env bash
# biomech-serve under load (POST /analyze-form), against biomech-analyze on the same clips:
#   1. throughput: successful analyses/s of the service (W workers, queue Q, 32 clients sending a seeded mix of good
#      and bad uploads, scripts/bench/serve_load.py) over analyses/s of W biomech-analyze processes in parallel
#      (`xargs -P W`) on the same clips, same count: goal >= 0.90, though the service's time also covers the bad
#      files its workers opened before refusing them (415, 422). So also the ratio for the same work (biomech-analyze
#      on those bad files too, timed apart), and CPU seconds per analysis on both sides. The two sides run one after
#      the other, so other work on the machine skews the ratios: the load average is printed;
#   2. latency (p50, p99) of the 200s and of all answers, answers by status and rejects by reason (the error code,
#      and the service's biomech_serve_rejects_total counters): 503 queue_full is expected, as 32 clients
#      outnumber the W + Q places;
#   3. checks, PASS or FAIL: every answer is the one its upload should get (status, JSON error body, Retry-After,
#      and biomech-analyze succeeds on exactly the files the service answered 200);
#      no crash (the server lives until SIGTERM, then exits 0); no leaked file (no job folder left after a round,
#      nothing left in --work-dir after exit); memory bounded by the queue, not by the number of requests (the
#      server's VmHWM after a round of 200 requests at most 10% above the one after 100).
# Inputs, made into WORK/serve: pieces of the demo clip (2.5, 3 and 4 s from several offsets, H.264, kept when
# biomech-analyze analyses them: the model's window is 60 frames), and bad uploads: a text file named .mp4, the first
# 20% and 50% of a piece, 9 MB of random bytes over an 8 MB --max-upload, and (made by the client) a form without a
# video field. 40% of the requests are good uploads; a client that gets a 503 waits min(Retry-After, 5 s) before its
# next request (not a retry), so a round is not spent on rejects in its first second.
# Run from anywhere; about 3 minutes on 2 cores. The run fails when a check fails, never because a goal is missed.
set -euo pipefail
usage="usage: bash scripts/bench-serve.sh BIN_DIR [WORK]"
bin=$(cd "${1:?$usage}" && pwd)
work_arg=${2:-bench-work}
mkdir -p "$work_arg/serve"
work_root=$(cd "$work_arg" && pwd)
work=$work_root/serve
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export BIOMECH_MEDIAPIPE_DIR=${BIOMECH_MEDIAPIPE_DIR:-$PWD/.mediapipe}
workers=${BENCH_SERVE_WORKERS:-2}
queue=16
clients=32
demo=.mediapipe/demo.mp4
for f in "$demo" "$bin/biomech-serve" "$bin/biomech-analyze"; do
  [[ -e "$f" ]] || { echo "bench-serve: $f is missing (make setup; make build)" >&2; exit 1; }
done
ckpt=runs/demo/finetune/best.ckpt
if [[ ! -f "$ckpt" ]]; then
  # No trained checkpoint: a freshly initialised one of the same size (speed does not depend on the weights).
  ckpt=$work_root/serve-initial.ckpt
  "$bin/biomech-train" init --out "$ckpt" --seed 1 >/dev/null
fi

rm -rf "$work"
mkdir -p "$work/clips" "$work/check" "$work/bad" "$work/tmp" "$work/ref"

echo "pieces of $demo, each checked once with biomech-analyze"
for piece in 0:2.5 1:2.5 2.5:2.5 4:2.5 5:2.5 0.5:3 2:3 4:3 1:4 3:4; do
  start=${piece%:*} length=${piece#*:}
  # faststart (index first), so a piece cut short still opens and fails as a video, not as garbage.
  ffmpeg -v error -nostdin -y -ss "$start" -t "$length" -i "$demo" -c:v libx264 -preset veryfast -an \
    -movflags +faststart "$work/clips/piece-${start}s-${length}s.mp4"
done
# A piece that does not analyse (the person is out of frame at the demo's start) would only measure failures: drop it.
ls "$work/clips"/*.mp4 | xargs -P "$workers" -n 1 sh -c \
  '"$0" --model "$1" --source "$3" --json "$2/$(basename "$3").json" --exercise jumping_jack >/dev/null 2>"$2/$(basename "$3").log" \
     || echo "$3" >>"$2/dropped"' "$bin/biomech-analyze" "$ckpt" "$work/check"
good=()
for clip in "$work/clips"/*.mp4; do
  if grep -qxF "$clip" "$work/check/dropped" 2>/dev/null; then
    echo "  dropped $(basename "$clip"): $(grep -m1 'error:' "$work/check/$(basename "$clip").log" | sed 's/.*error: //')"
  else
    good+=("$clip")
  fi
done
echo "  ${#good[@]} pieces analyse: $(for c in "${good[@]}"; do basename "$c" .mp4; done | paste -sd' ')"
(( ${#good[@]} >= 6 )) || { echo "bench-serve: fewer than 6 pieces analyse" >&2; exit 1; }

echo "not a video" >"$work/bad/text.mp4"
size=$(stat -c %s "${good[0]}")
head -c $((size / 5)) "${good[0]}" >"$work/bad/trunc-20.mp4"  # before the first frame ends: 415
head -c $((size / 2)) "${good[0]}" >"$work/bad/trunc-50.mp4"  # half the frames: 422 damaged_video
head -c 9000000 /dev/urandom >"$work/bad/big.mp4"

# The server; its stderr log says where it listens (--port 0: any free port).
log=$work/serve.log
"$bin/biomech-serve" --model "$ckpt" --port 0 --workers "$workers" --queue "$queue" --max-upload 8MB \
  --work-dir "$work/tmp" 2>"$log" &
server=$!
sampler=
cleanup() {
  [[ -n "$sampler" ]] && kill "$sampler" 2>/dev/null || true
  kill -0 "$server" 2>/dev/null && kill -TERM "$server" 2>/dev/null || true
}
trap cleanup EXIT
port=
for _ in $(seq 1200); do  # up to 2 minutes for the workers to load the model
  port=$(grep -o 'listening on http://[^ ]*' "$log" | head -1 | sed 's/.*://') || true
  [[ -n "$port" ]] && break
  kill -0 "$server" 2>/dev/null || { echo "bench-serve: biomech-serve exited before listening:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "bench-serve: biomech-serve did not listen within 2 minutes" >&2; exit 1; }
echo ""
echo "biomech-serve on port $port: $workers workers, queue $queue, --max-upload 8MB; $clients clients"

# Workers' peak memory: each child's VmHWM once a second (a worker that is replaced keeps its last sample).
(while kill -0 "$server" 2>/dev/null; do
   for child in $(pgrep -P "$server"); do
     echo "$child $(awk '/^VmHWM/ {print $2}' "/proc/$child/status" 2>/dev/null)"
   done
   sleep 1
 done) >"$work/workers-hwm.txt" &
sampler=$!
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }  # 0: the server is gone
# The private folder's own `pid` file (for stale-folder cleanup) and the workers' logs are not job files.
leftovers() { find "$work/tmp" -mindepth 2 ! -name 'worker-*.log' ! -name pid | wc -l; }

hwm_rounds=() left_rounds=()
round=0
for requests in 100 200; do
  round=$((round + 1))
  echo ""
  python3 scripts/bench/serve_load.py --port "$port" --clients "$clients" --requests "$requests" --seed "$round" \
    --label "round $round" --good "${good[@]}" --bad-dir "$work/bad" --json "$work/round$round.json"
  hwm_rounds+=("$(hwm "$server")")
  left_rounds+=("$(leftovers)")
  echo "  server VmHWM after round $round: $((hwm_rounds[-1] / 1024)) MiB; job files left: ${left_rounds[-1]}"
done

alive=no
kill -0 "$server" 2>/dev/null && alive=yes
worker_hwm=$(awk '$2 > m {m = $2} END {print m + 0}' "$work/workers-hwm.txt")
worker_pids=$(awk '{print $1}' "$work/workers-hwm.txt" | sort -u | wc -l)
# CPU seconds of the service (the server, its live workers, and any it replaced), little swayed by other work on
# the machine: utime + stime (+ cutime + cstime for the server) from /proc/PID/stat, after the command's name.
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk -v all="$2" '{print $12 + $13 + (all ? $14 + $15 : 0)}'; }
serve_ticks=$(ticks "$server" 1 2>/dev/null || echo 0)
for child in $(pgrep -P "$server"); do serve_ticks=$((serve_ticks + $(ticks "$child" 0 2>/dev/null || echo 0))); done
serve_cpu=$(awk -v t="$serve_ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')
kill -TERM "$server" 2>/dev/null || true  # already gone: the check below says so
status=0
wait "$server" || status=$?
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=
left_after=$(find "$work/tmp" -mindepth 1 | wc -l)

# The reference: the clips the service analysed, in the same order and count, through biomech-analyze, W processes at
# a time; then, timed apart, the bad files its workers opened before refusing them (415, 422), for the same work.
python3 -c 'import json, sys; [print(f, s) for p in sys.argv[1:] for f, s in json.load(open(p))["worker_files"]]' \
  "$work/round1.json" "$work/round2.json" | nl -w1 -s' ' >"$work/ref/all.txt"
grep ' 200$' "$work/ref/all.txt" >"$work/ref/good.txt" || true
grep -v ' 200$' "$work/ref/all.txt" >"$work/ref/bad.txt" || true
echo ""
echo "reference: $(wc -l <"$work/ref/good.txt") analyses and $(wc -l <"$work/ref/bad.txt") bad files by biomech-analyze," \
  "$workers processes at a time (machine load average $(cut -d' ' -f1 /proc/loadavg) at the start)"
TIMEFORMAT='%R %U %S'  # bash's time: wall, then the CPU of xargs and every process under it
for part in good bad; do
  { time xargs -r -P "$workers" -n 3 sh -c \
    '"$0" --model "$1" --source "$4" --json "$2/$3.json" --exercise jumping_jack >/dev/null 2>"$2/$3.log"; echo "$3 $5 $?" >>"$2/exits"' \
    "$bin/biomech-analyze" "$ckpt" "$work/ref" <"$work/ref/$part.txt"; } 2>"$work/ref/time-$part.txt"
done

echo ""
verdict=0
python3 - "$work" "$serve_cpu" "$alive" "$status" "$left_after" "$worker_hwm" "$worker_pids" "$workers" \
  "${hwm_rounds[@]}" "${left_rounds[@]}" <<'PY' || verdict=$?
import json, sys
sys.path.insert(0, "scripts/bench")
from results import record
work, serve_cpu, alive, status, left_after, worker_hwm, worker_pids, workers = sys.argv[1:9]
hwm1, hwm2, left1, left2 = map(int, sys.argv[9:13])
rounds = [json.load(open(f"{work}/round{i}.json")) for i in (1, 2)]
ok = sum(r["ok"] for r in rounds)
wall = sum(r["wall_seconds"] for r in rounds)
# biomech-analyze must agree with the service on every file: exit 0 where it answered 200, non-zero elsewhere.
exits = [line.split() for line in open(f"{work}/ref/exits")]
ref_ok = sum(1 for _, answer, rc in exits if answer == "200" and rc == "0")
disagree = sum(1 for _, answer, rc in exits if (answer == "200") != (rc == "0"))
(good_wall, good_user, good_sys), (bad_wall, bad_user, bad_sys) = (
    map(float, open(f"{work}/ref/time-{part}.txt").read().split()) for part in ("good", "bad"))
bad_n = sum(1 for _, answer, _ in exits if answer != "200")
serve_rate, ref_rate, same_rate = ok / wall, ref_ok / good_wall or 1e-9, ref_ok / (good_wall + bad_wall) or 1e-9
print(f"biomech-serve: {ok} analyses in {wall:.1f} s of load = {serve_rate:.3f}/s")
print(f"biomech-analyze x{workers}: {ref_ok} analyses in {good_wall:.1f} s = {ref_rate:.3f}/s; "
      f"with the {bad_n} bad files the workers also opened, {good_wall + bad_wall:.1f} s = {same_rate:.3f}/s")
print(f"throughput ratio serve/analyze = {serve_rate / ref_rate:.2f} (goal >= 0.90); "
      f"for the same work, bad files included: {serve_rate / same_rate:.2f}")
per = lambda cpu: cpu / max(ok, 1)
print(f"CPU per analysis: biomech-serve {per(float(serve_cpu)):.2f} s (server and workers, bad files included); "
      f"biomech-analyze {per(good_user + good_sys):.2f} s, {per(good_user + good_sys + bad_user + bad_sys):.2f} s with the bad files")
mib = lambda kb: f"{kb / 1024:.0f} MiB"
print(f"peak memory (VmHWM): server {mib(hwm1)} after round 1 (100 requests), {mib(hwm2)} after round 2 (200 requests); "
      f"workers at most {mib(int(worker_hwm))} each ({worker_pids} worker processes seen, {workers} started)")
problems = sum(len(r["problems"]) for r in rounds)
checks = [
    (problems == 0 and disagree == 0,
     f"expected answers: {problems} unexpected answers, {disagree} files where biomech-analyze disagrees"),
    (alive == "yes" and status == "0", f"no crash: server {'alive' if alive == 'yes' else 'GONE'} until SIGTERM, exit status {status}"),
    (left1 == 0 and left2 == 0 and left_after == "0",
     f"no leaked file: {left1} and {left2} job files left after the rounds, {left_after} entries in --work-dir after exit"),
    (0 < hwm2 <= 1.10 * hwm1, f"memory bounded: server VmHWM {mib(hwm1)} -> {mib(hwm2)} "
                              f"({(hwm2 / max(hwm1, 1) - 1) * 100:+.1f}%, limit +10%)"),
]
for passed, text in checks:
    print(("PASS " if passed else "FAIL ") + text)
record("serve", f"analyses/s, 32 clients, {workers} workers", serve_rate / ref_rate, "x", f"biomech-analyze in {workers} processes",
       ">= 0.9", serve_rate / ref_rate >= 0.9)
record("serve", "server peak RSS, 200 against 100 requests", hwm2 / max(hwm1, 1), "x", None, "flat (<= 1.10)", 0 < hwm2 <= 1.10 * hwm1)
record("serve", "checks failed: crashes, leaked files, unexpected answers", sum(1 for p, _ in checks if not p), "of 4", None, "0",
       all(p for p, _ in checks))
sys.exit(0 if all(p for p, _ in checks) else 1)
PY
echo "bench-serve: done in ${SECONDS} s"
exit "$verdict"
