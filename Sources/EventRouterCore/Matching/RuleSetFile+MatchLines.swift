extension RuleSetFile {
    /// What ``matchLines(_:with:_:)`` found for one line of NDJSON events.
    public enum LineMatch: Sendable, Equatable {
        /// The indexes of the patterns that match the event, ascending.
        case matched([Int])
        /// Why the line is not an event that can be matched: `line N: REASON`.
        case failed(String)

        /// The line `eventrouter match` prints: `[0,2]`, or `{"error":"line N: …"}`.
        public var outputLine: String {
            switch self {
            case .matched(let ids): "[" + ids.map(String.init).joined(separator: ",") + "]"
            case .failed(let message): "{\"error\":\(JSONSerializer.serialize(.string(message)))}"
            }
        }
    }

    /// Matches every non-blank line of `events` (NDJSON) with `matcher`, telling `body` each
    /// line's result in order, as `eventrouter match` does: a line that is not valid JSON or not
    /// a JSON object fails alone (as `test-event-pattern` rejects it).
    /// - Parameter body: returns `false` to stop.
    /// - Returns: the lines read and the (event, pattern) matches found.
    @discardableResult
    public static func matchLines(_ events: [UInt8], with matcher: inout RuleMatcher,
                                  _ body: (LineMatch) -> Bool) -> (lines: Int, matches: Int) {
        let lines = lines(events)
        var ids: [Int] = []
        var matches = 0
        events.withUnsafeBytes { raw in
            for (line, range) in lines {
                let slice = UnsafeRawBufferPointer(rebasing: raw[range])
                do {
                    try matcher.matches(eventUTF8: slice, into: &ids)
                    try requireObject(slice)
                } catch {
                    if !body(.failed("line \(line): \(error)")) { return }
                    continue
                }
                matches += ids.count
                if !body(.matched(ids)) { return }
            }
        }
        return (lines.count, matches)
    }
}
