/// Reading the inputs of `eventrouter match` and the pattern benchmark: a JSON array of
/// event patterns (rule i is element i) and NDJSON event text.
public enum RuleSetFile {
    /// Parses a JSON array of event patterns.
    /// - Throws: ``RuleSetError`` naming the rule index and the pattern error, or why the text
    ///   is not a JSON array.
    public static func patterns(fromJSON bytes: [UInt8]) throws(RuleSetError) -> [EventPattern] {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes: bytes, options: .init(rejectDuplicateKeys: true))
        } catch {
            throw RuleSetError(rule: nil, message: "the rules file is not valid JSON: \(error)")
        }
        guard case .array(let elements) = json else {
            throw RuleSetError(rule: nil, message: "the rules file must hold a JSON array of event patterns, not \(json.kindName == "object" ? "an object" : "a " + json.kindName)")
        }
        var patterns: [EventPattern] = []
        patterns.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            do {
                patterns.append(try EventPattern(json: element))
            } catch {
                throw RuleSetError(rule: i, message: "\(error)")
            }
        }
        return patterns
    }

    /// A matcher holding `patterns`, rule i under id i, compiled.
    public static func matcher(_ patterns: [EventPattern]) -> RuleMatcher {
        var matcher = RuleMatcher()
        for (i, p) in patterns.enumerated() { matcher.add(p, id: i) }
        matcher.prepare()
        return matcher
    }

    /// The non-blank lines of NDJSON text: 1-based line number and byte range (without the
    /// line break; a CR before LF is dropped too), as ``TextLines`` reads them.
    public static func lines(_ bytes: [UInt8]) -> [(line: Int, range: Range<Int>)] {
        TextLines.ranges(in: bytes)
    }
}

/// A rules file that cannot be used.
public struct RuleSetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The index of the offending rule, when one rule is at fault.
    public var rule: Int?
    /// What is wrong (for a rule: the pattern error, naming the path inside the pattern).
    public var message: String
    public init(rule: Int?, message: String) {
        self.rule = rule
        self.message = message
    }
    public var description: String { rule.map { "rule \($0): \(message)" } ?? message }
}
