"""The plain Python loop biomech-extract is benchmarked against (scripts/bench-extract.sh): OpenCV + MediaPipe 0.10.14.

Usage: .mediapipe/venv/bin/python tools/extract_reference.py OUT_DIR VIDEO...
For each video, one process, one after another: cv2.VideoCapture, read every frame, resize so the long side is at most
640 (cv2.INTER_AREA; never upscaled, short side rounded, as biomech-extract's --max-side), BGR -> RGB, then
mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1) (tracking, the full landmark model; one instance per
video, as biomech makes one landmarker per video). Saves OUT_DIR/<video name>.npy (float32 [T,33,4]: image x, y, z,
visibility) and .world.npy ([T,33,3], metres), NaN rows where nobody was found. Every frame is kept: the benchmark's
clips are at most 30 fps, where biomech-extract keeps every frame too. Prints one JSON line:
{"frames": total, "seconds": wall time of the loop over all videos (after the imports), "videos": {name: frames}}.
"""
import os

# One thread for OpenCV's own parallel loops (resize, cvtColor) and for anything OpenMP/BLAS-based, set before the
# imports so the libraries pick it up. biomech-extract's worker scales and converts each frame on one thread (its
# decoding thread, which runs ahead of the pose model), and
# both sides run MediaPipe's inference with its Linux default of one XNNPACK thread; without this, cv2.resize and
# cvtColor would spread over both cores and the comparison would no longer be one core against one core.
# Video decoding is left at each side's default (OpenCV's FFmpeg backend and biomech-extract --jobs 1 both let
# libavcodec use threads); the benchmark reports each side's CPU time against its wall time.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import cv2  # noqa: E402
import mediapipe as mp  # noqa: E402
import numpy as np  # noqa: E402

cv2.setNumThreads(1)

MAX_SIDE = 640


def target_size(width: int, height: int) -> tuple[int, int]:
    """biomech's rule: the long side L becomes MAX_SIDE when it exceeds it, the short one round(short * MAX_SIDE / L)."""
    long_side = max(width, height)
    if long_side <= MAX_SIDE:
        return width, height
    if width >= height:
        return MAX_SIDE, max(1, round(height * MAX_SIDE / long_side))
    return max(1, round(width * MAX_SIDE / long_side)), MAX_SIDE


def extract(path: str, out_dir: str) -> int:
    capture = cv2.VideoCapture(path)
    if not capture.isOpened():
        raise SystemExit(f"extract_reference: cannot open {path}")
    image_rows, world_rows = [], []
    nan_image = np.full((33, 4), np.nan, dtype=np.float32)
    nan_world = np.full((33, 3), np.nan, dtype=np.float32)
    with mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1) as pose:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            height, width = frame.shape[:2]
            size = target_size(width, height)
            if size != (width, height):
                frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            result = pose.process(rgb)
            if result.pose_landmarks is None:
                image_rows.append(nan_image)
                world_rows.append(nan_world)
                continue
            image_rows.append(np.array([[p.x, p.y, p.z, p.visibility] for p in result.pose_landmarks.landmark],
                                       dtype=np.float32))
            world_rows.append(np.array([[p.x, p.y, p.z] for p in result.pose_world_landmarks.landmark],
                                       dtype=np.float32))
    capture.release()
    name = os.path.basename(path)
    image = np.stack(image_rows) if image_rows else np.zeros((0, 33, 4), dtype=np.float32)
    world = np.stack(world_rows) if world_rows else np.zeros((0, 33, 3), dtype=np.float32)
    np.save(os.path.join(out_dir, name + ".npy"), image)
    np.save(os.path.join(out_dir, name + ".world.npy"), world)
    return len(image_rows)


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit("usage: extract_reference.py OUT_DIR VIDEO...")
    out_dir, videos = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    started = time.perf_counter()
    counts = {os.path.basename(video): extract(video, out_dir) for video in videos}
    seconds = time.perf_counter() - started
    print(json.dumps({"frames": sum(counts.values()), "seconds": seconds, "videos": counts}))


if __name__ == "__main__":
    main()
