/// A small well-formedness check of the XML the query protocol answers (what a client's XML
/// parser needs): an optional `<?xml …?>` declaration, one root element, balanced tags, attribute
/// values in quotes, no `<` in text, `&` only as a predefined or numeric entity, and only
/// characters XML 1.0 allows (no control characters but tab, LF and CR; no U+FFFE/U+FFFF).
enum XMLShape {
    /// What is wrong with `bytes` as XML, or `nil` when it is well-formed.
    static func problem(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return "not UTF-8" }
        for (i, scalar) in text.unicodeScalars.enumerated() {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF {
                return "character U+\(String(v, radix: 16, uppercase: true)) (not allowed in XML 1.0) at scalar \(i)"
            }
        }
        var s = Substring(text)
        if s.hasPrefix("<?xml") {
            guard let end = s.range(of: "?>") else { return "unterminated XML declaration" }
            s = s[end.upperBound...]
        }
        var open: [Substring] = []
        var roots = 0
        while !s.isEmpty {
            guard let lt = s.firstIndex(of: "<") else {
                if let problem = textProblem(s) { return problem }
                break
            }
            if let problem = textProblem(s[..<lt]) { return problem }
            if open.isEmpty, !s[..<lt].allSatisfy(\.isWhitespace) { return "text outside the root element" }
            guard let gt = s[lt...].firstIndex(of: ">") else { return "unterminated tag" }
            var tag = s[s.index(after: lt)..<gt]
            s = s[s.index(after: gt)...]
            if tag.hasPrefix("/") {
                tag = tag.dropFirst()
                guard let last = open.popLast(), last == tag.trimmingSuffix() else { return "closing </\(tag)> does not match" }
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            if selfClosing { tag = tag.dropLast() }
            let name = tag.prefix { !$0.isWhitespace }
            guard let first = name.first, first.isLetter || first == "_" else { return "bad element name '\(name)'" }
            if let problem = attributesProblem(tag.dropFirst(name.count)) { return problem }
            if open.isEmpty { roots += 1 }
            if !selfClosing { open.append(name) }
        }
        if !open.isEmpty { return "unclosed <\(open.last ?? "")>" }
        return roots == 1 ? nil : "\(roots) root elements"
    }

    /// The text of the first `<name>…</name>` in `text`, if any.
    static func element(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    private static func textProblem(_ text: Substring) -> String? {
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.firstIndex(of: ";") else { return "bare & in text" }
            let entity = after[..<semi]
            let named = ["amp", "lt", "gt", "quot", "apos"].contains(entity)
            let numeric = entity.hasPrefix("#x") ? entity.dropFirst(2).allSatisfy(\.isHexDigit) && entity.count > 2
                : entity.hasPrefix("#") && entity.count > 1 && entity.dropFirst().allSatisfy(\.isASCII) && entity.dropFirst().allSatisfy(\.isNumber)
            guard named || numeric else { return "unknown entity &\(entity.prefix(20));" }
            rest = after[after.index(after: semi)...]
        }
        return nil
    }

    private static func attributesProblem(_ text: Substring) -> String? {
        var rest = text.drop(while: \.isWhitespace)
        while !rest.isEmpty {
            guard let eq = rest.firstIndex(of: "=") else { return "attribute without a value" }
            let after = rest[rest.index(after: eq)...]
            guard let quote = after.first, quote == "\"" || quote == "'" else { return "attribute value not quoted" }
            let value = after.dropFirst()
            guard let close = value.firstIndex(of: quote) else { return "unterminated attribute value" }
            if value[..<close].contains("<") { return "< in an attribute value" }
            if let problem = textProblem(value[..<close]) { return problem }
            rest = value[value.index(after: close)...].drop(while: \.isWhitespace)
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingSuffix() -> Substring {
        var s = self
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}
