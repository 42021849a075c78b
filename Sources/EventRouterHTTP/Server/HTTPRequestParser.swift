#if canImport(Glibc)
import Glibc
#endif

/// An incremental HTTP/1.1 request parser: a pure state machine over bytes.
///
/// Feed bytes with ``append(_:)`` as they arrive and call ``next()`` until it says
/// ``Event/needMoreData``. Requests come out in the order they were sent (pipelining), bodies
/// framed by `Content-Length` or `Transfer-Encoding: chunked`. Every malformed input is an
/// ``Event/failure(_:)`` with the status to answer; after a failure the parser stays failed.
public struct HTTPRequestParser: Sendable {
    /// What the bytes so far amount to.
    public enum Event: Sendable {
        /// Nothing complete yet.
        case needMoreData
        /// The request's head asked `Expect: 100-continue` and no body has arrived: write
        /// `HTTP/1.1 100 Continue` and call ``next()`` again.
        case continueExpected
        /// A whole request.
        case request(HTTPRequest)
        /// The input is malformed; answer with its status and close.
        case failure(HTTPParseError)
    }

    private enum State: Sendable, Equatable {
        case head
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
        case failed
    }

    private let limits: HTTPParserLimits
    private var buffer: [UInt8] = []
    private var position = 0
    private var scanned = 0
    private var state = State.head
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var failure: HTTPParseError?

    public init(limits: HTTPParserLimits = HTTPParserLimits()) { self.limits = limits }

