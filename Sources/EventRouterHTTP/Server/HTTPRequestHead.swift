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

    init(parsing bytes: ArraySlice<UInt8>, limits: HTTPParserLimits) throws(HTTPParseError) {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        for i in bytes.indices where bytes[i] == 0x0A {
            var end = i
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            lines.append(bytes[start..<end])
            start = i + 1
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let requestLine = lines.first else { throw .badRequest("the request has no request line") }
        (method, target, minorVersion) = try Self.parseRequestLine(requestLine)
        guard lines.count - 1 <= limits.maximumHeaderCount else {
            throw .headersTooLarge("the request has \(lines.count - 1) header fields; at most \(limits.maximumHeaderCount) are allowed")
        }
        headers = HTTPHeaders()
        for (n, line) in lines.dropFirst().enumerated() {
            let (name, value) = try Self.parseField(line, number: n + 1)
            headers.add(name, value)
        }
        do {
            try checkFraming(limits: limits)
        } catch {
            var answered = error
            answered.contentType = headers["Content-Type"]  // answered in the request's protocol
            throw answered
        }
    }

    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String, Int) {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .badRequest("malformed request line '\(printable(line))': expected METHOD TARGET HTTP/1.1, separated by single spaces")
        }
        guard parts[0].allSatisfy(isTokenByte) else {
            throw .badRequest("malformed request line '\(printable(line))': the method '\(printable(parts[0]))' is not a token")
        }
        let target = parts[1]
        try checkTarget(target)
        let version = parts[2]
        let minor: Int
        if version.elementsEqual("HTTP/1.1".utf8) {
            minor = 1
        } else if version.elementsEqual("HTTP/1.0".utf8) {
            minor = 0
        } else if version.count == 8, version.starts(with: "HTTP/".utf8) {
            throw HTTPParseError(status: 505, code: "HTTPVersionNotSupported",
                                 message: "\(printable(version)) is not supported; send HTTP/1.1 or HTTP/1.0")
        } else {
            throw .badRequest("malformed request line '\(printable(line))': '\(printable(version))' is not an HTTP version (expected HTTP/1.1)")
        }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: target, as: UTF8.self), minor)
    }

    /// A target must be origin-form (`/…`), absolute-form (`http://…`) or `*`, with no control
    /// characters and every `%` followed by two hex digits.
    private static func checkTarget(_ target: ArraySlice<UInt8>) throws(HTTPParseError) {
        guard target.first == 0x2F || target.elementsEqual("*".utf8)
            || target.starts(with: "http://".utf8) || target.starts(with: "https://".utf8) else {
            throw .badRequest("the request target '\(printable(target))' must start with '/'")
        }
        var i = target.startIndex
        while i < target.endIndex {
            let c = target[i]
            if c < 0x21 || c == 0x7F {
                throw .badRequest("the request target has a control character (byte \(c)) at offset \(i - target.startIndex)")
            }
            if c == 0x25 {
                guard i + 2 < target.endIndex, hexValue(target[i + 1]) != nil, hexValue(target[i + 2]) != nil else {
                    let bad = target[i..<min(i + 3, target.endIndex)]
                    throw .badRequest("invalid percent-encoding '\(printable(bad))' at offset \(i - target.startIndex) of the request target: '%' must be followed by two hex digits")
                }
                i += 2
            }
            i += 1
        }
    }

    private static func parseField(_ line: ArraySlice<UInt8>, number: Int) throws(HTTPParseError) -> (String, String) {
        if let first = line.first, first == 0x20 || first == 0x09 {
            throw .badRequest("header line \(number) starts with whitespace (obsolete line folding is not accepted); put each field on one line")
        }
        guard let colon = line.firstIndex(of: 0x3A) else {
            throw .badRequest("header line \(number) ('\(printable(line))') has no colon; write it as Name: value")
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw .badRequest("header line \(number) has an invalid field name '\(printable(name))' (no spaces or separators before the colon)")
        }
        var value = line[(colon + 1)...]
        while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
        while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
        if let bad = value.first(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            throw .badRequest("header field '\(printable(name))' has a control character (byte \(bad)) in its value")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    private mutating func checkFraming(limits: HTTPParserLimits) throws(HTTPParseError) {
        if minorVersion == 1 && headers.values("Host").isEmpty {
            throw .badRequest("an HTTP/1.1 request needs a Host header field")
        }
        let encodings = headers.values("Transfer-Encoding")
        let lengths = headers.values("Content-Length")
        if !encodings.isEmpty {
            guard lengths.isEmpty else {
                throw .badRequest("the request has both Content-Length and Transfer-Encoding; send only one of them")
            }
            let codings = encodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() }
            guard codings == ["chunked"] else {
                throw HTTPParseError(status: 501, code: "NotImplemented",
                                     message: "Transfer-Encoding '\(encodings.joined(separator: ", "))' is not supported; send the body with Content-Length or Transfer-Encoding: chunked")
            }
            chunked = true
        } else if !lengths.isEmpty {
            // One field with one value (every client) needs no set of the listed values.
            let values = lengths.count == 1 && !lengths[0].utf8.contains(0x2C) ? [lengths[0].trimmingSpaces]
                : Array(Set(lengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingSpaces }))
            guard values.count == 1, let text = values.first else {
                throw .badRequest("the request has conflicting Content-Length values (\(lengths.joined(separator: ", ")))")
            }
            guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(text) else {
                throw .badRequest("Content-Length '\(text)' is not a whole number of bytes")
            }
            guard length <= limits.maximumBodyBytes else {
                throw .tooLarge("the request body of \(length) bytes is over the limit of \(limits.maximumBodyBytes) bytes")
            }
            contentLength = length
        }
        if let expect = headers["Expect"] {
            guard expect.trimmingSpaces.lowercased() == "100-continue" else {
                throw HTTPParseError(status: 417, code: "ExpectationFailed", message: "Expect '\(expect)' is not supported; only Expect: 100-continue is")
            }
            expectsContinue = true
        }
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    private static func isTokenByte(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: "!#$%&'*+-.^_`|~".utf8.contains(c)
        }
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
