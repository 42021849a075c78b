extension YAMLParser {
    /// A plain scalar used as a block mapping key: one line, up to `: `.
    mutating func parsePlainKey() throws(YAMLError) -> YAMLNode {
        let start = i
        while !atEnd && !Self.isBreak(byte()) {
            if byte() == UInt8(ascii: ":") && isSeparator(1) { break }
            i += 1
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self).trimmingSpaces
        return node(.scalar(text, .plain), tag: nil, at: start)
    }

    /// A plain scalar; in block context it may continue on lines indented more than `parentIndent`.
    mutating func parsePlain(parentIndent: Int, flow: Bool) throws(YAMLError) -> YAMLNode {
        let start = i
        var text = readPlainLine(flow: flow)
        while true {
            // Look past line breaks for a continuation line.
            let save = i
            skipSpaces()
            guard !atEnd, Self.isBreak(byte()) else { i = save; break }
            var empties = 0
            var k = i
            var continuation: Int?
            while k < bytes.count {
                if bytes[k] == 13 { k += 1 }
                if k < bytes.count && bytes[k] == 10 { k += 1 }
                let lineStart = k
                while k < bytes.count && Self.isBlank(bytes[k]) { k += 1 }
                if k >= bytes.count { break }
                if Self.isBreak(bytes[k]) { empties += 1; continue }
                let indent = k - lineStart
                if bytes[k] == UInt8(ascii: "#") { break }
                if !flow && indent <= parentIndent { break }
                i = k
                if atDocumentMarker() { break }
                if flow && (Self.isFlowIndicator(bytes[k]) || (bytes[k] == UInt8(ascii: ":") && (k + 1 >= bytes.count || Self.isBlank(bytes[k + 1]) || Self.isBreak(bytes[k + 1]) || Self.isFlowIndicator(bytes[k + 1])))) { break }
                if !flow && bytes[k] == UInt8(ascii: "-") && k + 1 < bytes.count && (Self.isBlank(bytes[k + 1]) || Self.isBreak(bytes[k + 1])) && indent <= parentIndent + 1 {
                    break
                }
                if !flow && looksLikeMappingKey() { break }
                continuation = k
                break
            }
            guard let next = continuation else { i = save; break }
            i = next
            let more = readPlainLine(flow: flow)
            if more.isEmpty { i = save; break }
            text += empties == 0 ? " " : String(repeating: "\n", count: empties)
            text += more
        }
        return node(.scalar(text, .plain), tag: nil, at: start)
    }

    /// The rest of a plain scalar on this line, trailing blanks removed; stops at `: `, ` #`
    /// (and in flow context at `,[]{}` and `:` before one of them).
    mutating func readPlainLine(flow: Bool) -> String {
        let start = i
        var end = i
        while !atEnd && !Self.isBreak(byte()) {
            let b = byte()
            if b == UInt8(ascii: ":") {
                let n = byte(1)
                if n == 0 || Self.isBlank(n) || Self.isBreak(n) || (flow && Self.isFlowIndicator(n)) { break }
            }
            if b == UInt8(ascii: "#") && i > start && Self.isBlank(bytes[i - 1]) { break }
            if flow && Self.isFlowIndicator(b) { break }
            i += 1
            if !Self.isBlank(b) { end = i }
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        i = end
        return text
    }

    /// Folds the line breaks of a quoted scalar at `i` (a break): one break is a space,
    /// n+1 breaks are n newlines; leading blanks of the next line go.
    mutating func foldQuotedBreak(into out: inout [UInt8], trimFrom floor: Int) throws(YAMLError) {
        while out.count > floor, let last = out.last, Self.isBlank(last) { out.removeLast() }
        skipBreak()
        var empties = 0
        while true {
            skipSpaces()
            if !atEnd && Self.isBreak(byte()) { empties += 1; skipBreak(); continue }
            break
        }
        if atDocumentMarker() { throw error("a document marker inside a quoted scalar; close the quote first") }
        if empties == 0 { out.append(32) } else { out.append(contentsOf: Array(repeating: 10, count: empties)) }
    }

    mutating func parseSingleQuoted() throws(YAMLError) -> YAMLNode {
        let start = i
        i += 1
        var out: [UInt8] = []
        var floor = 0
        while true {
            guard !atEnd else { throw error("unterminated single-quoted scalar; add the closing '", at: start) }
            let b = byte()
            if b == UInt8(ascii: "'") {
                if byte(1) == UInt8(ascii: "'") { out.append(b); i += 2; floor = out.count; continue }
                i += 1
                break
            }
            if Self.isBreak(b) { try foldQuotedBreak(into: &out, trimFrom: floor); floor = out.count; continue }
            out.append(b)
            i += 1
        }
        try count(1)
        return node(.scalar(String(decoding: out, as: UTF8.self), .singleQuoted), tag: nil, at: start)
    }

    /// The value of the `digits` hexadecimal digits at `offset` (digits only: no sign), or nil.
    func hexValue(at offset: Int, digits: Int) -> UInt32? {
        guard offset >= 0, offset + digits <= bytes.count else { return nil }
        var value: UInt32 = 0
        for b in bytes[offset..<(offset + digits)] {
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    mutating func parseDoubleQuoted() throws(YAMLError) -> YAMLNode {
        let start = i
        i += 1
        var out: [UInt8] = []
        var floor = 0
        while true {
            guard !atEnd else { throw error("unterminated double-quoted scalar; add the closing \"", at: start) }
            let b = byte()
            if b == UInt8(ascii: "\"") { i += 1; break }
            if Self.isBreak(b) { try foldQuotedBreak(into: &out, trimFrom: floor); floor = out.count; continue }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            let escapeStart = i
            i += 1
            let e = byte()
            i += 1
            switch e {
            case UInt8(ascii: "0"): out.append(0)
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "t"), 9: out.append(9)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "e"): out.append(27)
            case 32, UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "\\"): out.append(e)
            case UInt8(ascii: "N"): out.append(contentsOf: Array("\u{85}".utf8))
            case UInt8(ascii: "_"): out.append(contentsOf: Array("\u{A0}".utf8))
            case UInt8(ascii: "L"): out.append(contentsOf: Array("\u{2028}".utf8))
            case UInt8(ascii: "P"): out.append(contentsOf: Array("\u{2029}".utf8))
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                var code = hexValue(at: i, digits: digits)
                if let high = code, e == UInt8(ascii: "u"), (0xD800...0xDBFF).contains(high) {
                    // A UTF-16 surrogate pair, as JSON writes characters beyond the BMP: one scalar.
                    guard byte(digits) == UInt8(ascii: "\\"), byte(digits + 1) == UInt8(ascii: "u"),
                          let low = hexValue(at: i + digits + 2, digits: 4), (0xDC00...0xDFFF).contains(low) else {
                        throw error("escape \\u\(String(high, radix: 16, uppercase: true)) is the first half of a UTF-16 surrogate pair with no \\uDC00…\\uDFFF after it; write the pair or the character itself", at: escapeStart)
                    }
                    code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    i += digits + 2
                }
                guard let code, let scalar = Unicode.Scalar(code)
                else { throw error("escape \\\(Character(Unicode.Scalar(e))) needs \(digits) hexadecimal digits naming a Unicode scalar", at: escapeStart) }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                i += digits
            case 10, 13:
                i -= 1
                skipBreak()
                skipSpaces()
                while !atEnd && Self.isBreak(byte()) { out.append(10); skipBreak(); skipSpaces() }
            default:
                throw error("unknown escape '\\\(e == 0 ? "" : String(Character(Unicode.Scalar(e))))' in a double-quoted scalar; write \\\\ for a backslash", at: escapeStart)
            }
            floor = out.count
        }
        try count(1)
        return node(.scalar(String(decoding: out, as: UTF8.self), .doubleQuoted), tag: nil, at: start)
    }

    /// A literal (`|`) or folded (`>`) block scalar with optional indentation and chomping indicators.
    mutating func parseBlockScalar(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        let start = i
        let literal = byte() == UInt8(ascii: "|")
        i += 1
        var chomp: UInt8 = 0
        var explicitIndent: Int?
        for _ in 0..<2 {
            let b = byte()
            if (b == UInt8(ascii: "-") || b == UInt8(ascii: "+")) && chomp == 0 { chomp = b; i += 1 }
            else if b >= UInt8(ascii: "1") && b <= UInt8(ascii: "9") && explicitIndent == nil { explicitIndent = Int(b - 48); i += 1 }
        }
        guard restOfLineIsEmpty() else {
            throw error("a block scalar header is '|' or '>' with an optional indentation digit and '-' or '+', then the end of the line")
        }
        skipSpaces()
        if byte() == UInt8(ascii: "#") && (i == 0 || Self.isBlank(bytes[i - 1])) { skipComment() }
        else if byte() == UInt8(ascii: "#") { throw error("a comment needs a space before '#'") }
        skipBreak()
        let base = max(parentIndent, 0)
        var contentIndent = explicitIndent.map { base + $0 }
        var lines: [[UInt8]] = []
        var maxEmptyIndent = 0
        while !atEnd {
            let lineStart = i
            var k = i
            while k < bytes.count && bytes[k] == 32 { k += 1 }
            let indent = k - lineStart
            let isEmpty = k >= bytes.count || Self.isBreak(bytes[k])
            if isEmpty {
                if let ci = contentIndent, indent > ci { lines.append(Array(bytes[(lineStart + ci)..<k])) }
                else { lines.append([]); maxEmptyIndent = max(maxEmptyIndent, indent) }
                i = k
                skipBreak()
                continue
            }
            if contentIndent == nil {
                if indent <= parentIndent { break }
                if maxEmptyIndent > indent { throw error("a leading empty line of this block scalar has more spaces than its first text line", at: lineStart) }
                contentIndent = indent
            }
            guard let ci = contentIndent, indent >= ci else { break }
            if indent == 0 {
                let saved = i
                i = lineStart
                let marker = atDocumentMarker()
                i = saved
                if marker { break }
            }
            var end = k
            while end < bytes.count && !Self.isBreak(bytes[end]) { end += 1 }
            lines.append(Array(bytes[(lineStart + ci)..<end]))
            i = end
            skipBreak()
        }
        var trailing = 0
        while let last = lines.last, last.isEmpty { lines.removeLast(); trailing += 1 }
        var out: [UInt8] = []
        if literal {
            for (n, line) in lines.enumerated() {
                if n > 0 { out.append(10) }
                out.append(contentsOf: line)
            }
        } else {
            var pendingEmpty = 0
            var first = true
            var previousMoreIndented = false
            for line in lines {
                if line.isEmpty { pendingEmpty += 1; continue }
                let moreIndented = line.first == 32 || line.first == 9
                if first {
                    out.append(contentsOf: Array(repeating: 10, count: pendingEmpty))
                    first = false
                } else if moreIndented || previousMoreIndented {
                    out.append(contentsOf: Array(repeating: 10, count: pendingEmpty + 1))
                } else if pendingEmpty == 0 {
                    out.append(32)
                } else {
                    out.append(contentsOf: Array(repeating: 10, count: pendingEmpty))
                }
                out.append(contentsOf: line)
                pendingEmpty = 0
                previousMoreIndented = moreIndented
            }
            if first { trailing += pendingEmpty }
        }
        let hasContent = !lines.isEmpty
        switch chomp {
        case UInt8(ascii: "-"): break
        case UInt8(ascii: "+"):
            if hasContent { out.append(10) }
            out.append(contentsOf: Array(repeating: 10, count: trailing))
        default:
            if hasContent { out.append(10) }
        }
        try count(1)
        return node(.scalar(String(decoding: out, as: UTF8.self), literal ? .literal : .folded), tag: nil, at: start)
    }
}
