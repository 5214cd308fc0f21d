// swift-tools-version:6.0
// libFuzzer targets for biomech's file parsers. Build (from Fuzz/):
//   swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer
// Run: .build/release/FuzzSafeTensors -max_total_time=300 /tmp/stcorpus Corpus/FuzzSafeTensors
import PackageDescription

let package = Package(
    name: "biomech-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "biomech", path: "..")],
    targets: [
        // Safetensors weights against a tiny parameter table (SafeTensors.decode).
        .executableTarget(name: "FuzzSafeTensors", dependencies: [.product(name: "Model", package: "biomech")]),
        // Training checkpoints (Checkpoint.decode); the file carries its own dimensions.
        .executableTarget(name: "FuzzCheckpoint", dependencies: [.product(name: "Model", package: "biomech")]),
    ]
)