    /// Adds bytes received from the peer.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            scanned = 0
            position = 0
        } else if position >= 65_536 {
            buffer.removeSubrange(0..<position)
            scanned -= position
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Whether part of a request has arrived but not all of it.
    public var isMidRequest: Bool {
        if state != .head { return state != .failed }
        return buffer[position...].contains { $0 != 0x0D && $0 != 0x0A }
    }

    /// The head of the request being read, once complete (for choosing an error's format).
    public var currentHead: HTTPRequestHead? { head }

    /// The next event from the bytes received so far.
    public mutating func next() -> Event {
        if let failure { return .failure(failure) }
        do {
            return try step()
        } catch {
            failure = error
            state = .failed
            return .failure(error)
        }
    }

    /// The error to answer when the peer ends its side of the connection now, or `nil` when no
    /// request was cut short.
    public func endOfInput() -> HTTPParseError? {
        guard failure == nil, isMidRequest else { return nil }
        switch state {
        case .body(let remaining):
            let length = head?.contentLength ?? 0
            return .badRequest("the connection ended after \(length - remaining) of the \(length) body bytes that Content-Length announced")
        case .chunkSize, .chunkData, .chunkDataEnd, .trailers:
            return .badRequest("the connection ended inside a chunked body, before its last (zero-size) chunk")
        default:
            return .badRequest("the connection ended inside a request head (\(buffer.count - position) bytes, no empty line after the header fields)")
        }
    }

    private mutating func step() throws(HTTPParseError) -> Event {
        while true {
            switch state {
            case .failed:
                return .needMoreData
            case .head:
                guard let parsed = try readHead() else { return .needMoreData }
                head = parsed
                body = []
                if let length = parsed.contentLength {
                    state = .body(remaining: length)
                } else if parsed.chunked {
                    state = .chunkSize
                } else {
                    return .request(finish())
                }
                if parsed.expectsContinue && parsed.contentLength != 0 && position == buffer.count { return .continueExpected }
            case .body(let remaining):
                let missing = takeBody(remaining)
                guard missing == 0 else {
                    state = .body(remaining: missing)
                    return .needMoreData
                }
                return .request(finish())
            case .chunkSize:
                guard let line = try readLine(limit: 1024, what: "chunk size line") else { return .needMoreData }
                let size = try chunkSize(line)
                if size == 0 {
                    state = .trailers(bytes: 0)
                } else {
                    let (total, overflow) = body.count.addingReportingOverflow(size)
                    guard !overflow, total <= limits.maximumBodyBytes else {
                        throw .tooLarge("the chunked request body is over the limit of \(limits.maximumBodyBytes) bytes")
                    }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let missing = takeBody(remaining)
                guard missing == 0 else {
                    state = .chunkData(remaining: missing)
                    return .needMoreData
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard position < buffer.count else { return .needMoreData }
                if buffer[position] == 0x0A {
                    position += 1
                } else if buffer[position] == 0x0D {
                    guard position + 1 < buffer.count else { return .needMoreData }
                    guard buffer[position + 1] == 0x0A else { throw .badRequest("chunk data is not followed by CRLF (the chunk is longer than its size says)") }
                    position += 2
                } else {
                    throw .badRequest("chunk data is not followed by CRLF (the chunk is longer than its size says)")
                }
                state = .chunkSize
            case .trailers(let bytes):
                let before = position
                guard let line = try readLine(limit: limits.maximumHeaderBytes, what: "trailer field") else { return .needMoreData }
                let total = bytes + (position - before)
                guard total <= limits.maximumHeaderBytes else {
                    throw .headersTooLarge("the chunked body's trailer fields are over the limit of \(limits.maximumHeaderBytes) bytes")
                }
                if line.isEmpty { return .request(finish()) }
                state = .trailers(bytes: total)
            }
        }
    }

    /// Moves up to `remaining` buffered bytes into the body; returns how many are still missing.
    private mutating func takeBody(_ remaining: Int) -> Int {
        let n = min(remaining, buffer.count - position)
        body.append(contentsOf: buffer[position..<(position + n)])
        position += n
        return remaining - n
    }

    private mutating func finish() -> HTTPRequest {
        let h = head!
        let request = HTTPRequest(method: h.method, target: h.target, minorVersion: h.minorVersion, headers: h.headers, body: body)
        body = []
        head = nil
        state = .head
        return request
    }

    /// One line ending in LF (an optional CR before it is dropped), or `nil` when it has not all arrived.
    private mutating func readLine(limit: Int, what: String) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        guard let lf = buffer[position...].firstIndex(of: 0x0A) else {
            if buffer.count - position > limit { throw .badRequest("the \(what) is longer than \(limit) bytes") }
            return nil
        }
        var end = lf
        if end > position && buffer[end - 1] == 0x0D { end -= 1 }
        let line = buffer[position..<end]
        position = lf + 1
        return line
    }

    private func chunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        let digits = line.prefix { $0 != 0x3B && $0 != 0x20 && $0 != 0x09 }
        guard !digits.isEmpty else { throw .badRequest("a chunk size line is empty; it must start with the chunk's size in hex") }
        var size = 0
        for c in digits {
            guard let v = HTTPRequestHead.hexValue(c) else {
                throw .badRequest("invalid chunk size '\(HTTPRequestHead.printable(line))': not a hexadecimal number")
            }
            let (shifted, o1) = size.multipliedReportingOverflow(by: 16)
            let (sum, o2) = shifted.addingReportingOverflow(Int(v))
            guard !o1, !o2, sum <= limits.maximumBodyBytes else {
                throw .tooLarge("a chunk of size 0x\(HTTPRequestHead.printable(digits)) is over the body limit of \(limits.maximumBodyBytes) bytes")
            }
            size = sum
        }
        return size
    }

    /// Finds the end of the head (an empty line) and parses it, or returns `nil` when it has not all arrived.
    private mutating func readHead() throws(HTTPParseError) -> HTTPRequestHead? {
        let (start, end) = buffer.withUnsafeBufferPointer { Self.headBounds($0, position: position, scanned: scanned) }
        position = start
        guard let end else {
            scanned = buffer.count
            guard buffer.count - position <= limits.maximumHeaderBytes else { throw headTooLarge() }
            return nil
        }
        guard end + 1 - position <= limits.maximumHeaderBytes else { throw headTooLarge() }
        let limits = self.limits
        position = end + 1
        scanned = position
        return try buffer.withUnsafeBufferPointer { p throws(HTTPParseError) in
            try HTTPRequestHead(parsing: UnsafeBufferPointer(rebasing: p[start...end]), limits: limits)
        }
    }

    /// Where the head starts (after the CR and LF bytes before it) and the index of the LF that
    /// ends its empty line, if it has arrived; LFs before `scanned` were looked at already.
    private static func headBounds(_ p: UnsafeBufferPointer<UInt8>, position: Int, scanned: Int) -> (start: Int, end: Int?) {
        var start = position
        while start < p.count, p[start] == 0x0D || p[start] == 0x0A { start += 1 }
        guard let base = p.baseAddress else { return (start, nil) }
        var i = max(scanned, start)
        while i < p.count, let found = memchr(base + i, 0x0A, p.count - i) {
            let lf = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            let emptyLF = lf > start && p[lf - 1] == 0x0A
            let emptyCRLF = lf > start + 1 && p[lf - 1] == 0x0D && p[lf - 2] == 0x0A
            if emptyLF || emptyCRLF { return (start, lf) }
            i = lf + 1
        }
        return (start, nil)
    }

    private func headTooLarge() -> HTTPParseError {
        .headersTooLarge("the request line and header fields are over the limit of \(limits.maximumHeaderBytes) bytes")
    }
}
