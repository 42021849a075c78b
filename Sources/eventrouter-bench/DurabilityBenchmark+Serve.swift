#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `durability --serve`: the start of the real `eventrouter run` on a recovered folder, timed
/// from exec to the listening line and to the first answer that counts every message.
extension DurabilityBenchmark {
    /// Starts `eventrouter run --port 0 --data-dir COPY` (a ``linkedCopy(of:)`` of `data`, an
    /// empty workspace, no reload), waits for its listening line, asks SQS for the `durable`
    /// queue's message count until it answers, checks it is `expected`, reports the times and
    /// the child's peak RSS, then kills it (`SIGKILL`: nothing is written back to the copy).
    static func serve(_ data: String, _ expected: Int, binary: String?) async throws {
        let copy = try linkedCopy(of: data)
        let workspace = data + "-workspace"
        for folder in ["Rules", "Functions"] {
            try FileManager.default.createDirectory(atPath: workspace + "/" + folder, withIntermediateDirectories: true)
        }
        defer {
            try? FileManager.default.removeItem(atPath: copy)
            try? FileManager.default.removeItem(atPath: workspace)
        }
        let executable = binary ?? (URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path + "/eventrouter")
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchError("--serve needs the eventrouter binary: \(executable) is not executable (build it with `swift build -c release --product eventrouter`, or pass --eventrouter PATH)")
        }
        let result = try await offPool { try startAndAsk(executable, copy: copy, workspace: workspace) }
        guard result.count == expected else { throw BenchError("eventrouter run answered \(result.count) messages, expected \(expected)") }
        Console.out("  listening after \(format3(result.listening)) s, first answer (\(result.count) messages) after \(format3(result.answered)) s; peak RSS \(result.peakKiB / 1_024) MiB")
        Console.out("  \(result.startLine)")
    }

    /// What ``startAndAsk(_:copy:workspace:)`` measured.
    private struct Started: Sendable {
        var listening = 0.0, answered = 0.0
        var count = -1
        var peakKiB = 0
        var startLine = ""
    }

    /// Blocking: spawns the server, reads its output until the listening line and the start
    /// line, then polls its SQS endpoint. Run off the cooperative pool.
    private static func startAndAsk(_ executable: String, copy: String, workspace: String) throws -> Started {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["run", "--port", "0", "--data-dir", copy, "--workspace", workspace, "--no-reload"]
        let output = Pipe()
        process.standardOutput = output
        let start = HTTPBenchmark.monotonicNanoseconds()
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        var started = Started()
        var text = ""
        var port: Int?
        let handle = output.fileHandleForReading
        while port == nil || !text.contains("recovered") {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw BenchError("eventrouter run ended before serving; it printed: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
            if port == nil, let range = text.range(of: "listening on http://127.0.0.1:") {
                started.listening = Double(HTTPBenchmark.monotonicNanoseconds() - start) / 1e9
                port = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        started.startLine = text.split(separator: "\n").first { $0.contains("recovered") }.map(String.init) ?? ""
        guard let port else { throw BenchError("no port in: \(text)") }
        started.count = try messageCount(port: port)
        started.answered = Double(HTTPBenchmark.monotonicNanoseconds() - start) / 1e9
        started.peakKiB = peakKiB(of: process.processIdentifier)
        return started
    }

    /// `ApproximateNumberOfMessages` + `…NotVisible` of the queue `durable`, over the SQS JSON protocol.
    private static func messageCount(port: Int) throws -> Int {
        guard let fd = HTTPBenchmark.connectLoopback(port: port) else { throw BenchError("cannot connect to 127.0.0.1:\(port)") }
        defer { close(fd) }
        let body = #"{"QueueUrl":"http://127.0.0.1:\#(port)/123456789012/durable","AttributeNames":["ApproximateNumberOfMessages","ApproximateNumberOfMessagesNotVisible"]}"#
        let request = Array(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.GetQueueAttributes\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240102/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { throw BenchError("cannot send to 127.0.0.1:\(port)") }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var received = 0, needed = Int.max
        while received < needed {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + received, $0.count - received, 0) }
            guard n > 0 else { throw BenchError("the server closed the connection after \(received) bytes") }
            received += n
            if needed == Int.max, let total = HTTPBenchmark.responseLength(buffer, received) { needed = total }
        }
        let answer = String(decoding: buffer[0..<received], as: UTF8.self)
        var total = 0
        for name in ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] {
            guard let range = answer.range(of: "\"\(name)\":\"") else { throw BenchError("no \(name) in: \(answer)") }
            total += Int(answer[range.upperBound...].prefix { $0.isNumber }) ?? 0
        }
        return total
    }

    /// `VmHWM` of process `pid`, in KiB (0 when unreadable).
    private static func peakKiB(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Runs blocking `work` on a thread of its own and awaits it.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private static func format3(_ value: Double) -> String { String(format: "%.2f", value) }
}
