#!/usr/bin/env bash
# Pose extraction throughput: biomech-extract against a plain Python loop (tools/extract_reference.py: OpenCV +
# MediaPipe 0.10.14's mp.solutions.pose, in .mediapipe/venv), on the same files, in one run. Prints three ratios:
#   1. frames/s of biomech-extract --jobs 1 / frames/s of the Python loop, one process each (goal >= 1.2);
#   2. scaling across cores: frames/s of biomech-extract --jobs 2 on two cores / --jobs 1 held to one core with
#      `taskset -c 0` (goal >= 1.8); also --jobs 2 / --jobs 1 with both free to use every core, which is lower because
#      one worker already decodes ahead on the second core (docs/EXTRACT.md, "Workers");
#   3. the share of worker time outside the pose model in the --jobs 1 run, 1 - pose_seconds / video_seconds (< 10%).
# Inputs, made into WORK/raw/bench/files: the Sports2D demo (VP9 1768x994, 30 fps, 230 frames) and a remux of it without
# its audio (same frames, other bytes, so the catalog does not skip it as a duplicate), plus clips re-encoded from it with ffmpeg: H.264
# 1768x994, H.264 1280x720, an H.264 1080x1920 portrait crop around the person, MJPEG 960x540. Six videos of 230
# frames each, so two workers get equal shares. All are 30 fps, so both sides keep every frame; the run fails when
# the two sides' frame counts differ (total or per video) or a tool fails, never because a goal is missed.
# Seconds: biomech-extract's own wall time of the run (--summary-json), the Python loop's wall time after its imports.
# CPU: user + sys of each process and its children (bash's `time`, the same rusage /usr/bin/time reads) over the
# process's wall time, printed as the cores each side really used.
# Run from anywhere; biomech-extract runs in the repository (it finds .mediapipe/ there). About 2 minutes on 2 cores.
set -euo pipefail
usage="usage: bash scripts/bench-extract.sh BIN_DIR [WORK]"
bin_arg=${1:?$usage}
work_arg=${2:-bench-work/extract}
bin=$(cd "$bin_arg" && pwd)
mkdir -p "$work_arg"
work=$(cd "$work_arg" && pwd)
cd "$(dirname "${BASH_SOURCE[0]}")/.."

py=.mediapipe/venv/bin/python
demo=.mediapipe/demo.mp4
for f in "$py" "$demo" .mediapipe/lib/libmediapipe.so .mediapipe/pose_landmarker_full.task "$bin/biomech-extract" "$bin/biomech-catalog"; do
  if [[ ! -e "$f" ]]; then echo "bench-extract: $f is missing (make setup; make build)" >&2; exit 1; fi
done

