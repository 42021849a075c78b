@testable import EventRouter

/// Parses `pattern` and `event` text and runs the reference matcher.
func patternMatches(_ pattern: String, _ event: String) throws -> Bool {
    let compiled = try EventPattern(parsing: pattern)
    return compiled.matches(try JSONParser.parse(event))
}

/// The error text a pattern is rejected with, or `nil` when it is valid.
func patternError(_ pattern: String) -> String? {
    do {
        _ = try EventPattern(parsing: pattern)
        return nil
    } catch {
        return error.description
    }
}
