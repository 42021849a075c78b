#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
@testable import EventRouter

/// A local HTTP/1.1 server for API destination tests: a real socket on 127.0.0.1 (an ephemeral
/// port), one dedicated thread accepting connections one at a time (never the cooperative pool),
/// each request recorded and answered by `respond` with `Connection: close`. Tests wait on
/// ``waitForRequests(_:)`` (woken by each request), never on a sleep.
final class RecordingHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        /// Path and query as sent.
        var target: String
        /// Header names lowercased.
        var headers: [String: String]
        var body: String

        var path: String { String(target.prefix { $0 != "?" }) }
        var query: String { target.contains("?") ? String(target.drop { $0 != "?" }.dropFirst()) : "" }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: String = ""
    }

    private struct State {
        var requests: [Request] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<[Request], Never>)] = []
        var stopped = false
    }

    let port: Int
    private let listener: Int32
    private let state = Mutex(State())
    private let respond: @Sendable (Request) -> Response

    /// Starts listening; `respond` answers each request (called on the server's thread).
    init(respond: @escaping @Sendable (Request) -> Response) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        self.respond = respond
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// `http://127.0.0.1:PORT`
    var base: String { "http://127.0.0.1:\(port)" }

    /// Every request so far.
    var requests: [Request] { state.withLock { $0.requests } }

    /// Waits until at least `count` requests have arrived and returns them all.
    func waitForRequests(_ count: Int) async -> [Request] {
        await withCheckedContinuation { continuation in
            state.withLock { s in
                if s.requests.count >= count { continuation.resume(returning: s.requests) } else { s.waiters.append((count, continuation)) }
            }
        }
    }

    /// Stops accepting (the accept loop ends at its next connection or when the socket closes).
    func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { close(listener) }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            if state.withLock({ $0.stopped }) {
                close(client)
                return
            }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)  // a guard against a stuck client, not a timing
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if let request = read(client) {
                let response = respond(request)
                // Recorded before answering, so a delivery that has its answer finds its request here.
                let ready: [(CheckedContinuation<[Request], Never>, [Request])] = state.withLock { s in
                    s.requests.append(request)
                    let all = s.requests
                    let due = s.waiters.filter { $0.count <= all.count }
                    s.waiters.removeAll { $0.count <= all.count }
                    return due.map { ($0.continuation, all) }
                }
                write(client, response)
                for (c, all) in ready { c.resume(returning: all) }
            }
            close(client)
        }
    }

    private func read(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        var headEnd: Int?
        while headEnd == nil {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            data += chunk[0..<n]
            headEnd = Self.find(Array("\r\n\r\n".utf8), in: data)
        }
        guard let end = headEnd else { return nil }
        let head = String(decoding: data[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(data[(end + 4)...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            body += chunk[0..<n]
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    private func write(_ fd: Int32, _ response: Response) {
        var text = "HTTP/1.1 \(response.status) Status\r\nContent-Length: \(response.body.utf8.count)\r\nConnection: close\r\n"
        for (k, v) in response.headers { text += "\(k): \(v)\r\n" }
        text += "\r\n" + response.body
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}
