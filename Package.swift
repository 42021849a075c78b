// swift-tools-version:6.1
// 6.1: the tests use Swift Testing's `#expect(throws:)` returning the error (Swift 6.1; `weak let`, which needed 6.2, is gone); Mutex/Atomic, `sending`, typed throws, swiftLanguageModes need 6.0.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

// Package layout (docs/architecture.md, "Modules and their direction"); dependencies point one way:
//   EventRouterCore     Sources/EventRouterCore   JSON, event model and ARNs, patterns, matching, time, crypto,
//                                                 support, logging, errors; knows no resource
//   EventRouter         Sources/EventRouter       resources and engine; depends on and re-exports the core
//   EventRouterStorage  Sources/EventRouterStorage data directory, journal, snapshots; depends on the core only
//   EventRouterHTTP, EventRouterFunctions, EventRouterTesting, EventRouterFuzzing, EventRouterCloudFormation  depend on EventRouter
//   (EventRouterFuzzing also on EventRouterHTTP, EventRouterStorage and EventRouterCloudFormation: it fuzzes their readers)
//   eventrouter, eventrouter-bench, eventrouter-fuzz                              executables on top
// Cross-module declarations that are not public API use `package` access.
let package = Package(
    name: "EventRouter",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EventRouter", targets: ["EventRouter"]),
        .library(name: "EventRouterTesting", targets: ["EventRouterTesting"]),
        .library(name: "EventRouterHTTP", targets: ["EventRouterHTTP"]),
        .executable(name: "eventrouter", targets: ["eventrouter"]),
        .executable(name: "eventrouter-bench", targets: ["eventrouter-bench"]),
        .executable(name: "eventrouter-fuzz", targets: ["eventrouter-fuzz"]),
    ],
    targets: [
        // The core: JSON, the event model and ARNs, patterns, matching, time, crypto, support,
        // logging and errors. It knows nothing of the engine.
        .target(name: "EventRouterCore", dependencies: ["CEventRouterCRC32C"], swiftSettings: strict),
        // The CPU's CRC-32C instructions (SSE4.2, ARMv8 CRC), which Swift cannot reach; CRC32C.swift falls back to tables.
        .target(name: "CEventRouterCRC32C"),
        // The resources and the engine (queues, topics, streams, functions, mappings, buses,
        // delivery, targets, archives, accounts, replay, runtime, input, workspace). It
        // re-exports the core (Sources/EventRouter/Exports.swift), so `import EventRouter` is enough.
        .target(name: "EventRouter", dependencies: ["EventRouterCore"], swiftSettings: strict),
        .target(name: "EventRouterTesting", dependencies: ["EventRouter"], swiftSettings: strict),
        // The data directory, the journal (CRC-32C framed records, group commit) and snapshots
        // behind `eventrouter run --data-dir` (docs/durability.md). Knows no resource.
        .target(name: "EventRouterStorage", dependencies: ["EventRouterCore"], swiftSettings: strict),
        // The HTTP/1.1 server and the AWS wire protocols behind `eventrouter run`.
        .target(name: "EventRouterHTTP", dependencies: ["EventRouter", "EventRouterStorage", "CEventRouterSystem"], swiftSettings: strict),
        .target(name: "CEventRouterSystem"),
        .executableTarget(name: "eventrouter", dependencies: ["EventRouter", "EventRouterHTTP", "EventRouterFunctions", "EventRouterStorage", "EventRouterCloudFormation"], swiftSettings: strict),
        .executableTarget(name: "eventrouter-bench", dependencies: ["EventRouter", "EventRouterHTTP", "EventRouterFunctions", "EventRouterStorage"], swiftSettings: strict),
        // Fuzz targets and the seeded mutation driver (docs/fuzzing.md).
        .target(name: "EventRouterFuzzing", dependencies: ["EventRouter", "EventRouterHTTP", "EventRouterStorage", "EventRouterCloudFormation"], swiftSettings: strict),
        .executableTarget(name: "eventrouter-fuzz", dependencies: ["EventRouter", "EventRouterFuzzing"], swiftSettings: strict),
        // Swift functions: Functions/*/*.swift compiled in by a build-tool plugin (adding a folder registers it).
        .target(name: "EventRouterFunctions", dependencies: ["EventRouter"], swiftSettings: strict, plugins: ["FunctionRegistryPlugin"]),
        // CloudFormation and SAM templates: our own YAML reader, the importer (docs/cloudformation.md).
        .target(name: "EventRouterCloudFormation", dependencies: ["EventRouter"], swiftSettings: strict),
        .plugin(name: "FunctionRegistryPlugin", capability: .buildTool(), path: "Sources/FunctionRegistryPlugin"),
        .testTarget(
            name: "EventRouterTests",
            dependencies: ["EventRouter", "EventRouterTesting", "EventRouterFunctions", "EventRouterFuzzing"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EventRouterHTTPTests",
            dependencies: ["EventRouter", "EventRouterHTTP", "EventRouterTesting"],
            swiftSettings: strict
        ),
        .testTarget(name: "EventRouterCloudFormationTests", dependencies: ["EventRouter", "EventRouterCloudFormation", "EventRouterTesting", "EventRouterFunctions"],
                    exclude: ["Templates", "Lint"], swiftSettings: strict),
        .testTarget(name: "EventRouterStorageTests", dependencies: ["EventRouterCore", "EventRouterStorage"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
