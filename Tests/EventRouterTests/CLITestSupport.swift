import Dispatch
import EventRouterTesting
import Foundation
import Testing

/// Runs the built `eventrouter` binary (beside the test bundle) and captures what it printed.
enum CLI {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Why a run failed before the binary could answer.
    struct RunError: Error, CustomStringConvertible {
        var description: String
    }

    /// The `eventrouter` executable that `swift build` / `swift test` put beside the tests.
    static var binary: String { BuiltExecutable.path("eventrouter") }

    /// The repository root: the example workspace (Rules/, Functions/, docs/examples/).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs `eventrouter ARGUMENTS` in `directory`, on a thread of its own (not the cooperative
    /// pool). Waits for the process to exit, at most `timeout`: then it is killed and the run
    /// fails, so a hanging binary fails the test instead of hanging it.
    static func run(_ arguments: [String], in directory: String, stdin: String? = nil, timeout: Duration = .seconds(120)) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            Thread {
                do { continuation.resume(returning: try runBlocking(arguments, in: directory, stdin: stdin, timeout: timeout)) } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], in directory: String, stdin: String?, timeout: Duration) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw RunError(description: BuiltExecutable.missing("eventrouter")) }
        let out = directory + "/.cli-out-\(UUID().uuidString)", err = out + "-err", input = out + "-in"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            for file in [out, err, input] { try? FileManager.default.removeItem(atPath: file) }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let stdin {
            _ = FileManager.default.createFile(atPath: input, contents: Data(stdin.utf8))
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        if exited.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            throw RunError(description: "eventrouter \(arguments.joined(separator: " ")) did not exit within \(timeout); killed it")
        }
        let signalled = process.terminationReason == .uncaughtSignal ? "(killed by signal \(process.terminationStatus))" : ""
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "") + signalled)
    }
}
