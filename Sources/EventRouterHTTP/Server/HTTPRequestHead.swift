#if canImport(Glibc)
import Glibc
#endif
import EventRouter

/// The request line and header fields of a request, checked: how its body is framed, whether it
/// expects `100 Continue`.
public struct HTTPRequestHead: Sendable {
    /// The method as sent.
    public var method: String
    /// The request target as sent.
    public var target: String
    /// 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body length from `Content-Length`, if given.
    var contentLength: Int?
    /// Whether the body is chunked.
    var chunked = false
    /// Whether the client waits for `100 Continue` before sending the body.
    var expectsContinue = false

    /// What a head's request line and fields say: method, target, minor version, fields.
    typealias Parts = (method: String, target: String, minorVersion: Int, headers: HTTPHeaders)

    /// Parses a whole head: the request line, the header fields and the empty line ending them.
    /// A well-formed head takes one pass (``scan(_:maximumFieldCount:)``); anything else is
    /// parsed line by line (``parseLines(_:limits:)``), which gives the precise error.
    init(parsing head: UnsafeBufferPointer<UInt8>, limits: HTTPParserLimits) throws(HTTPParseError) {
        if let parts = Self.scan(head, maximumFieldCount: limits.maximumHeaderCount) {
            (method, target, minorVersion, headers) = parts
        } else {
            (method, target, minorVersion, headers) = try Self.parseLines(head, limits: limits)
        }
        do {
            try checkFraming(limits: limits)
        } catch {
            var answered = error
            answered.contentType = headers["Content-Type"]  // answered in the request's protocol
            throw answered
        }
    }

    /// One pass over a well-formed head: a token method, an origin-form target (`/…`) without
    /// control characters or broken `%`-escapes, `HTTP/1.1` or `HTTP/1.0`, at most
    /// `maximumFieldCount` fields `Name: value` with token names and no control characters in
    /// the values, and the empty line, each line ending in LF or CRLF. `nil` for anything else
    /// (an error, or a rarer form such as an absolute-form target), which
    /// ``parseLines(_:limits:)`` parses or rejects; where this accepts, the two agree.
    static func scan(_ buffer: UnsafeBufferPointer<UInt8>, maximumFieldCount: Int) -> Parts? {
        guard let p = buffer.baseAddress else { return nil }
        let n = buffer.count
        // The request line: METHOD SP /target SP HTTP/1.x
        guard var lineEnd = lineEnd(p, from: 0, count: n) else { return nil }
        var i = 0
        while i < lineEnd, isTokenByte(p[i]) { i += 1 }
        guard i > 0, i < lineEnd, p[i] == 0x20 else { return nil }
        let method = string(p, 0, i)
        i += 1
        let targetStart = i
        guard i < lineEnd, p[i] == 0x2F else { return nil }
        while i < lineEnd, p[i] != 0x20 {
            let c = p[i]
            if c < 0x21 || c == 0x7F { return nil }
            if c == 0x25 {
                guard i + 2 < lineEnd, hexValue(p[i + 1]) != nil, hexValue(p[i + 2]) != nil else { return nil }
                i += 2
            }
            i += 1
        }
        guard i < lineEnd else { return nil }
        let target = string(p, targetStart, i)
        i += 1
        guard lineEnd - i == 8, p[i] == 0x48, p[i + 1] == 0x54, p[i + 2] == 0x54, p[i + 3] == 0x50, p[i + 4] == 0x2F,
              p[i + 5] == 0x31, p[i + 6] == 0x2E, p[i + 7] == 0x31 || p[i + 7] == 0x30 else { return nil }
        let minor = p[i + 7] == 0x31 ? 1 : 0
        // The fields, one a line, up to the empty line that ends the head.
        var headers = HTTPHeaders(reservingCapacity: 16)
        var count = 0
        while true {
            let start = nextLine(p, after: lineEnd)
            guard let end = Self.lineEnd(p, from: start, count: n) else { return nil }
            lineEnd = end
            if start == end { return nextLine(p, after: end) == n ? (method, target, minor, headers) : nil }
            guard let colon = memchr(p + start, 0x3A, end - start) else { return nil }
            let nameEnd = UnsafePointer<UInt8>(colon.assumingMemoryBound(to: UInt8.self)) - p
            guard nameEnd > start else { return nil }
            // A name every client sends needs no check and no new String.
            let name: String
            if let known = HTTPFieldNames.known(p + start, count: nameEnd - start) {
                name = known
            } else {
                for k in start..<nameEnd where !isTokenByte(p[k]) { return nil }
                name = string(p, start, nameEnd)
            }
            i = nameEnd + 1
            var valueEnd = end
            while i < valueEnd, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
            while valueEnd > i, p[valueEnd - 1] == 0x20 || p[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            guard hasNoControlByte(p, from: i, to: valueEnd) else { return nil }
            count += 1
            guard count <= maximumFieldCount else { return nil }
            headers.add(name, string(p, i, valueEnd))
        }
    }

    /// Where the line starting at `start` ends: its LF, or the CR just before that LF.
    @inline(__always)
    private static func lineEnd(_ p: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int? {
        guard start < count, let found = memchr(p + start, 0x0A, count - start) else { return nil }
        let lf = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - p
        return lf > start && p[lf - 1] == 0x0D ? lf - 1 : lf
    }

    /// Where the line after the one ending (``lineEnd(_:from:count:)``) at `end` starts.
    @inline(__always)
    private static func nextLine(_ p: UnsafePointer<UInt8>, after end: Int) -> Int {
        p[end] == 0x0D ? end + 2 : end + 1
    }

    /// Whether `start..<end` holds no control byte but tab: eight bytes at a time, each word
    /// with a byte below 0x20 or equal to 0x7F looked at byte by byte.
    @inline(__always)
    private static func hasNoControlByte(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var q = p + start
        let last = p + end
        while last - q >= 8 {
            let word = UnsafeRawPointer(q).loadUnaligned(as: UInt64.self)
            let below = (word &- 0x2020_2020_2020_2020) & ~word
            let delete = word ^ 0x7F7F_7F7F_7F7F_7F7F
            if (below | (delete &- 0x0101_0101_0101_0101) & ~delete) & 0x8080_8080_8080_8080 != 0 {
                for j in 0..<8 where isControlByte(q[j]) { return false }
            }
            q += 8
        }
        while q < last {
            if isControlByte(q.pointee) { return false }
            q += 1
        }
        return true
    }

    @inline(__always)
    private static func isControlByte(_ c: UInt8) -> Bool { (c < 0x20 && c != 0x09) || c == 0x7F }

    @inline(__always)
    private static func string(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self)
    }

    private mutating func checkFraming(limits: HTTPParserLimits) throws(HTTPParseError) {
        // One pass over the fields for the four names framing depends on (lengths first).
        var host = false, encoding = false, lengthCount = 0
        var firstLength: String?, expectation: String?
        for field in headers.fields {
            switch field.name.utf8.count {
            case 4: host = host || HTTPHeaders.sameName(field.name, "Host")
            case 6: if expectation == nil && HTTPHeaders.sameName(field.name, "Expect") { expectation = field.value }
            case 14:
                if HTTPHeaders.sameName(field.name, "Content-Length") {
                    lengthCount += 1
                    if firstLength == nil { firstLength = field.value }
                }
            case 17: encoding = encoding || HTTPHeaders.sameName(field.name, "Transfer-Encoding")
            default: break
            }
        }
        if minorVersion == 1 && !host {
            throw .badRequest("an HTTP/1.1 request needs a Host header field")
        }
        if encoding {
            let encodings = headers.values("Transfer-Encoding")
            guard lengthCount == 0 else {
                throw .badRequest("the request has both Content-Length and Transfer-Encoding; send only one of them")
            }
            let codings = encodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() }
            guard codings == ["chunked"] else {
                throw HTTPParseError(status: 501, code: "NotImplemented",
                                     message: "Transfer-Encoding '\(encodings.joined(separator: ", "))' is not supported; send the body with Content-Length or Transfer-Encoding: chunked")
            }
            chunked = true
        } else if let firstLength {
            let length: Int
            if lengthCount == 1, let plain = Self.plainDecimal(firstLength) {
                length = plain  // one field, one value: every client
            } else {
                length = try Self.contentLength(headers.values("Content-Length"))
            }
            guard length <= limits.maximumBodyBytes else {
                throw .tooLarge("the request body of \(length) bytes is over the limit of \(limits.maximumBodyBytes) bytes")
            }
            contentLength = length
        }
        if let expectation {
            guard expectation.trimmingSpaces.lowercased() == "100-continue" else {
                throw HTTPParseError(status: 417, code: "ExpectationFailed", message: "Expect '\(expectation)' is not supported; only Expect: 100-continue is")
            }
            expectsContinue = true
        }
    }

