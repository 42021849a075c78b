/// A YAML 1.2 reader for what CloudFormation templates use: block and flow mappings and
/// sequences, plain, single- and double-quoted scalars, literal and folded block scalars with
/// chomping and indentation indicators, comments, tags, anchors and aliases. One document per
/// text: a second document is an error. Not supported (an error naming the place): complex
/// `?` keys, flow collections as mapping keys, `%TAG` shorthands other than `!` and `!!`.
public struct YAMLParser {
    /// The most nodes a document may hold once aliases are expanded (a "billion laughs" guard).
    public static let maximumNodes = 1_000_000
    /// The deepest nesting accepted.
    public static let maximumDepth = 400

    let bytes: [UInt8]
    var i = 0
    var lineStarts: [Int] = [0]
    var anchors: [String: YAMLNode] = [:]
    var nodeCount = 0
    var depth = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
        for (k, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { lineStarts.append(k + 1) }
    }

    /// Reads the one document of `text`; an empty document is a null scalar.
    /// - Throws: ``YAMLError`` with the line and column.
    public static func parse(_ text: String) throws(YAMLError) -> YAMLNode {
        var parser = YAMLParser(text)
        return try parser.parseStream()
    }

    // MARK: positions

    func location(_ offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }

    /// The 0-based column of `offset`.
    func column(_ offset: Int) -> Int { location(offset).column - 1 }

    func error(_ message: String, at offset: Int? = nil) -> YAMLError {
        let l = location(offset ?? i)
        return YAMLError(line: l.line, column: l.column, message)
    }

