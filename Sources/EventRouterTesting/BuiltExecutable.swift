import Foundation

/// Finds an executable product of this package (`eventrouter`) in the build folder beside the
/// running test bundle (`.build/<configuration>/`), for tests that run the built binary.
public enum BuiltExecutable {
    /// The path `NAME` has beside the running test bundle (whether or not it exists).
    public static func path(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// The path of `NAME` if it was built, else `nil`.
    public static func existing(_ name: String) -> String? {
        let candidate = path(name)
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// What a test says when `NAME` was not built.
    public static func missing(_ name: String) -> String {
        "\(path(name)) is missing: build the '\(name)' product before running the tests that run it (swift build, then swift test)"
    }
}
