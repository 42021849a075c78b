extension YAMLParser {
    /// Skips blanks, comments and line breaks inside a flow collection.
    mutating func skipFlowSpace() throws(YAMLError) {
        while !atEnd {
            let b = byte()
            if Self.isBlank(b) { i += 1 }
            else if Self.isBreak(b) {
                skipBreak()
                if atDocumentMarker() { throw error("a document marker inside a flow collection; close the '[' or '{' first") }
            } else if b == UInt8(ascii: "#") && (i == 0 || Self.isBlank(bytes[i - 1]) || Self.isBreak(bytes[i - 1])) {
                skipComment()
            } else { return }
        }
    }

    /// A node inside (or starting) a flow collection.
    mutating func parseFlowNode() throws(YAMLError) -> YAMLNode {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw error("the document nests deeper than \(Self.maximumDepth) levels") }
        try skipFlowSpace()
        let start = i
        var tag: String?
        var anchor: String?
        while byte() == UInt8(ascii: "!") || byte() == UInt8(ascii: "&") {
            if byte() == UInt8(ascii: "!") { tag = try readTag() } else { anchor = try readAnchorName() }
            try skipFlowSpace()
        }
        var result: YAMLNode
        let b = byte()
        if atEnd { throw error("the document ends inside a flow collection; close it with ']' or '}'") }
        if (tag != nil || anchor != nil) && (b == UInt8(ascii: ",") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}") || b == UInt8(ascii: ":")) {
            result = node(.scalar("", .plain), tag: nil, at: start)
        } else if b == UInt8(ascii: "*") {
            result = try readAlias()
        } else if b == UInt8(ascii: "[") {
            result = try parseFlowSequence()
        } else if b == UInt8(ascii: "{") {
            result = try parseFlowMapping()
        } else if b == UInt8(ascii: "\"") {
            result = try parseDoubleQuoted()
        } else if b == UInt8(ascii: "'") {
            result = try parseSingleQuoted()
        } else if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") || b == UInt8(ascii: ",") {
            throw error("expected a value before '\(Character(Unicode.Scalar(b)))'")
        } else if (b == UInt8(ascii: "-") || b == UInt8(ascii: "?")) && isSeparator(1) {
            throw error("block collections ('- ', '? ') cannot appear inside a flow collection")
        } else {
            result = try parsePlain(parentIndent: -1, flow: true)
        }
        if let tag {
            result.tag = tag
            let l = location(start)
            result.line = l.line
            result.column = l.column
        }
        try register(anchor, result)
        return result
    }

    mutating func parseFlowSequence() throws(YAMLError) -> YAMLNode {
        let start = i
        i += 1
        var items: [YAMLNode] = []
        while true {
            try skipFlowSpace()
            if atEnd { throw error("unterminated flow sequence; add ']'", at: start) }
            if byte() == UInt8(ascii: "]") { i += 1; break }
            var item = try parseFlowNode()
            try skipFlowSpace()
            if byte() == UInt8(ascii: ":") {
                i += 1
                try skipFlowSpace()
                let value: YAMLNode
                if byte() == UInt8(ascii: ",") || byte() == UInt8(ascii: "]") { value = node(.scalar("", .plain), tag: nil, at: i) }
                else { value = try parseFlowNode() }
                item = YAMLNode(.mapping([YAMLNode.Pair(key: item, value: value)]), line: item.line, column: item.column)
                try skipFlowSpace()
            }
            items.append(item)
            try count(1)
            if byte() == UInt8(ascii: ",") { i += 1; continue }
            if byte() == UInt8(ascii: "]") { i += 1; break }
            if atEnd { throw error("unterminated flow sequence; add ']'", at: start) }
            throw error("expected ',' or ']' in the flow sequence that starts at line \(location(start).line)")
        }
        try count(1)
        return node(.sequence(items), tag: nil, at: start)
    }

    mutating func parseFlowMapping() throws(YAMLError) -> YAMLNode {
        let start = i
        i += 1
        var pairs: [YAMLNode.Pair] = []
        var seen: [String: Int] = [:]
        while true {
            try skipFlowSpace()
            if atEnd { throw error("unterminated flow mapping; add '}'", at: start) }
            if byte() == UInt8(ascii: "}") { i += 1; break }
            if byte() == UInt8(ascii: "?") && isSeparator(1) {
                throw error("complex mapping keys ('? ') are not supported; write the key as a scalar")
            }
            let key = try parseFlowNode()
            if case .scalar(let text, _) = key.content {
                if let line = seen[text] { throw error("duplicate mapping key '\(text)' (first at line \(line)); keys must be unique", at: i) }
                seen[text] = key.line
            } else {
                throw error("a flow collection cannot be a mapping key; write the key as a scalar")
            }
            try skipFlowSpace()
            var value = node(.scalar("", .plain), tag: nil, at: i)
            if byte() == UInt8(ascii: ":") {
                i += 1
                try skipFlowSpace()
                if byte() != UInt8(ascii: ",") && byte() != UInt8(ascii: "}") { value = try parseFlowNode() }
                try skipFlowSpace()
            }
            pairs.append(YAMLNode.Pair(key: key, value: value))
            try count(1)
            if byte() == UInt8(ascii: ",") { i += 1; continue }
            if byte() == UInt8(ascii: "}") { i += 1; break }
            if atEnd { throw error("unterminated flow mapping; add '}'", at: start) }
            throw error("expected ',' or '}' in the flow mapping that starts at line \(location(start).line)")
        }
        try count(1)
        return node(.mapping(pairs), tag: nil, at: start)
    }
}
