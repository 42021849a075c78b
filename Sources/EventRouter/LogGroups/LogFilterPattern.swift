/// A CloudWatch Logs filter pattern (FilterLogEvents `filterPattern`, `logs tail --filter-pattern`).
///
/// Two forms are understood:
/// - **terms**: `ERROR`, `"exact phrase"`, several terms (all must appear), `?A ?B` (any of
///   them), `-TERM` (must not appear); case-sensitive substring matches.
/// - **JSON**: `{ SELECTOR OP VALUE }` on messages that are JSON objects, with `$.a.b[0]`
///   selectors; `=` and `!=` against strings (quoted or bare, `*` a wildcard) or numbers;
///   `<`, `<=`, `>`, `>=` against numbers; `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`;
///   combined with `&&`, `||` and parentheses.
///
/// Space-delimited patterns (`[ip, user, ...]`) and regular expressions (`%…%`) are refused with
/// a message saying so.
public struct LogFilterPattern: Sendable {
    enum Node: Sendable {
        case terms(required: [String], optional: [String], excluded: [String])
        indirect case json(JSONCondition)
    }

    indirect enum JSONCondition: Sendable {
        case and(JSONCondition, JSONCondition)
        case or(JSONCondition, JSONCondition)
        case compare([PathStep], String, Operand)
        case isNull([PathStep]), isTrue([PathStep]), isFalse([PathStep]), notExists([PathStep])
    }

    enum PathStep: Sendable {
        case key(String)
        case index(Int)
    }

    enum Operand: Sendable {
        case number(Double)
        case text(String)
    }

    let node: Node
    /// The pattern as given.
    public let text: String

    /// Parses `text`.
    /// - Throws: `InvalidParameterException` saying what is wrong and what is supported.
    public init(parsing text: String) throws(LogGroupError) {
        self.text = text
        let trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("{") {
            var parser = JSONPatternParser(text: trimmed)
            node = .json(try parser.parsePattern())
        } else if trimmed.hasPrefix("[") {
            throw LogGroupError(.invalidParameter, "space-delimited filter patterns ('\(text)') are not supported by EventRouter; use terms (ERROR, \"a phrase\", ?A ?B, -TERM) or a JSON pattern ({ $.field = value })")
        } else if trimmed.hasPrefix("%") {
            throw LogGroupError(.invalidParameter, "regular-expression filter patterns ('\(text)') are not supported by EventRouter; use terms (ERROR, \"a phrase\", ?A ?B, -TERM) or a JSON pattern ({ $.field = value })")
        } else {
            var required: [String] = [], optional: [String] = [], excluded: [String] = []
            for token in try Self.terms(trimmed) {
                if token.quoted { required.append(token.text) }
                else if token.text.hasPrefix("?"), token.text.count > 1 { optional.append(String(token.text.dropFirst())) }
                else if token.text.hasPrefix("-"), token.text.count > 1 { excluded.append(String(token.text.dropFirst())) }
                else { required.append(token.text) }
            }
            node = .terms(required: required, optional: optional, excluded: excluded)
        }
    }

    private static func terms(_ text: String) throws(LogGroupError) -> [(text: String, quoted: Bool)] {
        var out: [(String, Bool)] = []
        var chars = Array(text)[...]
        while let c = chars.first {
            if c == " " || c == "\t" { chars = chars.dropFirst(); continue }
            if c == "\"" {
                chars = chars.dropFirst()
                guard let close = chars.firstIndex(of: "\"") else {
                    throw LogGroupError(.invalidParameter, "filter pattern '\(text)' has a quote that is not closed")
                }
                out.append((String(chars[..<close]), true))
                chars = chars[(close + 1)...]
            } else {
                let end = chars.firstIndex { $0 == " " || $0 == "\t" } ?? chars.endIndex
                out.append((String(chars[..<end]), false))
                chars = chars[end...]
            }
        }
        return out
    }

    /// Whether `message` matches.
    public func matches(_ message: String) -> Bool {
        switch node {
        case .terms(let required, let optional, let excluded):
            guard required.allSatisfy({ message.contains($0) }) else { return false }
            guard !excluded.contains(where: { message.contains($0) }) else { return false }
            return optional.isEmpty || optional.contains { message.contains($0) }
        case .json(let condition):
            guard let value = try? JSONParser.parse(message), case .object = value else { return false }
            return Self.evaluate(condition, on: value)
        }
    }

    private static func select(_ path: [PathStep], in value: JSONValue) -> JSONValue? {
        var current = value
        for step in path {
            switch (step, current) {
            case (.key(let k), .object(let o)): guard let next = o[k] else { return nil }; current = next
            case (.index(let i), .array(let a)): guard i < a.count else { return nil }; current = a[i]
            default: return nil
            }
        }
        return current
    }

    private static func evaluate(_ condition: JSONCondition, on value: JSONValue) -> Bool {
        switch condition {
        case .and(let l, let r): return evaluate(l, on: value) && evaluate(r, on: value)
        case .or(let l, let r): return evaluate(l, on: value) || evaluate(r, on: value)
        case .isNull(let p): if case .null? = select(p, in: value) { return true }; return false
        case .isTrue(let p): return select(p, in: value)?.boolValue == true
        case .isFalse(let p): return select(p, in: value)?.boolValue == false
        case .notExists(let p): return select(p, in: value) == nil
        case .compare(let p, let op, let operand):
            guard let found = select(p, in: value) else { return false }
            switch operand {
            case .number(let n):
                guard let d = found.doubleValue else { return op == "!=" }
                switch op {
                case "=": return d == n
                case "!=": return d != n
                case "<": return d < n
                case "<=": return d <= n
                case ">": return d > n
                default: return d >= n
                }
            case .text(let wanted):
                let actual: String
                switch found {
                case .string(let s): actual = s
                case .number, .bool: actual = found.jsonText
                default: return op == "!="
                }
                let equal = wildcardMatch(wanted, actual)
                return op == "=" ? equal : !equal
            }
        }
    }

