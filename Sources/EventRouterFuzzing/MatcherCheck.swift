import EventRouter
import Synchronization

/// The differential property shared by the targets: for one event text, the compiled matcher
/// must refuse exactly what ``JSONParser`` refuses, and otherwise give the rules whose reference
/// ``EventPattern/matches(_:)`` holds — from the text and from the parsed value alike.
struct MatcherCheck {
    let patterns: [EventPattern]
    var matcher: RuleMatcher

    init(_ patterns: [EventPattern]) {
        self.patterns = patterns
        matcher = RuleMatcher()
        for (i, p) in patterns.enumerated() { matcher.add(p, id: i) }
        matcher.prepare()
    }

    /// Checks the event `text`; returns its parsed value (nil when it is not JSON).
    @discardableResult
    mutating func check(_ text: ArraySlice<UInt8>) throws(FuzzFailure) -> JSONValue? {
        let bytes = Array(text)
        var ids: [Int] = []
        var compiledError: EventMatchError?
        do { try matcher.matches(eventUTF8: bytes, into: &ids) } catch { compiledError = error }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(bytes: bytes)
        } catch {
            try require(compiledError != nil, "JSONParser refuses the event (\(error)) but the compiled matcher matched \(ids)")
            return nil
        }
        if let compiledError { throw FuzzFailure("the compiled matcher refuses a valid event: \(compiledError)") }
        let expected = EventPattern.referenceMatches(patterns, parsed)
        try require(ids == expected, "compiled matcher \(ids), reference \(expected)")
        let fromValue = matcher.matches(parsed)
        try require(fromValue == expected, "compiled matcher on the parsed value \(fromValue), reference \(expected)")
        return parsed
    }
}

/// A ``MatcherCheck`` compiled once and shared by the executions of a target (the matcher
/// reuses its buffers, so it is used under a lock).
final class SharedMatcherCheck: Sendable {
    private let state: Mutex<MatcherCheck>

    init(_ patterns: [EventPattern]) { state = Mutex(MatcherCheck(patterns)) }

    /// ``MatcherCheck/check(_:)``.
    @discardableResult
    func check(_ text: ArraySlice<UInt8>) throws(FuzzFailure) -> JSONValue? {
        try state.withLock { (c: inout MatcherCheck) throws(FuzzFailure) -> JSONValue? in try c.check(text) }
    }
}
