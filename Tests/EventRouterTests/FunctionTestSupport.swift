import Foundation
import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// A temporary folder with helpers to write handler scripts; removed on deinit.
final class FunctionTempFolder: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "er-fn-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` (executable when asked) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // An executable is written while no handler is being spawned, and through a descriptor
        // opened with O_CLOEXEC: a process another test starts meanwhile (Foundation's Process
        // takes no lock of ours) drops it at its exec instead of holding it open for writing for
        // its whole life, so executing the file cannot fail with "Text file busy".
        try ChildProcess.whileNotSpawning {
            try TestFile.write(text, to: file, executable: executable)
        }
        return file
    }

    /// A process-function manifest for a handler script `handler` in this folder. The default
    /// timeout is generous because some tests run on the real clock on a loaded machine.
    func manifest(_ script: String, mode: FunctionManifest.Mode = .invocation, timeout: Int = 60,
                  environment: [(key: String, value: String)] = []) throws -> FunctionManifest {
        try write("handler", script, executable: true)
        return FunctionManifest(name: "test-fn", folder: path, runtime: .process, handler: "handler", mode: mode,
                                timeoutSeconds: timeout, environment: environment)
    }
}

/// A gate Swift handlers wait at until the test releases them; counts who entered.
final class FunctionGate: Sendable {
    private struct State {
        var entered = 0
        var parked: [CheckedContinuation<Void, Never>] = []
        var enteredWaiters: [(Int, CheckedContinuation<Void, Never>)] = []
    }
    private let state = Mutex(State())

    func enter() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready: [CheckedContinuation<Void, Never>] = state.withLock { s in
                s.entered += 1
                s.parked.append(c)
                var ready: [CheckedContinuation<Void, Never>] = []
                s.enteredWaiters.removeAll { w in
                    guard s.entered >= w.0 else { return false }
                    ready.append(w.1)
                    return true
                }
                return ready
            }
            for r in ready { r.resume() }
        }
    }

    /// Waits until `count` handlers have entered in total.
    func waitForEntered(_ count: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.entered >= count { return true }
                s.enteredWaiters.append((count, c))
                return false
            }
            if now { c.resume() }
        }
    }

    /// Lets every parked handler continue.
    func releaseAll() {
        let parked = state.withLock { s in
            defer { s.parked.removeAll() }
            return s.parked
        }
        for p in parked { p.resume() }
    }
}

/// Reads one line from a FIFO on a thread of its own (never blocking the cooperative pool),
/// waiting at most `seconds` of real time: a safety net that fails the test rather than hanging
/// (a passing test never waits for it; 60 s because with several full suites running on two
/// cores a handler's first line took more than 20 s).
func readLine(fromFIFO path: String, seconds: Int32 = 60) async -> String? {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: blockingReadLine(fromFIFO: path, seconds: seconds)) }.start()
    }
}

private func blockingReadLine(fromFIFO path: String, seconds: Int32) -> String? {
    let fd = open(path, O_RDONLY | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var text: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 256)
    let deadline = Date().addingTimeInterval(Double(seconds))
    while Date() < deadline {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, 1000)
        let r = read(fd, &buffer, buffer.count)
        if r > 0 {
            text += buffer[0..<r]
            if text.contains(0x0A) { break }
        }
    }
    let line = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return line.isEmpty ? nil : line
}

/// Whether `pid` is a live process (not gone, not a zombie).
func isLiveProcess(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// Waits (bounded by `seconds` of real time, on a thread of its own so that the cooperative
/// pool keeps serving other tests, never sleeping) until none of `pids` is live.
func allDead(_ pids: [Int32], seconds: Double = 10) async -> Bool {
    await withCheckedContinuation { continuation in
        Thread {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if !pids.contains(where: isLiveProcess) { return continuation.resume(returning: true) }
                sched_yield()
            }
            continuation.resume(returning: false)
        }.start()
    }
}

extension FunctionManifest {
    /// A Swift-function manifest for tests.
    static func swiftTest(
        name: String = "fn", reserved: Int? = nil, retries: Int = 2, maxAge: Int = 21_600, timeout: Int = 3,
        onSuccess: String? = nil, onFailure: String? = nil, dlq: String? = nil
    ) -> FunctionManifest {
        FunctionManifest(name: name, runtime: .swift, handler: name, timeoutSeconds: timeout, reservedConcurrentExecutions: reserved,
                         maximumRetryAttempts: retries, maximumEventAgeInSeconds: maxAge, onSuccessDestination: onSuccess,
                         onFailureDestination: onFailure, deadLetterTargetArn: dlq)
    }
}

enum FunctionTestARNs {
    static let queue = "arn:aws:sqs:us-east-1:123456789012:failures"
    static let okQueue = "arn:aws:sqs:us-east-1:123456789012:successes"
    static let bus = "arn:aws:events:us-east-1:123456789012:event-bus/results"
    static let dlq = "arn:aws:sqs:us-east-1:123456789012:fn-dlq"
}

/// A FIFO the test holds open at both ends (`O_RDWR`, which never blocks on Linux): a handler
/// opening it to write or read never waits for the test. Write the gate's line with ``send(_:)``
/// before or after the handler opens it; a test that gave up waiting (the safety net of
/// ``readLine(fromFIFO:seconds:)``) cannot leave the handler, or itself, blocked in `open`.
/// The handler must read one line (`read x < "$GATE"`, `f.readline()`): no EOF comes while held.
final class HeldFIFO: Sendable {
    let path: String
    private let fd: Int32

    init(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        self.path = path
        fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw CocoaError(.fileReadUnknown) }
    }

    deinit { close(fd) }

    /// Writes `line` and a newline into the FIFO (buffered until the handler reads it).
    func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
