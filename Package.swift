// swift-tools-version:6.0
// biomech: public fitness-exercise videos -> training data -> a GNN-LSTM form model.
// Layering (arrows point one way): executables -> stage modules -> BiomechCore -> C wrappers.
import PackageDescription

let package = Package(
    name: "biomech",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "biomech-fetch", targets: ["biomech-fetch"]),
        .executable(name: "biomech-synth", targets: ["biomech-synth"]),
        .executable(name: "biomech-train", targets: ["biomech-train"]),
        .executable(name: "biomech-catalog", targets: ["biomech-catalog"]),
        .executable(name: "biomech-bench", targets: ["biomech-bench"]),
        .library(name: "Fetch", targets: ["Fetch"]),
        .library(name: "BiomechCore", targets: ["BiomechCore"]),
        .library(name: "Model", targets: ["Model"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    ],
    targets: [
        // C libraries: a module map and a small shim each, nothing else.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),

        // Pure Swift shared by every stage: errors, atomic files, locks, progress, processes.
        .target(name: "BiomechCore", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Formats and drawing shared by several stages.
        .target(name: "NumPy", dependencies: ["BiomechCore"], exclude: ["README.md"]),
        .target(name: "Drawing", dependencies: ["BiomechCore", "CCairo"]),

        // SQLite (the catalog's store) and libav (probing, later decoding): C stays inside each.
        .target(name: "Database", dependencies: ["CSQLite", "BiomechCore"]),
        .target(name: "Video", dependencies: ["CFFmpeg", "BiomechCore"]),

        // The label definitions (docs/LABELS.md) in pure Swift: synth, window and analyze share them.
        .target(name: "Biomechanics"),

        // Stage libraries: all the logic lives here.
        .target(name: "Model", dependencies: ["COpenBLAS", "Biomechanics", "BiomechCore"]),
        .target(name: "Synth", dependencies: [
            "Biomechanics", "BiomechCore", "NumPy", "Drawing",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Fetch", dependencies: [
            "BiomechCore", "CCurl", "CArchive",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "SwiftCSV", package: "SwiftCSV"),
        ]),

        // Thin executables: options and exit codes only (BiomechCLI holds the shared entry point).
        .target(name: "BiomechCLI", dependencies: [
            "BiomechCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "biomech-fetch", dependencies: [
            "Fetch", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The benchmarks serve their inputs with the test suite's fixture server.
        .executableTarget(name: "biomech-synth", dependencies: [
            "Synth", "Biomechanics", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "biomech-train", dependencies: [
            "Model", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "Catalog", dependencies: [
            "Database", "Video", "Fetch", "Drawing", "BiomechCore",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftCSV", package: "SwiftCSV"),
        ], resources: [.embedInCode("catalog.sqlite.sql")]),
        .executableTarget(name: "biomech-catalog", dependencies: [
            "Catalog", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "biomech-bench", dependencies: [
            "Fetch", "Synth", "Catalog", "BiomechCore", "BiomechCLI", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests: shared fixtures (a real HTTP server, real archives, temp folders) in TestSupport.
        .target(name: "TestSupport", dependencies: ["BiomechCore"], path: "Tests/TestSupport",
                exclude: ["fixture_server.py"]),
        .testTarget(name: "BiomechCoreTests", dependencies: ["BiomechCore", "TestSupport"]),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "BiomechCore", "TestSupport", "biomech-fetch"]),
        .testTarget(name: "BiomechanicsTests", dependencies: ["Biomechanics"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Biomechanics"], exclude: ["golden"]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "Biomechanics", "BiomechCore", "NumPy", "TestSupport", "biomech-synth"]),
        .testTarget(name: "NumPyTests", dependencies: ["NumPy", "BiomechCore", "TestSupport"]),
        .testTarget(name: "DrawingTests", dependencies: ["Drawing", "TestSupport"]),
        .testTarget(name: "VideoTests", dependencies: ["Video", "TestSupport"]),
        .testTarget(name: "DatabaseTests", dependencies: ["Database", "TestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Database", "Video", "Fetch", "BiomechCore", "TestSupport", "biomech-catalog"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CFFmpeg", "CSQLite", "COpenBLAS"]),
    ]
)
