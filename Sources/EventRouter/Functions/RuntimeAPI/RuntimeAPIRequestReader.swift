/// One HTTP/1.1 request a bootstrap sent to its Runtime API.
struct RuntimeAPIRequest: Sendable, Equatable {
    var method: String
    var path: String
    /// Header names lower-cased, in order.
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// The body passed ``RuntimeAPIRequestReader/bodyLimit`` (`body` is then empty and the rest was read and dropped).
    var bodyTooLarge = false
    /// The client asked to close the connection after the reply (or spoke HTTP/1.0).
    var closes = false

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body && lhs.bodyTooLarge == rhs.bodyTooLarge
            && lhs.closes == rhs.closes && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

/// An incremental reader of HTTP/1.1 requests on one connection (keep-alive, pipelining,
/// `Content-Length` and `chunked` bodies), small on purpose: a bootstrap is a local, trusted
/// but possibly buggy client. A body over ``bodyLimit`` is read and dropped, not kept.
struct RuntimeAPIRequestReader {
    /// Why a connection's bytes are not HTTP.
    struct Malformed: Error, Equatable { var reason: String }

    /// The largest request head (request line and headers).
    static let headLimit = 65_536
    /// The largest body kept.
    let bodyLimit: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var partial: RuntimeAPIRequest?
    private var remaining = 0
    private var chunked = false
    private var inChunk = false

    init(bodyLimit: Int) { self.bodyLimit = bodyLimit }

    mutating func feed(_ bytes: ArraySlice<UInt8>) {
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        } else if position > 65_536 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, `nil` when more bytes are needed.
    mutating func next() throws(Malformed) -> RuntimeAPIRequest? {
        if partial == nil {
            guard let end = find([0x0D, 0x0A, 0x0D, 0x0A], from: position) else {
                if buffer.count - position > Self.headLimit { throw Malformed(reason: "the request head is longer than \(Self.headLimit) bytes") }
                return nil
            }
            let head = String(decoding: buffer[position..<end], as: UTF8.self)
            position = end + 4
            try start(head)
        }
        return try readBody()
    }

    private mutating func start(_ head: String) throws(Malformed) {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            throw Malformed(reason: "the request line is not 'METHOD PATH HTTP/1.1': \(String(lines.first ?? "").prefix(100))")
        }
        var request = RuntimeAPIRequest(method: String(parts[0]), path: String(parts[1]), headers: [], body: [])
        request.closes = parts[2] == "HTTP/1.0"
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw Malformed(reason: "a header line has no ':': \(line.prefix(100))") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace
            request.headers.append((name, value))
        }
        if let connection = request.header("connection")?.lowercased() {
            if connection == "close" { request.closes = true } else if connection == "keep-alive" { request.closes = false }
        }
        chunked = request.header("transfer-encoding")?.lowercased().contains("chunked") == true
        inChunk = false
        remaining = 0
        if !chunked, let length = request.header("content-length") {
            guard let n = Int(length), n >= 0 else { throw Malformed(reason: "Content-Length '\(length)' is not a byte count") }
            remaining = n
        }
        partial = request
    }

    private mutating func take(_ count: Int) {
        guard var request = partial else { return }
        if !request.bodyTooLarge {
            if request.body.count + count > bodyLimit {
                request.bodyTooLarge = true
                request.body = []
            } else {
                request.body.append(contentsOf: buffer[position..<position + count])
            }
        }
        partial = request
        position += count
    }

    private mutating func readBody() throws(Malformed) -> RuntimeAPIRequest? {
        while true {
            if !chunked || inChunk {
                let n = min(remaining, buffer.count - position)
                take(n)
                remaining -= n
                if remaining > 0 { return nil }
                if !chunked { return finish() }
                // The CRLF after a chunk's data.
                guard buffer.count - position >= 2 else { return nil }
                position += 2
                inChunk = false
            }
            guard let end = find([0x0D, 0x0A], from: position) else {
                if buffer.count - position > 1024 { throw Malformed(reason: "a chunk-size line is too long") }
                return nil
            }
            let line = String(decoding: buffer[position..<end], as: UTF8.self)
            let sizeText = line.split(separator: ";").first.map { String($0).trimmingWhitespace } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw Malformed(reason: "'\(line.prefix(40))' is not a chunk size") }
            if size == 0 {
                // Trailers end with an empty line.
                guard let trailerEnd = find([0x0D, 0x0A], from: end + 2) else { return nil }
                if trailerEnd == end + 2 {
                    position = trailerEnd + 2
                    return finish()
                }
                guard let blank = find([0x0D, 0x0A, 0x0D, 0x0A], from: end) else { return nil }
                position = blank + 4
                return finish()
            }
            position = end + 2
            remaining = size
            inChunk = true
        }
    }

    private mutating func finish() -> RuntimeAPIRequest? {
        defer { partial = nil }
        return partial
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count - start >= needle.count else { return nil }
        var i = start
        let last = buffer.count - needle.count
        while i <= last {
            if buffer[i] == needle[0] {
                var j = 1
                while j < needle.count && buffer[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
