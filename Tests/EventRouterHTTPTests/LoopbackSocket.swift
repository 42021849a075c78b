#if canImport(Glibc)
import Glibc
#endif
import Foundation
import EventRouter
@testable import EventRouterHTTP

/// Runs blocking work on a thread of its own, never on the cooperative pool (which the server's
/// handlers need) nor on Dispatch's few global workers (which blocked calls would starve).
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// A response as a test reads it.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String
}

/// A blocking client socket on loopback, for tests. Every read has a 60-second receive
/// timeout, so a server bug fails the test instead of hanging it. (It is a guard, not a timing:
/// a passing test never waits for it. It is long because `swift test` runs CPU-heavy suites on
/// the same two-thread cooperative pool the server's handlers use, and at load 13 a 10-second
/// guard fired on answers that were merely late.)
final class LoopbackSocket: @unchecked Sendable {  // used by one thread at a time
    let fd: Int32
    private var pending: [UInt8] = []

    init?(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else {
            close(fd)
            return nil
        }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes; false on EOF, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        pending.append(contentsOf: chunk[0..<n])
        return true
    }

    /// The next response (a `100 Continue` counts as one), or `nil` when the connection ends first.
    func readResponse(headRequest: Bool = false) -> TestResponse? {
        var end: Int?
        while end == nil {
            if let range = firstRange(of: Array("\r\n\r\n".utf8)) { end = range } else if !fill() { return nil }
        }
        let head = String(decoding: pending[0..<end!], as: UTF8.self)
        pending.removeSubrange(0..<(end! + 4))
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces)
        }
        let length = (status < 200 || status == 204 || headRequest) ? 0 : Int(headers["Content-Length"] ?? "0") ?? 0
        while pending.count < length { if !fill() { return nil } }
        let body = String(decoding: pending[0..<length], as: UTF8.self)
        pending.removeSubrange(0..<length)
        return TestResponse(status: status, headers: headers, body: body)
    }

    /// Whether the server closed the connection (EOF) with nothing more to read.
    func readsEndOfStream() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return pending.isEmpty }
            if n < 0 { return false }
            pending.append(contentsOf: chunk[0..<n])
        }
    }

    private func firstRange(of needle: [UInt8]) -> Int? {
        guard pending.count >= needle.count else { return nil }
        for i in 0...(pending.count - needle.count) where pending[i] == needle[0] && Array(pending[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}

/// Answers every request with its method, path, query and body.
struct EchoHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        HTTPResponse(status: 200, contentType: "text/plain",
                     text: "\(request.method) \(request.path) ?\(request.query) [\(String(decoding: request.body, as: UTF8.self))]")
    }
}

/// Runs `body` against a running server, then shuts it down and waits for it to finish.
func withServer(_ configuration: HTTPServerConfiguration = testConfiguration(), handler: any HTTPHandler = EchoHandler(),
                _ body: (HTTPServer) async throws -> Void) async throws {
    let server = try HTTPServer(configuration: configuration, handler: handler)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await server.run() }
        do {
            try await body(server)
        } catch {
            server.shutdown()
            throw error
        }
        server.shutdown()
        try await group.waitForAll()
    }
}

/// Port 0 on loopback, AWS-shaped parse errors.
func testConfiguration() -> HTTPServerConfiguration {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.errorResponder = AWSResponseWriter.parseError
    return configuration
}
