import Foundation
import Testing

/// Runs the built `eventrouter` binary (beside the test bundle) and captures what it printed.
enum CLI {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `eventrouter` executable that `swift build --build-tests` / `swift test` put beside the tests.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("eventrouter").path
    }

    /// Runs `eventrouter ARGUMENTS` in `directory`, on a thread of its own (not the cooperative pool).
    static func run(_ arguments: [String], in directory: String) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            Thread {
                do { continuation.resume(returning: try runBlocking(arguments, in: directory)) } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], in directory: String) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: binary])
        }
        let out = directory + "/.cli-out-\(UUID().uuidString)", err = out + "-err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let signalled = process.terminationReason == .uncaughtSignal ? "(killed by signal \(process.terminationStatus))" : ""
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "") + signalled)
    }
}
