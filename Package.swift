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
    ],
    targets: [
        .target(name: "EventRouter", swiftSettings: strict),
        .target(name: "EventRouterTesting", dependencies: ["EventRouter"], swiftSettings: strict),
        .executableTarget(name: "eventrouter", dependencies: ["EventRouter"], swiftSettings: strict),
        .executableTarget(name: "eventrouter-bench", dependencies: ["EventRouter"], swiftSettings: strict),
        .testTarget(
            name: "EventRouterTests",
            dependencies: ["EventRouter", "EventRouterTesting"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
