// swift-tools-version:6.0
// libFuzzer targets for biomech's parsers. Build from this folder:
//   swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer
// (the -Xswiftc flag is what instruments the root package's library modules too).
import PackageDescription

let package = Package(
    name: "biomech-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "biomech", path: ".."),
    ],
    targets: [
        // The .npy decoders of every dtype, the header read and the memory map.
        .executableTarget(name: "FuzzNPY", dependencies: [
            .product(name: "NumPy", package: "biomech"),
        ]),
    ]
)
