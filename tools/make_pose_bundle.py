"""Builds pose_landmarker_full.task from the pose models inside the mediapipe 0.10.14 wheel.

Usage: python make_pose_bundle.py WHEEL OUT.task   (run with the mediapipe 0.10.14 venv's python)

The Tasks API wants a zip with pose_detector.tflite and pose_landmarks_detector.tflite; the landmark
model in the wheel has no metadata, and without image normalization metadata the Tasks API refuses it
("Input tensor has type float32: it requires specifying NormalizationOptions metadata"), so this adds it.
The zip members get a fixed timestamp so that rebuilds are byte-identical (setup checks a sha256).
"""
import sys
import zipfile

from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer
from mediapipe.tasks.python.metadata.metadata_writers import model_asset_bundle_utils

DETECTOR = "mediapipe/modules/pose_detection/pose_detection.tflite"
LANDMARKS = "mediapipe/modules/pose_landmark/pose_landmark_full.tflite"


def landmarks_with_metadata(model: bytes) -> bytes:
    """The landmark model with the metadata the Tasks API needs: [0, 255] RGB input, five outputs."""
    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info("pose_landmarks_detector", "BlazePose GHUM 3D full (mediapipe 0.10.14)")
    writer.add_image_input(norm_mean=[0.0], norm_std=[255.0])
    for name in ("landmarks", "presence", "segmentation", "heatmap", "world_landmarks"):
        writer.add_feature_output(name=name)
    tflite, _ = writer.populate()
    return bytes(tflite)


def main() -> None:
    wheel, out = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(wheel) as whl:
        detector = whl.read(DETECTOR)
        landmarks = landmarks_with_metadata(whl.read(LANDMARKS))
    members = {"pose_detector.tflite": detector, "pose_landmarks_detector.tflite": landmarks}
    # MediaPipe's AlignZipFile (stored members, 4-byte aligned) with ZipInfo at a fixed date.
    with model_asset_bundle_utils.AlignZipFile(out, mode="w", alignment=4) as bundle:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, data)


if __name__ == "__main__":
    main()
