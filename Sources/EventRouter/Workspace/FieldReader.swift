/// The one reader of typed fields in rule files, function manifests and policy documents.
///
/// Every resource kind reads its section with it, so the same mistake is worded the same way
/// everywhere and every problem is a ``ValidationProblem`` (file, JSON path, severity, reason):
///
/// | Mistake | Path | Reason |
/// |---|---|---|
/// | unknown key | `$.…KEY` | `unknown key 'KEY' in WHAT (did you mean 'X'?); allowed: A, B` |
/// | missing required key | the object's path | `missing required key 'KEY'` |
/// | wrong JSON type | `$.…KEY` | `'KEY' must be a string, not number` |
/// | empty required string | `$.…KEY` | `'KEY' must not be empty` |
/// | number out of range | `$.…KEY` | `'KEY' must be between 0 and 185, got 200` |
/// | value not allowed | `$.…KEY` | `'KEY' must be one of A, B, got 'C'` |
/// | string not matching | `$.…KEY` | `'KEY' must be DESCRIPTION, got 'VALUE'` |
/// | ARN of another kind | `$.…KEY` | `'KEY' must be a queue ARN, not a topic ARN` |
///
/// A reader collects every problem instead of stopping at the first, so a file is fixed in one pass.
public struct FieldReader: Sendable {
    /// What a string must look like: a predicate and the words that describe it.
    public struct Pattern: Sendable {
        /// How the value must look, e.g. `1 to 64 letters, digits, '.', '_' or '-'`.
        public var description: String
        public var matches: @Sendable (String) -> Bool

        public init(_ description: String, matches: @escaping @Sendable (String) -> Bool) {
            self.description = description
            self.matches = matches
        }