    /// The one length that the `Content-Length` fields `lengths` (comma-separated lists, a value
    /// may repeat) give, or the error saying why there is none.
    private static func contentLength(_ lengths: [String]) throws(HTTPParseError) -> Int {
        let values = lengths.count == 1 && !lengths[0].utf8.contains(0x2C) ? [lengths[0].trimmingSpaces]
            : Array(Set(lengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingSpaces }))
        guard values.count == 1, let text = values.first else {
            throw .badRequest("the request has conflicting Content-Length values (\(lengths.joined(separator: ", ")))")
        }
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(text) else {
            throw .badRequest("Content-Length '\(text)' is not a whole number of bytes")
        }
        return length
    }

    /// The number `value` holds when it is 1 to 18 decimal digits between optional spaces and
    /// tabs (no overflow is possible), else `nil`.
    static func plainDecimal(_ value: String) -> Int? {
        var number = 0, digits = 0, trailing = false
        for c in value.utf8 {
            if c == 0x20 || c == 0x09 {
                if digits > 0 { trailing = true }
            } else if c >= 0x30 && c <= 0x39 && !trailing && digits < 18 {
                number = number &* 10 &+ Int(c &- 0x30)
                digits += 1
            } else {
                return nil
            }
        }
        return digits > 0 ? number : nil
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    /// Whether `c` may be in a method or field name (an RFC 9110 `tchar`: a letter, a digit or
    /// one of ``!#$%&'*+-.^_`|~``), from a 128-bit mask.
    @inline(__always)
    static func isTokenByte(_ c: UInt8) -> Bool {
        c < 64 ? (0x03FF_6CFA_0000_0000 as UInt64) &>> UInt64(c) & 1 != 0
            : c < 128 && (0x57FF_FFFF_C7FF_FFFE as UInt64) &>> UInt64(c - 64) & 1 != 0
    }

    /// `bytes` as text for an error message: at most 80 bytes, control bytes as `\xNN`.
    static func printable(_ bytes: some Collection<UInt8>) -> String {
        var out = ""
        for c in bytes.prefix(80) {
            if c >= 0x20 && c < 0x7F { out.unicodeScalars.append(Unicode.Scalar(c)) } else { out += "\\x" + Hex.encode([c], uppercase: true) }
        }
        return bytes.count > 80 ? out + "…" : out
    }
}
