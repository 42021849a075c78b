// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "EventRouter",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EventRouter", targets: ["EventRouter"]),
        .library(name: "EventRouterTesting", targets: ["EventRouterTesting"]),
        .executable(name: "eventrouter", targets: ["eventrouter"]),
        .executable(name: "eventrouter-bench", targets: ["eventrouter-bench"]),
        .executable(name: "eventrouter-fuzz", targets: ["eventrouter-fuzz"]),
    ],
    targets: [
        .target(name: "EventRouter", swiftSettings: strict),
        .target(name: "EventRouterTesting", dependencies: ["EventRouter"], swiftSettings: strict),
        .executableTarget(name: "eventrouter", dependencies: ["EventRouter", "EventRouterFunctions"], swiftSettings: strict),
        .executableTarget(name: "eventrouter-bench", dependencies: ["EventRouter", "EventRouterFunctions"], swiftSettings: strict),
        // Fuzz targets and the seeded mutation driver (docs/fuzzing.md).
        .target(name: "EventRouterFuzzing", dependencies: ["EventRouter"], swiftSettings: strict),
        .executableTarget(name: "eventrouter-fuzz", dependencies: ["EventRouter", "EventRouterFuzzing"], swiftSettings: strict),
        // Swift functions: Functions/*/*.swift compiled in by a build-tool plugin (adding a folder registers it).
        .target(name: "EventRouterFunctions", dependencies: ["EventRouter"], swiftSettings: strict, plugins: ["FunctionRegistryPlugin"]),
        .plugin(name: "FunctionRegistryPlugin", capability: .buildTool(), path: "Sources/FunctionRegistryPlugin"),
        .testTarget(
            name: "EventRouterTests",
            dependencies: ["EventRouter", "EventRouterTesting", "EventRouterFunctions", "EventRouterFuzzing"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
