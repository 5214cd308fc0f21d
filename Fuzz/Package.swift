// swift-tools-version:6.0
// libFuzzer targets for every parser of untrusted input (`make fuzz`; docs/FUZZING.md).
// Built apart from the main package, with the sanitizers on:
//   swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer
// (`--sanitize=fuzzer` alone instruments only the fuzz targets; the -Xswiftc flag covers the libraries too.)
import PackageDescription

let package = Package(
    name: "biomech-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "biomech", path: "..")],
    targets: [
        // Safetensors weights against a tiny parameter table (SafeTensors.decode).
        .executableTarget(name: "FuzzSafeTensors", dependencies: [.product(name: "Model", package: "biomech")]),
        // Training checkpoints (Checkpoint.decode); the file carries its own dimensions.
        .executableTarget(name: "FuzzCheckpoint", dependencies: [.product(name: "Model", package: "biomech")]),
        // The .npy decoders of every dtype, the header read and the memory map.
        .executableTarget(name: "FuzzNPY", dependencies: [.product(name: "NumPy", package: "biomech")]),
        .executableTarget(name: "FuzzManifest", dependencies: [.product(name: "Datasets", package: "biomech")]),
        .executableTarget(name: "FuzzClipList", dependencies: [.product(name: "Datasets", package: "biomech")]),
        .executableTarget(name: "FuzzCountix", dependencies: [.product(name: "Datasets", package: "biomech")]),
        .executableTarget(name: "FuzzLabelRules", dependencies: [.product(name: "Datasets", package: "biomech")]),
        // Annotation spreadsheets (.xlsx through ZIPFoundation and XMLParser) and ALEX-GYM-1's sheet.
        .executableTarget(name: "FuzzSpreadsheet", dependencies: [.product(name: "Datasets", package: "biomech")]),
        // yt-dlp's listings and info JSON, and QEVD-FIT-COACH's feedbacks.
        .executableTarget(name: "FuzzYouTubeInfo", dependencies: [.product(name: "Datasets", package: "biomech")]),
        // biomech-serve's multipart uploads (FormReader over MultipartKit's streaming parser).
        .executableTarget(name: "FuzzMultipart", dependencies: [.product(name: "Service", package: "biomech")]),
        // Size, duration and split-ratio option parsers.
        .executableTarget(name: "FuzzOptions", dependencies: [
            .product(name: "BiomechCore", package: "biomech"), .product(name: "Datasets", package: "biomech"),
        ]),
    ]
)
