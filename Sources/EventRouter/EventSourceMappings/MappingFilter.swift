/// An event source mapping's `FilterCriteria`: a record is handed to the function when any of
/// the patterns matches it (EventBridge pattern syntax, as Lambda's filters use). The record's
/// data (`body` of an SQS record, `data` of a Kinesis record) is matched as JSON when it is a
/// JSON object, as Lambda does, and as a plain string otherwise.
struct MappingFilter: Sendable {
    let patterns: [EventPattern]

    var isEmpty: Bool { patterns.isEmpty }

    /// The filter of `texts` (each already validated when the mapping was read); a text that
    /// no longer parses is left out.
    static func compiled(_ texts: [String]) -> MappingFilter {
        MappingFilter(patterns: texts.compactMap { try? EventPattern(parsing: $0) })
    }

    /// Whether `record` passes: no patterns, or one matches. The string at `bodyKey` is parsed
    /// first when it holds a JSON object.
    func matches(_ record: JSONValue, bodyKey: String) -> Bool {
        guard !patterns.isEmpty else { return true }
        var subject = record
        if case .object(var o) = record, let text = o[bodyKey]?.stringValue,
           let parsed = try? JSONParser.parse(text), parsed.objectValue != nil {
            o[bodyKey] = parsed
            subject = .object(o)
        }
        return patterns.contains { $0.matches(subject) }
    }
}