# Fresh inputs and outputs every run.
rm -rf "$work/raw" "$work/manifests" "$work/landmarks-1" "$work/landmarks-2" "$work/python" "$work"/catalog.sqlite* "$work"/*.json
files=$work/raw/bench/files
mkdir -p "$files" "$work/manifests"
cat >"$work/manifests/bench.yaml" <<'EOF'
name: bench
title: bench-extract inputs
homepage: https://example.org
license: "test"
commercial_use: true
access: manual
manual:
  form: https://example.org/form
  instructions: |
    Made by scripts/bench-extract.sh.
  expect:
    - path: x.zip
EOF

echo "making the inputs in $files"
x264=(-c:v libx264 -preset veryfast -pix_fmt yuv420p -an)
cp "$demo" "$files/sports2d-vp9.mp4"
ffmpeg -v error -y -i "$demo" -map 0:v:0 -c copy "$files/sports2d-vp9-noaudio.mp4"
ffmpeg -v error -y -i "$demo" "${x264[@]}" -crf 26 "$files/h264-1768x994.mp4"
ffmpeg -v error -y -i "$demo" -vf scale=1280:720 "${x264[@]}" -crf 23 "$files/h264-1280x720.mp4"
# The man stands at about x 480-800 of 1768: a 9:16 crop around him, scaled up to a phone's 1080x1920.
ffmpeg -v error -y -i "$demo" -vf crop=560:994:360:0,scale=1080:1920 "${x264[@]}" -crf 23 "$files/h264-portrait-1080x1920.mp4"
ffmpeg -v error -y -i "$demo" -vf scale=960:540 -c:v mjpeg -q:v 5 -pix_fmt yuvj420p -an "$files/mjpeg-960x540.avi"
videos=("$files"/*)

"$bin/biomech-catalog" scan --db "$work/catalog.sqlite" --data "$work/raw" --manifests "$work/manifests" \
  >"$work/catalog.out" 2>"$work/catalog.err" || { cat "$work/catalog.err" >&2; echo "bench-extract: biomech-catalog scan failed" >&2; exit 1; }
python3 - "$work/catalog.sqlite" "${#videos[@]}" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = db.execute("SELECT path, codec, width, height, fps, frame_count, probe_error, duplicate_of FROM videos ORDER BY path").fetchall()
bad = [r for r in rows if r[6] is not None or r[7] is not None]
if len(rows) != int(sys.argv[2]) or bad:
    sys.exit(f"bench-extract: expected {sys.argv[2]} distinct probed videos in the catalog, got {len(rows)}; problems: {bad}")
for path, codec, width, height, fps, frames, _, _ in rows:
    print(f"  {path:32} {codec:6} {width}x{height} {fps:.0f} fps, {frames} frames")
PY

# NAME COMMAND...: stdout and stderr to WORK/NAME.out and .err, "wall user sys" seconds to WORK/NAME.time.
timed() {
  local name=$1
  shift
  local TIMEFORMAT='%R %U %S'
  if ! { time "$@" >"$work/$name.out" 2>"$work/$name.err"; } 2>"$work/$name.time"; then
    tail -n 20 "$work/$name.err" >&2
    echo "bench-extract: $name failed: $*" >&2
    exit 1
  fi
}

extract() {  # NAME JOBS [PREFIX...]: biomech-extract --jobs JOBS, run under PREFIX (e.g. taskset)
  local name=$1 jobs=$2
  shift 2
  echo "${*:+$* }biomech-extract --jobs $jobs"
  timed "extract-$name" "$@" "$bin/biomech-extract" --db "$work/catalog.sqlite" --data "$work/raw" --out "$work/landmarks-$name" \
    --jobs "$jobs" --force --summary-json "$work/summary-$name.json"
}
extract 1 1
echo "Python OpenCV + MediaPipe 0.10.14 loop (tools/extract_reference.py)"
timed python "$py" tools/extract_reference.py "$work/python" "${videos[@]}"
extract 2 2
extract 1core 1 taskset -c 0

python3 - "$work" <<'PY'
import glob, json, os, sys
sys.path.insert(0, "scripts/bench")
from results import record
work = sys.argv[1]

def cpu(name):
    wall, user, system = (float(x) for x in open(os.path.join(work, name + ".time")).read().split())
    return wall, user + system

s1 = json.load(open(os.path.join(work, "summary-1.json")))
s2 = json.load(open(os.path.join(work, "summary-2.json")))
s1c = json.load(open(os.path.join(work, "summary-1core.json")))
lines = [l for l in open(os.path.join(work, "python.out")) if l.startswith("{")]
if not lines:
    sys.exit("bench-extract: the Python loop printed no result")
ref = json.loads(lines[-1])

rows = [("biomech-extract --jobs 1", s1["frames"], s1["seconds"], cpu("extract-1")),
        ("Python OpenCV+MediaPipe 0.10.14 loop", ref["frames"], ref["seconds"], cpu("python")),
        ("biomech-extract --jobs 2", s2["frames"], s2["seconds"], cpu("extract-2")),
        ("biomech-extract --jobs 1, one core", s1c["frames"], s1c["seconds"], cpu("extract-1core"))]
print()
print(f"{'tool':38} {'frames':>7} {'seconds':>8} {'frames/s':>9} {'process wall s':>15} {'CPU s':>7} {'cores used':>11}")
for name, frames, seconds, (wall, cpu_s) in rows:
    print(f"{name:38} {frames:7d} {seconds:8.2f} {frames / seconds:9.1f} {wall:15.2f} {cpu_s:7.2f} {cpu_s / wall:11.2f}")
print("seconds: biomech-extract's wall time of the run (summary JSON); the Python loop's wall time after its imports.")
print("process wall s, CPU s (user + sys, children included), cores used = CPU s / process wall s: the whole process.")
print(f"statuses: --jobs 1 {s1['statuses']}, --jobs 2 {s2['statuses']}; workers {s1['workers']} and {s2['workers']}")

# Same frames on both sides: totals, and per video (biomech's .json sidecars name their source path).
failures = []
if not (s1["frames"] == ref["frames"] == s2["frames"] == s1c["frames"]):
    failures.append(f"total frames differ: biomech-extract --jobs 1 {s1['frames']}, Python {ref['frames']}, --jobs 2 {s2['frames']}, "
                    f"--jobs 1 on one core {s1c['frames']}")
for jobs in (1, 2, "1core"):
    ours = {}
    for path in glob.glob(os.path.join(work, f"landmarks-{jobs}", "*", "*.json")):
        meta = json.load(open(path))
        ours[os.path.basename(meta["video"]["path"])] = meta["frames"]
    for video in sorted(set(ours) | set(ref["videos"])):
        a, b = ours.get(video), ref["videos"].get(video)
        if a != b:
            failures.append(f"{video}: biomech-extract --jobs {jobs} {a} frames, Python {b}")
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit("bench-extract: the two sides did not process the same frames")
print(f"frames: biomech-extract {s1['frames']} (--jobs 1) and {s2['frames']} (--jobs 2), Python {ref['frames']}; "
      f"equal per video ({len(ref['videos'])} videos)")

def verdict(ok):
    return "" if ok else "  MISSED"

fps1, fps2, fps_ref = s1["frames"] / s1["seconds"], s2["frames"] / s2["seconds"], ref["frames"] / ref["seconds"]
fps1c = s1c["frames"] / s1c["seconds"]
cores1 = cpu("extract-1")[1] / cpu("extract-1")[0]
outside = 1 - s1["pose_seconds"] / s1["video_seconds"]
print()
print(f"extract: biomech-extract --jobs 1 vs Python OpenCV+MediaPipe 0.10.14 loop: {fps1 / fps_ref:.2f}x (goal >= 1.2x){verdict(fps1 / fps_ref >= 1.2)}")
print(f"extract: biomech-extract --jobs 2 on two cores vs --jobs 1 on one core (taskset -c 0): {fps2 / fps1c:.2f}x "
      f"(goal >= 1.8x){verdict(fps2 / fps1c >= 1.8)}")
print(f"extract: biomech-extract --jobs 2 vs --jobs 1, both free to use every core: {fps2 / fps1:.2f}x "
      f"(--jobs 1 already used {cores1:.2f} cores: its decoding runs ahead on a second thread)")
print(f"extract: biomech-extract --jobs 1 on one core vs the Python loop: {fps1c / fps_ref:.2f}x (for reference)")
print(f"extract: worker time outside the pose model, --jobs 1 (1 - pose_seconds / video_seconds = "
      f"1 - {s1['pose_seconds']:.2f} / {s1['video_seconds']:.2f}): {outside * 100:.1f}% (goal < 10%){verdict(outside < 0.10)}")
record("extract", "frames/s, --jobs 1", fps1 / fps_ref, "x", "Python OpenCV + MediaPipe 0.10.14 loop", ">= 1.2x", fps1 / fps_ref >= 1.2)
record("extract", "--jobs 2 on two cores against --jobs 1 on one", fps2 / fps1c, "x", "biomech-extract --jobs 1, one core", ">= 1.8x",
       fps2 / fps1c >= 1.8)
record("extract", "worker time outside the pose model", outside * 100, "%", None, "< 10%", outside < 0.10)
decode_cpu = s1["decode_cpu_seconds"]
print(f"extract: CPU of decoding, scaling and converting (the decoding threads), --jobs 1: {decode_cpu:.2f} s, "
      f"{decode_cpu / s1['frames'] * 1000:.1f} ms a frame, {decode_cpu / cpu('extract-1')[1] * 100:.0f}% of the process's CPU "
      f"(it overlaps the pose model, so it costs wall time only when the cores are full)")
PY