        /// 1 to `maximumLength` ASCII letters, digits and the characters of `extra`.
        public static func name(maximumLength: Int, extra: String) -> Pattern {
            let listed = extra.map { "'\($0)'" }
            let tail = listed.isEmpty ? "letters or digits"
                : "letters, digits, " + (listed.count == 1 ? listed[0] : listed.dropLast().joined(separator: ", ") + " or " + listed[listed.count - 1])
            return Pattern("1 to \(maximumLength) \(tail)") { s in
                (1...maximumLength).contains(s.utf8.count) && s.unicodeScalars.allSatisfy { c in
                    c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || extra.unicodeScalars.contains(c))
                }
            }
        }
    }

    /// The file problems are reported in (relative to the workspace); `""` for JSON that is not
    /// a file yet (a policy document given on the command line, an entry given to a parser).
    public var file: String
    /// Every problem found, in reading order.
    public var problems: [ValidationProblem] = []

    public init(file: String = "") { self.file = file }

    /// The number of errors so far (to tell whether a part just read had any).
    public var errorCount: Int { problems.count { $0.severity == .error } }

    /// Whether any problem is an error.
    public var hasErrors: Bool { problems.contains { $0.severity == .error } }

    // MARK: - Reporting

    public mutating func error(_ path: String, _ reason: String) {
        problems.append(ValidationProblem(.error, file: file, path: path, reason))
    }

    public mutating func warning(_ path: String, _ reason: String) {
        problems.append(ValidationProblem(.warning, file: file, path: path, reason))
    }

    /// Adds problems found by another reader (e.g. relative to `$` of an entry) under `root`.
    public mutating func add(_ found: [ValidationProblem], under root: String = "$") {
        problems += found.map { $0.rebased(onto: root).inFile(file) }
    }

    // MARK: - Keys

    /// `unknown key 'KEY' in WHAT (did you mean 'X'?); allowed: …`
    public static func unknownKeyReason(_ key: String, in what: String, allowed: [String]) -> String {
        var reason = "unknown key '\(key)' in \(what)"
        if let hint = DidYouMean.suggestion(for: key, among: allowed) { reason += " (did you mean '\(hint)'?)" }
        return reason + "; allowed: \(allowed.joined(separator: ", "))"
    }

    /// Reports every key of `object` that is not in `allowed`, with a likely intended key.
    /// - Returns: whether every key was allowed.
    @discardableResult
    public mutating func checkKeys(_ object: JSONObject, allowed: [String], what: String, at path: String) -> Bool {
        var ok = true
        for key in object.keys where !allowed.contains(key) {
            error("\(path).\(key)", Self.unknownKeyReason(key, in: what, allowed: allowed))
            ok = false
        }
        return ok
    }

    /// The value of `key`, or a "missing required key" problem at `path` when `required`.
    public mutating func value(_ object: JSONObject, _ key: String, at path: String, required: Bool = false) -> JSONValue? {
        guard let value = object[key] else {
            if required { error(path, "missing required key '\(key)'") }
            return nil
        }
        return value
    }

    /// `'KEY' must be WHAT, not KIND` for a value of the wrong JSON type.
    public mutating func wrongType(_ key: String, _ value: JSONValue, expected: String, at path: String) {
        error("\(path).\(key)", "'\(key)' must be \(expected), not \(value.kindName)")
    }

    // MARK: - Typed fields

    /// A string; with `required` an empty string is a problem too; with `pattern` a string that
    /// does not match is a problem.
    public mutating func string(_ object: JSONObject, _ key: String, at path: String, required: Bool = false,
                                pattern: Pattern? = nil) -> String? {
        guard let value = value(object, key, at: path, required: required) else { return nil }
        guard case .string(let s) = value else {
            wrongType(key, value, expected: "a string", at: path)
            return nil
        }
        if required, s.isEmpty {
            error("\(path).\(key)", "'\(key)' must not be empty")
            return nil
        }
        if let pattern, !pattern.matches(s) {
            error("\(path).\(key)", "'\(key)' must be \(pattern.description), got '\(s)'")
            return nil
        }
        return s
    }

    /// A whole number in `range`; with `acceptingStrings`, also a string holding one (as
    /// CloudFormation templates and SQS attributes write numbers).
    public mutating func int(_ object: JSONObject, _ key: String, at path: String, range: ClosedRange<Int>,
                             required: Bool = false, acceptingStrings: Bool = false) -> Int? {
        guard let value = value(object, key, at: path, required: required) else { return nil }
        var number = value.intValue
        if number == nil, acceptingStrings, let s = value.stringValue { number = Int(s) }
        guard let n = number else {
            let what = value.kindName == "number" || (acceptingStrings && value.stringValue != nil) ? value.jsonText : value.kindName
            error("\(path).\(key)", "'\(key)' must be a whole number, not \(what)")
            return nil
        }
        guard range.contains(n) else {
            error("\(path).\(key)", "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), got \(n)")
            return nil
        }
        return n
    }

    /// A whole number of seconds in `range`, as a `Duration`.
    public mutating func duration(_ object: JSONObject, _ key: String, at path: String, seconds range: ClosedRange<Int>,
                                  acceptingStrings: Bool = false) -> Duration? {
        int(object, key, at: path, range: range, acceptingStrings: acceptingStrings).map { .seconds($0) }
    }

    /// `true` or `false`; also the strings `"true"` and `"false"` (CloudFormation templates and
    /// SNS/SQS attributes write booleans as strings) unless `strict`.
    public mutating func bool(_ object: JSONObject, _ key: String, at path: String, strict: Bool = false) -> Bool? {
        guard let value = object[key] else { return nil }
        if case .bool(let b) = value { return b }
        if !strict, case .string(let s) = value, s == "true" || s == "false" { return s == "true" }
        error("\(path).\(key)", "'\(key)' must be true or false, not \(value.kindName)")
        return nil
    }

    /// One of `allowed` (case-sensitive).
    public mutating func enumeration(_ object: JSONObject, _ key: String, at path: String, allowed: [String],
                                     required: Bool = false) -> String? {
        guard let s = string(object, key, at: path, required: required) else { return nil }
        guard allowed.contains(s) else {
            var reason = "'\(key)' must be one of \(allowed.joined(separator: ", ")), got '\(s)'"
            if let hint = allowed.first(where: { $0.lowercased() == s.lowercased() }) { reason += " (values are case-sensitive: write '\(hint)')" }
            error("\(path).\(key)", reason)
            return nil
        }
        return s
    }

    /// An ARN, parsed; with `kinds`, it must be one of them.
    public mutating func arn(_ object: JSONObject, _ key: String, at path: String, kinds: [ARN.Kind] = [],
                             required: Bool = false) -> ARN? {
        guard let text = string(object, key, at: path, required: required), !text.isEmpty else { return nil }
        return arn(text, key: key, at: path, kinds: kinds)
    }

    /// `text` parsed as an ARN for the field `key`; with `kinds`, it must be one of them.
    public mutating func arn(_ text: String, key: String, at path: String, kinds: [ARN.Kind] = []) -> ARN? {
        let arn: ARN
        do { arn = try ARN(parsing: text) } catch {
            self.error("\(path).\(key)", error.message)
            return nil
        }
        if !kinds.isEmpty, !kinds.contains(arn.kind) {
            let names = kinds.map(\.rawValue)
            let expected = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
            error("\(path).\(key)", "'\(key)' must be \(Self.article(expected)) \(expected) ARN, not \(Self.article(arn.kind.rawValue)) \(arn.kind.rawValue) ARN")
            return nil
        }
        return arn
    }

    /// An object.
    public mutating func object(_ parent: JSONObject, _ key: String, at path: String, required: Bool = false) -> JSONObject? {
        guard let value = value(parent, key, at: path, required: required) else { return nil }
        guard case .object(let o) = value else {
            wrongType(key, value, expected: "an object", at: path)
            return nil
        }
        return o
    }

    /// An array.
    public mutating func array(_ parent: JSONObject, _ key: String, at path: String, of what: String = "values") -> [JSONValue]? {
        guard let value = parent[key] else { return nil }
        guard case .array(let items) = value else {
            wrongType(key, value, expected: "an array of \(what)", at: path)
            return nil
        }
        return items
    }

    static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }
}

extension FieldReader.Pattern {
    /// A 12-digit account id.
    public static let accountID = FieldReader.Pattern("a 12-digit account id") { ARN.isAccountID($0) }
    /// A region name: lowercase ASCII letters, digits and `-`.
    public static let region = FieldReader.Pattern("a region name like us-east-1") { s in
        !s.isEmpty && s.utf8.allSatisfy(isRegionByte)
    }

    private static func isRegionByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D
    }
}
