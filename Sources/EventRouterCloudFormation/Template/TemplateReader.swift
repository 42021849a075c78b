import EventRouter

/// Reads a CloudFormation template, YAML or JSON, into ``TemplateNode``s: YAML 1.2 core-schema
/// typing for untagged plain scalars (`yes`/`no` stay strings, as CloudFormation reads them)
/// and the short-form intrinsic tags turned into their long form (`!GetAtt A.B` →
/// `{"Fn::GetAtt": ["A", "B"]}`).
public enum TemplateReader {
    /// The short-form tags and the long-form key each becomes.
    public static let intrinsicTags: [String: String] = [
        "!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join",
        "!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!And": "Fn::And",
        "!Or": "Fn::Or", "!Not": "Fn::Not", "!FindInMap": "Fn::FindInMap", "!ImportValue": "Fn::ImportValue",
        "!GetAZs": "Fn::GetAZs", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr", "!Length": "Fn::Length",
        "!ToJsonString": "Fn::ToJsonString", "!Transform": "Fn::Transform",
    ]

    /// Reads `text`: JSON when its first non-blank character is `{`, YAML otherwise.
    /// - Throws: ``YAMLError`` (line and column) for YAML, or for JSON the parser's message at its line.
    public static func read(_ text: String) throws(YAMLError) -> TemplateNode {
        let first = text.unicodeScalars.first { !($0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{FEFF}") }
        if first == "{" {
            do {
                return TemplateNode(json: try JSONParser.parse(text, options: JSONParser.Options(rejectDuplicateKeys: true)))
            } catch {
                let (line, column) = lineAndColumn(ofByte: error.offset, in: text)
                throw YAMLError(line: line, column: column, "invalid JSON: \(error.reason)")
            }
        }
        return try convert(YAMLParser.parse(text))
    }

    static func lineAndColumn(ofByte offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for (k, b) in text.utf8.enumerated() {
            if k >= offset { break }
            if b == 10 { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// Types and converts a YAML node.
    public static func convert(_ node: YAMLNode) throws(YAMLError) -> TemplateNode {
        let plain: TemplateNode
        switch node.content {
        case .scalar(let text, let style):
            plain = TemplateNode(try scalarValue(text, style: style, tag: node.tag, node: node), line: node.line, column: node.column)
        case .sequence(let items):
            var out: [TemplateNode] = []
            for item in items { out.append(try convert(item)) }
            plain = TemplateNode(.array(out), line: node.line, column: node.column)
        case .mapping(let pairs):
            var out: [TemplateNode.Member] = []
            for pair in pairs {
                guard case .scalar(let key, _) = pair.key.content else {
                    throw YAMLError(line: pair.key.line, column: pair.key.column, "a mapping key must be a scalar")
                }
                out.append(TemplateNode.Member(key: key, value: try convert(pair.value), line: pair.key.line))
            }
            plain = TemplateNode(.object(out), line: node.line, column: node.column)
        }
        guard let tag = node.tag, tag != "!", !tag.hasPrefix("!!"), !tag.hasPrefix("!<tag:yaml.org,2002:") else {
            if let tag = node.tag { try checkStandardTag(tag, node: node, value: plain) }
            return plain
        }
        guard let key = intrinsicTags[tag] else {
            throw YAMLError(line: node.line, column: node.column,
                            "unknown tag '\(tag)'; CloudFormation's short forms are \(intrinsicTags.keys.sorted().joined(separator: ", "))")
        }
        var argument = plain
        if tag == "!GetAtt", case .string(let text) = plain.value {
            guard let dot = text.firstIndex(of: ".") else {
                throw YAMLError(line: node.line, column: node.column, "!GetAtt \(text) needs the form LogicalId.Attribute")
            }
            argument = TemplateNode(.array([TemplateNode(.string(String(text[..<dot])), line: node.line, column: node.column),
                                            TemplateNode(.string(String(text[text.index(after: dot)...])), line: node.line, column: node.column)]),
                                    line: node.line, column: node.column)
        }
        return TemplateNode(.object([TemplateNode.Member(key: key, value: argument, line: node.line)]), line: node.line, column: node.column)
    }

    static func checkStandardTag(_ tag: String, node: YAMLNode, value: TemplateNode) throws(YAMLError) {
        let name = tag.hasPrefix("!!") ? String(tag.dropFirst(2)) : tag == "!" ? "str" : String(tag.dropFirst("!<tag:yaml.org,2002:".count).dropLast())
        let ok: Bool
        switch name {
        case "str", "int", "float", "bool", "null", "binary", "timestamp": ok = value.items == nil && value.members == nil
        case "seq": ok = value.items != nil
        case "map", "omap": ok = value.members != nil
        default:
            throw YAMLError(line: node.line, column: node.column, "unknown tag '\(tag)'")
        }
        if !ok { throw YAMLError(line: node.line, column: node.column, "tag '\(tag)' does not fit a \(value.kindName)") }
    }

    /// Core-schema typing: only untagged plain scalars are typed; quoted and block scalars and
    /// `!!str` are strings.
    static func scalarValue(_ text: String, style: YAMLNode.ScalarStyle, tag: String?, node: YAMLNode) throws(YAMLError) -> TemplateNode.Value {
        if let tag, tag == "!!str" || tag == "!" || (TemplateReader.intrinsicTags[tag] != nil && style != .plain) { return .string(text) }
        if let tag, tag == "!!int" || tag == "!!float" {
            if isInt(text) || isFloat(text) { return .number(text) }
            throw YAMLError(line: node.line, column: node.column, "'\(text)' is not a number but is tagged \(tag)")
        }
        if let tag, tag == "!!bool" {
            if let b = boolValue(text) { return .bool(b) }
            throw YAMLError(line: node.line, column: node.column, "'\(text)' is not true or false but is tagged !!bool")
        }
        if tag == "!!null" { return .null }
        guard style == .plain else { return .string(text) }
        if text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL" { return tag == nil ? .null : .string(text) }
        if let b = boolValue(text) { return .bool(b) }
        if isInt(text) || isFloat(text) { return .number(text) }
        return .string(text)
    }

    static func boolValue(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    static func isInt(_ text: String) -> Bool {
        var t = Substring(text)
        if t.hasPrefix("0o") { return t.count > 2 && t.dropFirst(2).allSatisfy { ("0"..."7").contains($0) } }
        if t.hasPrefix("0x") { return t.count > 2 && t.dropFirst(2).allSatisfy(\.isHexDigit) }
        if t.first == "+" || t.first == "-" { t = t.dropFirst() }
        return !t.isEmpty && t.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isFloat(_ text: String) -> Bool {
        var t = Substring(text)
        if t.first == "+" || t.first == "-" { t = t.dropFirst() }
        if t == ".inf" || t == ".Inf" || t == ".INF" { return true }
        if text == ".nan" || text == ".NaN" || text == ".NAN" { return true }
        // [0-9]* (. [0-9]*)? ([eE][-+]?[0-9]+)?, with at least one digit before the exponent
        var digits = 0
        let chars = Array(t)
        var k = 0
        while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1; digits += 1 }
        if k < chars.count, chars[k] == "." {
            k += 1
            while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if k < chars.count, chars[k] == "e" || chars[k] == "E" {
            k += 1
            if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
            var exp = 0
            while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1; exp += 1 }
            guard exp > 0 else { return false }
        }
        return k == chars.count
    }
}
