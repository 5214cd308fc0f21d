"""Reference poses from a Python MediaPipe (.mediapipe/venv: 0.10.14, venv35: 0.10.35) for the Swift tests to compare with.

Usage: python pose_reference.py BUNDLE.task WIDTH HEIGHT FRAMES.rgb > poses.json
Reads raw RGB24 frames, one after another, from FRAMES.rgb, runs the Tasks PoseLandmarker in image mode on each, and prints one
JSON array: per frame null, or {"image": [[x, y, z, visibility] x 33], "world": [[x, y, z] x 33]}.
"""
import json
import sys

import mediapipe as mp
import numpy as np
from mediapipe.tasks.python import vision
from mediapipe.tasks.python.core.base_options import BaseOptions


def main() -> None:
    bundle, width, height, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=bundle),
        running_mode=vision.RunningMode.IMAGE, num_poses=1)
    size = width * height * 3
    poses = []
    with vision.PoseLandmarker.create_from_options(options) as landmarker, open(frames, "rb") as source:
        while True:
            data = source.read(size)
            if len(data) < size:
                break
            pixels = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)
            result = landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=pixels))
            if not result.pose_landmarks:
                poses.append(None)
                continue
            poses.append({
                "image": [[p.x, p.y, p.z, p.visibility] for p in result.pose_landmarks[0]],
                "world": [[p.x, p.y, p.z] for p in result.pose_world_landmarks[0]],
            })
    json.dump(poses, sys.stdout)


if __name__ == "__main__":
    main()
