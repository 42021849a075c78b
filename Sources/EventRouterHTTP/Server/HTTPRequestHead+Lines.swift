extension HTTPRequestHead {
    /// The head parsed line by line: the path for what ``scan(_:maximumFieldCount:)`` leaves,
    /// which says precisely what is wrong with a malformed head.
    static func parseLines(_ head: UnsafeBufferPointer<UInt8>, limits: HTTPParserLimits) throws(HTTPParseError) -> Parts {
        let bytes = Array(head)[...]
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
        let (method, target, minorVersion) = try parseRequestLine(requestLine)
        guard lines.count - 1 <= limits.maximumHeaderCount else {
            throw .headersTooLarge("the request has \(lines.count - 1) header fields; at most \(limits.maximumHeaderCount) are allowed")
        }
        var headers = HTTPHeaders()
        for (n, line) in lines.dropFirst().enumerated() {
            let (name, value) = try parseField(line, number: n + 1)
            headers.add(name, value)
        }
        return (method, target, minorVersion, headers)
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
}
