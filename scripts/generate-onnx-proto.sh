#!/usr/bin/env bash
# Regenerates Sources/ONNXExport/Generated/onnx.pb.swift from the official onnx.proto of a pinned
# ONNX release. Run by hand, once per upgrade; the output is committed, because building
# swift-protobuf's protoc plugin inside every build would cost minutes (docs/DEPLOY.md).
# Needs Debian's protoc (apt-get install protobuf-compiler), pip and the Swift toolchain.
set -euo pipefail
ONNX_VERSION=1.23.1          # the onnx wheel whose onnx/onnx.proto is the source
SWIFT_PROTOBUF_VERSION=1.39.0   # must match the swift-protobuf pin in Package.swift
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Sources/ONNXExport/Generated"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v protoc >/dev/null || { echo "generate-onnx-proto: no protoc (apt-get install protobuf-compiler)" >&2; exit 2; }

python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
  --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 -d "$work" "onnx==$ONNX_VERSION"
unzip -q -o -j "$work"/onnx-"$ONNX_VERSION"-*.whl onnx/onnx.proto -d "$work/proto"

git clone --quiet --depth 1 --branch "$SWIFT_PROTOBUF_VERSION" https://github.com/apple/swift-protobuf "$work/swift-protobuf"
swift build --package-path "$work/swift-protobuf" -c release --product protoc-gen-swift
plugin="$(swift build --package-path "$work/swift-protobuf" -c release --show-bin-path)/protoc-gen-swift"

# Internal visibility: the ONNX message types stay inside ONNXExport.
protoc --plugin=protoc-gen-swift="$plugin" --swift_opt=Visibility=Internal \
  --swift_out="$work/proto" -I "$work/proto" "$work/proto/onnx.proto"
cp "$work/proto/onnx.proto" "$out/onnx.proto"
cp "$work/proto/onnx.pb.swift" "$out/onnx.pb.swift"
echo "generate-onnx-proto: wrote $out/onnx.pb.swift from onnx $ONNX_VERSION's onnx.proto ($(protoc --version), protoc-gen-swift $SWIFT_PROTOBUF_VERSION)"
