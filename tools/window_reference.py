"""The NumPy loop biomech-window's throughput is compared with (scripts/bench-window.sh): the array work only.

Usage: python3 tools/window_reference.py SEQUENCES_DIR OUT_DIR [WINDOW STRIDE SHARD_SIZE]
For each ID.world.npy under SEQUENCES_DIR (sorted): fill each landmark's gaps of at most 5 frames by linear
interpolation, cut windows of WINDOW frames every STRIDE, drop windows with a NaN left, move each frame's mid-hip to
the origin and divide by the window's median torso length, and save x and mask in shards of SHARD_SIZE windows with
np.save. It computes no labels (joint angles, form score, risk): biomech-window does, so this side does less work.
Prints one JSON line: {"sequences": n, "windows": n, "seconds": wall time after the imports}.
"""
import json
import os
import sys
import time

import numpy as np

MAX_GAP = 5


def fill_gaps(points):
    """points [T, 33, 3] with NaN rows per landmark; returns filled points and the observed mask [T, 33]."""
    t = points.shape[0]
    observed = ~np.isnan(points).any(axis=2)
    filled = points.copy()
    frames = np.arange(t)
    for landmark in range(points.shape[1]):
        seen = np.flatnonzero(observed[:, landmark])
        if seen.size < 2:
            continue
        gaps = np.diff(seen) - 1
        for start, gap in zip(seen[:-1], gaps):
            if 0 < gap <= MAX_GAP:
                end = start + gap + 1
                inside = frames[start + 1:end]
                for c in range(3):
                    filled[inside, landmark, c] = np.interp(inside, [start, end], points[[start, end], landmark, c])
    return filled, observed.astype(np.uint8)


def main():
    source, out = sys.argv[1], sys.argv[2]
    window, stride, shard_size = (int(x) for x in (sys.argv[3:6] if len(sys.argv) >= 6 else (60, 30, 1024)))
    files = sorted(os.path.join(root, name) for root, _, names in os.walk(source) for name in names if name.endswith(".world.npy"))
    os.makedirs(out, exist_ok=True)
    started = time.perf_counter()
    xs, masks, shards, windows = [], [], 0, 0

    def flush():
        nonlocal xs, masks, shards
        if xs:
            np.save(os.path.join(out, f"shard-{shards:05d}.x.npy"), np.stack(xs).astype(np.float32))
            np.save(os.path.join(out, f"shard-{shards:05d}.mask.npy"), np.stack(masks))
            shards += 1
            xs, masks = [], []

    for path in files:
        filled, observed = fill_gaps(np.load(path))
        t = filled.shape[0]
        for start in range(0, t - window + 1, stride):
            w = filled[start:start + window]
            if np.isnan(w).any():
                continue
            hip = (w[:, 23] + w[:, 24]) / 2
            torso = np.linalg.norm((w[:, 11] + w[:, 12]) / 2 - hip, axis=1)
            scale = np.median(torso)
            if not scale > 0:
                continue
            xs.append((w - hip[:, None, :]) / scale)
            masks.append(observed[start:start + window])
            windows += 1
            if len(xs) == shard_size:
                flush()
    flush()
    print(json.dumps({"sequences": len(files), "windows": windows, "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
