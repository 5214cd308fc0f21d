// swift-tools-version:6.0
// biomech: public fitness-exercise videos -> training data -> a GNN-LSTM form model.
// Layering (arrows point one way): executables -> stage modules -> BiomechCore -> C wrappers.
import PackageDescription

let package = Package(
    name: "biomech",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "biomech-fetch", targets: ["biomech-fetch"]),
        .executable(name: "biomech-synth", targets: ["biomech-synth"]),
        .executable(name: "biomech-train", targets: ["biomech-train"]),
        .executable(name: "biomech-catalog", targets: ["biomech-catalog"]),
        .executable(name: "biomech-extract", targets: ["biomech-extract"]),
        .executable(name: "biomech-window", targets: ["biomech-window"]),
        .executable(name: "biomech-analyze", targets: ["biomech-analyze"]),
        .executable(name: "biomech-bench", targets: ["biomech-bench"]),
        .executable(name: "biomech-serve", targets: ["biomech-serve"]),
        .library(name: "BiomechCore", targets: ["BiomechCore"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Fetch", targets: ["Fetch"]),
        .library(name: "CatalogStore", targets: ["CatalogStore"]),
        .library(name: "NumPy", targets: ["NumPy"]),
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Pose", targets: ["Pose"]),
        .library(name: "Shards", targets: ["Shards"]),
        .library(name: "Service", targets: ["Service"]),
        .library(name: "ONNXExport", targets: ["ONNXExport"]),
    ],
    dependencies: [
        // Pinned to the minor release tested here; Package.resolved is not committed (see README).
        .package(url: "https://github.com/apple/swift-argument-parser", .upToNextMinor(from: "1.8.2")),
        .package(url: "https://github.com/jpsim/Yams", .upToNextMinor(from: "6.2.2")),
        .package(url: "https://github.com/apple/swift-crypto", .upToNextMinor(from: "3.12.3")),
        .package(url: "https://github.com/apple/swift-log", .upToNextMinor(from: "1.16.2")),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", .upToNextMinor(from: "0.10.0")),
        // Annotation spreadsheets (.xlsx, a zip of XML parts): ALEX-GYM-1's expert labels.
        .package(url: "https://github.com/weichsel/ZIPFoundation", .upToNextMinor(from: "0.9.20")),
        // The HTTP service (biomech-serve) and its tests' client.
        .package(url: "https://github.com/hummingbird-project/hummingbird", .upToNextMinor(from: "2.28.1")),
        .package(url: "https://github.com/vapor/multipart-kit", .upToNextMinor(from: "4.7.1")),
        .package(url: "https://github.com/swift-server/swift-prometheus", .upToNextMinor(from: "2.4.1")),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", .upToNextMinor(from: "2.13.0")),
        .package(url: "https://github.com/swift-server/async-http-client", .upToNextMinor(from: "1.37.0")),
        // ONNX export: the runtime library only; Sources/ONNXExport/Generated is generated once and committed.
        .package(url: "https://github.com/apple/swift-protobuf", .upToNextMinor(from: "1.39.0")),
    ],
    targets: [
        // C libraries: a module map and a small shim each, nothing else.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libavdevice-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),

        // Linux calls Glibc does not expose (namespaces, parent-death signal), for extraction workers.
        .target(name: "CLinux"),
        // The BLAS kernel choice's C side (docs/MODEL.md, "Kernel selection"): CPUID and XGETBV, and the
        // self-check's double-precision reference, optimized in debug builds too so that every start stays quick.
        .target(name: "CBLASCheck", cSettings: [.unsafeFlags(["-O2"])]),
        // MediaPipe's Tasks C API (0.10.35 structs), loaded with dlopen at run time: see docs/EXTRACT.md.
        .target(name: "CMediaPipe", linkerSettings: [.linkedLibrary("dl")]),

        // Pure Swift shared by every stage: errors, atomic files, digests, locks, progress, processes, RNG.
        .target(name: "BiomechCore", dependencies: [
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Formats and drawing shared by several stages.
        .target(name: "NumPy", dependencies: ["BiomechCore"], exclude: ["README.md"]),
        .target(name: "Drawing", dependencies: ["BiomechCore", "CCairo"]),

        // SQLite (the catalog's store) and libav (probing, later decoding): C stays inside each.
        .target(name: "Database", dependencies: ["CSQLite", "BiomechCore"]),
        .target(name: "Video", dependencies: ["CFFmpeg", "BiomechCore"]),
        // Pose estimation on RGB frames (MediaPipe BlazePose): C stays inside.
        .target(name: "Pose", dependencies: ["CMediaPipe", "BiomechCore"]),

        // The label definitions (docs/LABELS.md) in pure Swift: synth, window and analyze share them.
        .target(name: "Biomechanics"),

        // Stage libraries: all the logic lives here.
        .target(name: "Model", dependencies: ["COpenBLAS", "CBLASCheck", "Biomechanics", "BiomechCore"]),
        .target(name: "Synth", dependencies: [
            "Biomechanics", "BiomechCore", "NumPy", "Drawing",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The dataset description every stage shares (pure Swift): manifests, label rules, annotations,
        // receipts, clip lists and names, splits. Fetch and the catalog both build on it.
        .target(name: "Datasets", dependencies: [
            "BiomechCore", "Biomechanics", "NumPy",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftCSV", package: "SwiftCSV"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "Fetch", dependencies: [
            "Datasets", "BiomechCore", "CCurl", "CArchive",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
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
        .executableTarget(name: "biomech-synth", dependencies: [
            "Synth", "Biomechanics", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The trained model as an ONNX graph (docs/DEPLOY.md); the protobuf types stay inside.
        .target(name: "ONNXExport", dependencies: [
            "Model", "Biomechanics", "BiomechCore", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["README.md", "Generated/onnx.proto"]),
        .executableTarget(name: "biomech-train", dependencies: [
            "Model", "Training", "ONNXExport", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The catalog: the store (schema, migrations, typed rows) that every recording stage depends on,
        // scanning (probe, labels, splits) and reporting (cards, charts, queries) on top of it.
        .target(name: "CatalogStore", dependencies: ["Database", "Datasets", "BiomechCore"],
                resources: [.embedInCode("catalog.sqlite.sql"), .embedInCode("migrations/v2-sequences.sql"),
                                                           .embedInCode("migrations/v3-windows.sql"),
                                                           .embedInCode("migrations/v4-youtube.sql")]),
        .target(name: "CatalogScan", dependencies: ["CatalogStore", "Database", "Datasets", "Video", "BiomechCore"]),
        .target(name: "CatalogReport", dependencies: ["CatalogStore", "Database", "Drawing", "BiomechCore"]),
        .executableTarget(name: "biomech-catalog", dependencies: [
            "CatalogStore", "CatalogScan", "CatalogReport", "Datasets", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The shard format (docs/SHARDS.md): writer and the reader trainers use.
        .target(name: "Shards", dependencies: ["NumPy", "BiomechCore"]),
        // Windowing: landmark sequences -> labelled windows in shards; records windows in the catalog.
        .target(name: "Windowing", dependencies: ["Shards", "Biomechanics", "NumPy", "CatalogStore", "Database", "Datasets",
                                                  "BiomechCore"]),
        // The training workflow: sampling shards, augmentation, fitting and evaluating the model.
        .target(name: "Training", dependencies: ["Shards", "Model", "Biomechanics", "Drawing", "BiomechCore"]),
        // Extraction: videos -> landmark sequences in worker processes; the parent records in the catalog.
        .target(name: "Extract", dependencies: ["Video", "Pose", "NumPy", "CatalogStore", "Database", "CLinux", "BiomechCore"],
                exclude: ["README.md"]),
        .executableTarget(name: "biomech-extract", dependencies: [
            "Extract", "Pose", "CatalogStore", "Datasets", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "biomech-window", dependencies: [
            "Windowing", "Shards", "Datasets", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Analysis: a video, stream or sequence -> report, annotated video, summary picture.
        .target(name: "Analysis", dependencies: [
            "Extract", "Windowing", "Shards", "Model", "Biomechanics", "Video", "Pose", "Drawing", "CatalogStore", "Database", "Datasets", "BiomechCore",
        ]),
        .executableTarget(name: "biomech-analyze", dependencies: [
            "Analysis", "Extract", "Model", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The HTTP service: uploads -> a bounded queue -> analysis worker processes -> reports.
        .target(name: "Service", dependencies: [
            "Analysis", "Extract", "Video", "BiomechCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["README.md"], resources: [.embedInCode("openapi.json")]),
        .executableTarget(name: "biomech-serve", dependencies: [
            "Service", "Extract", "Model", "BiomechCore", "BiomechCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "biomech-bench", dependencies: [
            "Fetch", "Datasets", "Synth", "CatalogScan", "CatalogStore", "Shards", "NumPy", "Analysis", "Extract", "Model", "Pose",
            "BiomechCore", "BiomechCLI",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests: shared fixtures (a real HTTP server, real archives, temp folders) in TestSupport.
        .target(name: "TestSupport", dependencies: [
            "BiomechCore", "Model", .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/TestSupport",
                exclude: ["fixture_server.py"]),
        .testTarget(name: "BiomechCoreTests", dependencies: ["BiomechCore", "TestSupport"]),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "Datasets", "BiomechCore", "TestSupport", "biomech-fetch",
                                                     "CatalogScan", "CatalogStore", "Database"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "BiomechCore", "NumPy", "TestSupport",
                                                        .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "BiomechanicsTests", dependencies: ["Biomechanics"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Biomechanics"], exclude: ["golden"]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "Biomechanics", "BiomechCore", "NumPy", "TestSupport", "biomech-synth"]),
        .testTarget(name: "NumPyTests", dependencies: ["NumPy", "BiomechCore", "TestSupport"]),
        .testTarget(name: "DrawingTests", dependencies: ["Drawing", "TestSupport"]),
        .testTarget(name: "VideoTests", dependencies: ["Video", "TestSupport"]),
        .testTarget(name: "PoseTests", dependencies: ["Pose", "BiomechCore", "TestSupport"]),
        .testTarget(name: "DatabaseTests", dependencies: ["Database", "TestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: [
            "CatalogStore", "CatalogScan", "CatalogReport", "Database", "Datasets", "Video", "BiomechCore", "TestSupport",
            "biomech-catalog"]),
        .testTarget(name: "ExtractTests", dependencies: [
            "Extract", "CatalogStore", "CatalogScan", "Database", "Datasets", "NumPy", "Pose", "BiomechCore", "TestSupport",
            "biomech-extract", "biomech-catalog"]),
        .testTarget(name: "ShardsTests", dependencies: ["Shards", "NumPy", "BiomechCore", "TestSupport"]),
        .testTarget(name: "ExportTests", dependencies: [
            "ONNXExport", "Model", "Windowing", "Synth", "Extract", "Pose", "NumPy", "TestSupport", "biomech-train"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Shards", "Model", "Biomechanics", "BiomechCore", "TestSupport",
                                                          "biomech-train"]),
        .testTarget(name: "WindowingTests", dependencies: [
            "Windowing", "Shards", "Biomechanics", "CatalogStore", "Database", "Datasets", "NumPy", "BiomechCore", "TestSupport",
            "biomech-window", "biomech-synth"]),
        .testTarget(name: "AnalysisTests", dependencies: [
            "Analysis", "Extract", "Pose", "Model", "Biomechanics", "Synth", "Windowing", "NumPy", "BiomechCore", "TestSupport",
            "biomech-analyze", "biomech-synth"]),
        .testTarget(name: "DemoTests", dependencies: [
            "NumPy", "TestSupport", "biomech-fetch", "biomech-catalog", "biomech-extract", "biomech-synth", "biomech-window",
            "biomech-train", "biomech-analyze"]),
        .testTarget(name: "ServiceTests", dependencies: [
            "Service", "Analysis", "Model", "BiomechCore", "TestSupport", "biomech-serve",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CFFmpeg", "CSQLite", "COpenBLAS"]),
    ]
)