    var atEnd: Bool { i >= bytes.count }
    func byte(_ k: Int = 0) -> UInt8 { i + k < bytes.count ? bytes[i + k] : 0 }
    static func isBreak(_ b: UInt8) -> Bool { b == 10 || b == 13 }
    static func isBlank(_ b: UInt8) -> Bool { b == 32 || b == 9 }
    /// Space, tab, line break or the end.
    func isSeparator(_ k: Int) -> Bool {
        let b = byte(k)
        return b == 0 || Self.isBlank(b) || Self.isBreak(b)
    }
    static func isFlowIndicator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "{") || b == UInt8(ascii: "}")
    }

    func node(_ content: YAMLNode.Content, tag: String?, at offset: Int) -> YAMLNode {
        let l = location(offset)
        return YAMLNode(content, tag: tag, line: l.line, column: l.column)
    }

    mutating func count(_ n: Int) throws(YAMLError) {
        nodeCount += n
        if nodeCount > Self.maximumNodes {
            throw error("the document expands to more than \(Self.maximumNodes) nodes (aliases of aliases?); simplify the anchors")
        }
    }

    // MARK: white space

    mutating func skipSpaces() {
        while !atEnd && Self.isBlank(byte()) { i += 1 }
    }

    mutating func skipComment() {
        if byte() == UInt8(ascii: "#") { while !atEnd && !Self.isBreak(byte()) { i += 1 } }
    }

    mutating func skipBreak() {
        if byte() == 13 { i += 1 }
        if byte() == 10 { i += 1 }
    }

    /// Skips spaces, comments and line breaks up to the next token; a tab that indents a
    /// content line is an error.
    mutating func skipToNextToken() throws(YAMLError) {
        while !atEnd {
            let b = byte()
            if Self.isBlank(b) {
                if b == 9 && isIndentation(i) {
                    var k = i
                    while k < bytes.count && Self.isBlank(bytes[k]) { k += 1 }
                    if k < bytes.count && !Self.isBreak(bytes[k]) && bytes[k] != UInt8(ascii: "#") {
                        throw error("a tab character indents this line; YAML indentation must be spaces")
                    }
                }
                i += 1
            } else if b == UInt8(ascii: "#") {
                skipComment()
            } else if Self.isBreak(b) {
                skipBreak()
            } else {
                return
            }
        }
    }

    /// Whether everything between the line start and `offset` is blank.
    func isIndentation(_ offset: Int) -> Bool {
        var k = offset - 1
        while k >= 0 && !Self.isBreak(bytes[k]) {
            if !Self.isBlank(bytes[k]) { return false }
            k -= 1
        }
        return true
    }

    /// Whether the rest of the line is blank or a comment.
    func restOfLineIsEmpty() -> Bool {
        var k = i
        while k < bytes.count && Self.isBlank(bytes[k]) { k += 1 }
        return k >= bytes.count || Self.isBreak(bytes[k]) || bytes[k] == UInt8(ascii: "#")
    }

    /// `---` or `...` at the start of a line, followed by a separator.
    func atDocumentMarker() -> Bool {
        guard column(i) == 0, i + 2 < bytes.count else { return false }
        let a = bytes[i], b = bytes[i + 1], c = bytes[i + 2]
        guard a == b, b == c, a == UInt8(ascii: "-") || a == UInt8(ascii: ".") else { return false }
        return isSeparator(3)
    }

    // MARK: the stream

    mutating func parseStream() throws(YAMLError) -> YAMLNode {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        try skipToNextToken()
        while byte() == UInt8(ascii: "%") && column(i) == 0 {
            let start = i
            while !atEnd && !Self.isBreak(byte()) { i += 1 }
            let directive = String(decoding: bytes[start..<i], as: UTF8.self)
            if directive.hasPrefix("%YAML") {
                let version = directive.dropFirst(5).trimmingSpaces
                if !version.hasPrefix("1.") { throw error("YAML version \(version) is not supported; this reader reads YAML 1.2", at: start) }
            } else if !directive.hasPrefix("%TAG") {
                throw error("unknown directive '\(directive)'", at: start)
            }
            try skipToNextToken()
        }
        let start = i
        if atDocumentMarker() && byte() == UInt8(ascii: "-") {
            i += 3
            try skipToNextToken()
        }
        var root: YAMLNode
        if atEnd || atDocumentMarker() {
            root = node(.scalar("", .plain), tag: nil, at: start)
        } else {
            root = try parseBlockNode(parentIndent: -1, inline: false)
        }
        try skipToNextToken()
        if atDocumentMarker() && byte() == UInt8(ascii: ".") {
            i += 3
            try skipToNextToken()
        }
        if !atEnd {
            if atDocumentMarker() || byte() == UInt8(ascii: "%") {
                throw error("a second YAML document starts here; a CloudFormation template is one document: remove the '---' and what follows, or split the file")
            }
            throw error("unexpected text after the end of the document; check its indentation")
        }
        if case .scalar = root.content {} else { return root }
        return root
    }

    // MARK: block nodes

    /// Parses the node at `i` (at a token); its content must be indented more than `parentIndent`.
    /// `inline` is true when the node starts on its key's line (no block mapping may start there).
    mutating func parseBlockNode(parentIndent: Int, inline: Bool) throws(YAMLError) -> YAMLNode {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw error("the document nests deeper than \(Self.maximumDepth) levels") }
        let start = i
        var tag: String?
        var anchor: String?
        var inline = inline
        while byte() == UInt8(ascii: "!") || byte() == UInt8(ascii: "&") {
            if byte() == UInt8(ascii: "!") {
                if tag != nil { throw error("a node has two tags") }
                tag = try readTag()
            } else {
                if anchor != nil { throw error("a node has two anchors") }
                anchor = try readAnchorName()
            }
            skipSpaces()
            if restOfLineIsEmpty() {
                try skipToNextToken()
                inline = false
                let sequenceAtKeyColumn = column(i) == parentIndent && byte() == UInt8(ascii: "-") && isSeparator(1)
                if atEnd || (column(i) <= parentIndent && !sequenceAtKeyColumn) || atDocumentMarker() {
                    let empty = node(.scalar("", .plain), tag: tag, at: start)
                    try register(anchor, empty)
                    return empty
                }
            }
        }
        var result = try parseBlockContent(parentIndent: parentIndent, inline: inline)
        if let tag {
            if result.tag != nil { throw error("a node has two tags", at: start) }
            result.tag = tag
            let l = location(start)
            result.line = l.line
            result.column = l.column
        }
        try register(anchor, result)
        return result
    }

    mutating func register(_ anchor: String?, _ node: YAMLNode) throws(YAMLError) {
        guard let anchor else { return }
        anchors[anchor] = node
    }

    mutating func parseBlockContent(parentIndent: Int, inline: Bool) throws(YAMLError) -> YAMLNode {
        let start = i
        let c = column(i)
        let b = byte()
        if b == UInt8(ascii: "*") {
            let aliasStart = i
            let alias = try readAlias()
            skipSpaces()
            if byte() == UInt8(ascii: ":") && isSeparator(1) {
                i = aliasStart
                if inline { throw error("a mapping cannot start on the same line as its key; start it on the next line") }
                return try parseBlockMapping(indent: c)
            }
            return alias
        }
        if b == UInt8(ascii: "-") && isSeparator(1) {
            if inline { throw error("a sequence cannot start on the same line as its key; start it on the next line") }
            return try parseBlockSequence(indent: c)
        }
        if b == UInt8(ascii: "?") && isSeparator(1) {
            throw error("complex mapping keys ('? ') are not supported; write the key as a scalar")
        }
        if b == UInt8(ascii: "|") || b == UInt8(ascii: ">") {
            return try parseBlockScalar(parentIndent: parentIndent)
        }
        if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
            let value = try parseFlowNode()
            skipSpaces()
            if byte() == UInt8(ascii: ":") && isSeparator(1) {
                throw error("a flow collection cannot be a mapping key; write the key as a scalar", at: start)
            }
            return value
        }
        if b == UInt8(ascii: "@") || b == UInt8(ascii: "`") {
            throw error("a plain scalar cannot start with '\(Character(Unicode.Scalar(b)))'; quote it")
        }
        if looksLikeMappingKey() {
            if inline { throw error("a mapping cannot start on the same line as its key; start it on the next line") }
            return try parseBlockMapping(indent: c)
        }
        if b == UInt8(ascii: "\"") { return try parseDoubleQuoted() }
        if b == UInt8(ascii: "'") { return try parseSingleQuoted() }
        return try parsePlain(parentIndent: parentIndent, flow: false)
    }

    /// Whether the line at `i` is `KEY:` followed by a separator (KEY plain or quoted).
    func looksLikeMappingKey() -> Bool {
        var k = i
        let first = byte()
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            k += 1
            while k < bytes.count {
                let b = bytes[k]
                if first == UInt8(ascii: "\"") && b == UInt8(ascii: "\\") { k += 2; continue }
                if b == first {
                    if first == UInt8(ascii: "'") && k + 1 < bytes.count && bytes[k + 1] == first { k += 2; continue }
                    break
                }
                if Self.isBreak(b) { return false }
                k += 1
            }
            k += 1
            while k < bytes.count && Self.isBlank(bytes[k]) { k += 1 }
            guard k < bytes.count, bytes[k] == UInt8(ascii: ":") else { return false }
            return k + 1 >= bytes.count || Self.isBlank(bytes[k + 1]) || Self.isBreak(bytes[k + 1])
        }
        while k < bytes.count && !Self.isBreak(bytes[k]) {
            let b = bytes[k]
            if b == UInt8(ascii: "#") && k > i && Self.isBlank(bytes[k - 1]) { return false }
            if b == UInt8(ascii: ":") {
                if k + 1 >= bytes.count || Self.isBlank(bytes[k + 1]) || Self.isBreak(bytes[k + 1]) { return true }
            }
            k += 1
        }
        return false
    }

    mutating func parseBlockMapping(indent c: Int) throws(YAMLError) -> YAMLNode {
        let start = i
        var pairs: [YAMLNode.Pair] = []
        var firstLine: [String: Int] = [:]
        while true {
            let keyStart = i
            var key: YAMLNode
            if byte() == UInt8(ascii: "*") {
                key = try readAlias()
            } else if byte() == UInt8(ascii: "\"") {
                key = try parseDoubleQuoted()
            } else if byte() == UInt8(ascii: "'") {
                key = try parseSingleQuoted()
            } else if byte() == UInt8(ascii: "-") && isSeparator(1) {
                throw error("a sequence entry where a mapping key was expected; check the indentation")
            } else if byte() == UInt8(ascii: "?") && isSeparator(1) {
                throw error("complex mapping keys ('? ') are not supported; write the key as a scalar")
            } else {
                guard looksLikeMappingKey() else {
                    throw error("expected 'KEY: value' here (a mapping entry at column \(c + 1)); check the indentation or quote the text")
                }
                key = try parsePlainKey()
            }
            try count(1)
            skipSpaces()
            guard byte() == UInt8(ascii: ":") else { throw error("expected ':' after the mapping key") }
            i += 1
            if case .scalar(let text, _) = key.content {
                if let line = firstLine[text] {
                    throw error("duplicate mapping key '\(text)' (first at line \(line)); keys must be unique", at: keyStart)
                }
                firstLine[text] = key.line
            }
            let value = try parseMappingValue(indent: c)
            pairs.append(YAMLNode.Pair(key: key, value: value))
            try skipToNextToken()
            if atEnd || atDocumentMarker() { break }
            let cc = column(i)
            if cc < c { break }
            if cc > c { throw error("this line is indented more than the mapping entries above it (column \(c + 1)); align it or check the line before") }
            if byte() == UInt8(ascii: "-") && isSeparator(1) { break }
        }
        try count(1)
        return node(.mapping(pairs), tag: nil, at: start)
    }

    mutating func parseMappingValue(indent c: Int) throws(YAMLError) -> YAMLNode {
        let here = i
        skipSpaces()
        if atEnd || restOfLineIsEmpty() {
            try skipToNextToken()
            if atEnd || atDocumentMarker() || column(i) < c { return node(.scalar("", .plain), tag: nil, at: here) }
            if column(i) == c {
                if byte() == UInt8(ascii: "-") && isSeparator(1) { return try parseBlockSequence(indent: c) }
                return node(.scalar("", .plain), tag: nil, at: here)
            }
            return try parseBlockNode(parentIndent: c, inline: false)
        }
        return try parseBlockNode(parentIndent: c, inline: true)
    }

    mutating func parseBlockSequence(indent c: Int) throws(YAMLError) -> YAMLNode {
        let start = i
        var items: [YAMLNode] = []
        while true {
            let dash = i
            i += 1
            skipSpaces()
            if atEnd || restOfLineIsEmpty() {
                try skipToNextToken()
                if atEnd || atDocumentMarker() || column(i) <= c {
                    items.append(node(.scalar("", .plain), tag: nil, at: dash))
                } else {
                    items.append(try parseBlockNode(parentIndent: c, inline: false))
                }
            } else {
                items.append(try parseBlockNode(parentIndent: c, inline: false))
            }
            try count(1)
            try skipToNextToken()
            if atEnd || atDocumentMarker() { break }
            let cc = column(i)
            if cc < c { break }
            if cc > c { throw error("this line is indented more than the sequence entries above it (column \(c + 1)); align it or check the line before") }
            guard byte() == UInt8(ascii: "-") && isSeparator(1) else { break }
        }
        try count(1)
        return node(.sequence(items), tag: nil, at: start)
    }

    // MARK: properties

    mutating func readTag() throws(YAMLError) -> String {
        let start = i
        i += 1
        if byte() == UInt8(ascii: "<") {
            while !atEnd && byte() != UInt8(ascii: ">") && !Self.isBreak(byte()) { i += 1 }
            guard byte() == UInt8(ascii: ">") else { throw error("unterminated verbatim tag", at: start) }
            i += 1
        } else {
            while !atEnd && !isSeparator(0) && !Self.isFlowIndicator(byte()) { i += 1 }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func readAnchorName() throws(YAMLError) -> String {
        let start = i
        i += 1
        while !atEnd && !isSeparator(0) && !Self.isFlowIndicator(byte()) { i += 1 }
        guard i > start + 1 else { throw error("an anchor '&' needs a name", at: start) }
        return String(decoding: bytes[(start + 1)..<i], as: UTF8.self)
    }

    mutating func readAlias() throws(YAMLError) -> YAMLNode {
        let start = i
        let name = try readAnchorName()
        guard var target = anchors[name] else {
            throw error("alias '*\(name)' names no anchor defined above it; define '&\(name)' first", at: start)
        }
        try count(target.size)
        let l = location(start)
        target.line = l.line
        target.column = l.column
        return target
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
