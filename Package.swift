// swift-tools-version: 6.1
import PackageDescription

/// Upcoming features every Leeway target builds with (see docs/ARCHITECTURE.md).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Leeway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leeway", targets: ["LeewayCLI"]),
        .library(name: "LeewayCore", targets: ["LeewayCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The pure, deterministic domain: numerics, markets, margin, liquidation, engine.
        .target(
            name: "LeewayCore",
            dependencies: [
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                "CPrefetch",
            ],
            swiftSettings: strictSettings
        ),
        // Cache prefetch hints for the core's evaluation loop (Swift has no prefetch intrinsic).
        .target(name: "CPrefetch"),
        // The wire format: strict JSON, command decoding, event encoding. Pure, no I/O.
        .target(
            name: "LeewayWire",
            dependencies: ["LeewayCore"],
            // Optimized in debug builds too: the journal's records and the snapshot are decoded
            // here, and an unoptimized decoder made a debug server's restart after a crash (the
            // soak in `.ci/run`) take 20 s instead of about 2 s.
            swiftSettings: strictSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // zlib, linked from the system (zlib1g-dev), for gzip-compressed price files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Candle files (Curve/Binance JSON, Binance CSV, gzip or plain): the only file reader for prices.
        .target(
            name: "LeewayMarketData",
            dependencies: ["CZlib", "LeewayWire"],
            swiftSettings: strictSettings
        ),
        // Backtests and stress tests: price paths, populations, depth and cascades, driving LeewayCore.
        .target(
            name: "LeewaySimulation",
            dependencies: [
                "LeewayCore",
                "LeewayWire",
                "LeewayMarketData",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        // Band soft liquidation (Curve's LLAMMA): the contract's AMM and loans, and Curve's loss simulator.
        .target(
            name: "LeewayBands",
            dependencies: ["LeewayCore", "LeewayWire", "LeewayMarketData"],
            swiftSettings: strictSettings
        ),
        // The durable journal: hash-chained command records, events and snapshots in SQLite (GRDB, WAL)
        // or PostgreSQL (PostgresNIO), behind one `JournalStore` protocol.
        .target(
            name: "LeewayJournal",
            dependencies: [
                "LeewayCore",
                "LeewayWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // `leeway serve`: the engine host (one owner, group commit), HTTP/WebSocket API, auth, metrics.
        .target(
            name: "LeewayServer",
            dependencies: [
                "LeewayCore",
                "LeewayWire",
                "LeewayJournal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Connection hygiene below Hummingbird (head limits, timeouts, upgrade refusals).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        // The `leeway` command-line shell.
        .executableTarget(
            name: "LeewayCLI",
            dependencies: [
                "LeewayCore",
                "LeewayWire",
                "LeewayMarketData",
                "LeewaySimulation",
                "LeewayBands",
                "LeewayJournal",
                "LeewayServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            exclude: ["Demo/Sample/README.md"],
            // The sample crash of `leeway demo`, so the demo runs without ../shared (Demo/Sample/README.md).
            resources: [.copy("Demo/Sample/ethusdt-1m-2024-08-05.json.gz")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LeewayCoreTests",
            dependencies: ["LeewayCore", "LeewayWire", .product(name: "HeapModule", package: "swift-collections"),
                           .product(name: "DequeModule", package: "swift-collections")],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        // Throwaway PostgreSQL databases for the tests (on the server LEEWAY_TEST_POSTGRES_URL names).
        .target(
            name: "PostgresTestSupport",
            dependencies: ["LeewayJournal", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")],
            path: "Tests/PostgresTestSupport",
            swiftSettings: strictSettings
        ),
        // Child processes for the tests, spawned without Foundation's Process (ChildProcess.swift).
        .target(
            name: "ProcessTestSupport",
            path: "Tests/ProcessTestSupport",
            swiftSettings: strictSettings
        ),
        // Runs the built `leeway` binary as a process (depending on the executable builds it first).
        .testTarget(
            name: "LeewayCLITests",
            dependencies: ["LeewayCLI", "PostgresTestSupport", "ProcessTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LeewayMarketDataTests",
            dependencies: ["LeewayMarketData"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LeewayJournalTests",
            dependencies: ["LeewayJournal", "LeewayCore", "LeewayWire", "PostgresTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LeewayServerTests",
            dependencies: [
                "LeewayServer", "LeewayJournal", "LeewayCore", "LeewayWire", "ProcessTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LeewaySimulationTests",
            dependencies: ["LeewaySimulation", "LeewayCore", "LeewayMarketData"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LeewayBandsTests",
            dependencies: ["LeewayBands", "LeewayMarketData", "LeewayWire"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LeewayWireTests",
            dependencies: ["LeewayWire"],
            swiftSettings: strictSettings
        ),
    ]
)