    /// `*` in `pattern` stands for any run of characters.
    static func wildcardMatch(_ pattern: String, _ text: String) -> Bool {
        guard pattern.contains("*") else { return pattern == text }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text)
        guard let first = parts.first, rest.hasPrefix(first) else { return false }
        rest = rest.dropFirst(first.count)
        for (i, part) in parts.enumerated().dropFirst() {
            if i == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            guard !part.isEmpty else { continue }
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }
}

/// Reads `{ … }` JSON filter patterns.
private struct JSONPatternParser {
    let text: String
    var chars: ArraySlice<Character>

    init(text: String) {
        self.text = text
        chars = Array(text)[...]
    }

    func fail(_ why: String) -> LogGroupError {
        LogGroupError(.invalidParameter, "invalid JSON filter pattern '\(text)': \(why); write e.g. { $.detail.status = \"FAILED\" && $.detail.amount > 100 }")
    }

    mutating func skipSpaces() { while let c = chars.first, c == " " || c == "\t" || c == "\n" { chars = chars.dropFirst() } }

    mutating func take(_ s: String) -> Bool {
        skipSpaces()
        let want = Array(s)
        guard chars.count >= want.count, Array(chars.prefix(want.count)) == want else { return false }
        chars = chars.dropFirst(want.count)
        return true
    }

    mutating func parsePattern() throws(LogGroupError) -> LogFilterPattern.JSONCondition {
        guard take("{") else { throw fail("it must start with '{'") }
        let condition = try parseOr()
        guard take("}") else { throw fail("expected '}' or && or || at '\(String(chars.prefix(20)))'") }
        skipSpaces()
        guard chars.isEmpty else { throw fail("unexpected text after '}': '\(String(chars.prefix(20)))'") }
        return condition
    }

    mutating func parseOr() throws(LogGroupError) -> LogFilterPattern.JSONCondition {
        var left = try parseAnd()
        while take("||") { left = .or(left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws(LogGroupError) -> LogFilterPattern.JSONCondition {
        var left = try parseUnary()
        while take("&&") { left = .and(left, try parseUnary()) }
        return left
    }

    mutating func parseUnary() throws(LogGroupError) -> LogFilterPattern.JSONCondition {
        if take("(") {
            let inner = try parseOr()
            guard take(")") else { throw fail("expected ')'") }
            return inner
        }
        let path = try parseSelector()
        if take("IS") {
            if take("NULL") { return .isNull(path) }
            if take("TRUE") { return .isTrue(path) }
            if take("FALSE") { return .isFalse(path) }
            throw fail("IS must be followed by NULL, TRUE or FALSE")
        }
        if take("NOT") {
            guard take("EXISTS") else { throw fail("NOT must be followed by EXISTS") }
            return .notExists(path)
        }
        let op: String
        if take("!=") { op = "!=" } else if take("<=") { op = "<=" } else if take(">=") { op = ">=" }
        else if take("=") { op = "=" } else if take("<") { op = "<" } else if take(">") { op = ">" }
        else { throw fail("expected =, !=, <, <=, >, >=, IS NULL, IS TRUE, IS FALSE or NOT EXISTS after the selector") }
        let operand = try parseValue()
        if case .text = operand, !["=", "!="].contains(op) { throw fail("\(op) compares numbers; the value after it must be a number") }
        return .compare(path, op, operand)
    }

    mutating func parseSelector() throws(LogGroupError) -> [LogFilterPattern.PathStep] {
        guard take("$") else { throw fail("a condition must start with a selector such as $.field") }
        var steps: [LogFilterPattern.PathStep] = []
        while let c = chars.first {
            if c == "." {
                chars = chars.dropFirst()
                let name = chars.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "@" }
                guard !name.isEmpty else { throw fail("expected a field name after '.'") }
                steps.append(.key(String(name)))
                chars = chars.dropFirst(name.count)
            } else if c == "[" {
                chars = chars.dropFirst()
                let digits = chars.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, digits.count < 10, let i = Int(String(digits)) else { throw fail("expected an array index after '['") }
                chars = chars.dropFirst(digits.count)
                guard chars.first == "]" else { throw fail("expected ']'") }
                chars = chars.dropFirst()
                steps.append(.index(i))
            } else {
                break
            }
        }
        guard !steps.isEmpty else { throw fail("the selector '$' must name a field, e.g. $.detail") }
        return steps
    }

    mutating func parseValue() throws(LogGroupError) -> LogFilterPattern.Operand {
        skipSpaces()
        if chars.first == "\"" {
            chars = chars.dropFirst()
            guard let close = chars.firstIndex(of: "\"") else { throw fail("a quoted value is not closed") }
            let value = String(chars[..<close])
            chars = chars[(close + 1)...]
            return .text(value)
        }
        let word = chars.prefix { !($0 == " " || $0 == "\t" || $0 == ")" || $0 == "}" || $0 == "&" || $0 == "|") }
        guard !word.isEmpty else { throw fail("expected a value") }
        chars = chars.dropFirst(word.count)
        let text = String(word)
        if let n = Double(text), n.isFinite { return .number(n) }
        return .text(text)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
