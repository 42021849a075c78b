import EventRouter

/// The JSON parser: a parsed value serializes to text that parses back to the same value and
/// serializes to the same text; the strict reader (duplicate keys refused) agrees where it
/// accepts; and the matcher's byte-level event reader refuses exactly what the parser refuses
/// and matches as the reference does.
struct JSONParserTarget: FuzzTarget {
    let name = "json"
    let summary = "JSONParser: parse → serialize → parse round trip, strict-mode agreement, event reader accepts exactly what the parser accepts"
    let maximumInputSize = 8192

    /// Patterns over the keys the seeds use, so the event reader descends into real paths.
    static let check = SharedMatcherCheck([
        #"{"a": [{"exists": true}]}"#, #"{"a": {"b": ["x", 1]}}"#, #"{"": [{"exists": false}]}"#,
        #"{"é": {"k": [{"prefix": "x"}]}}"#, #"{"detail": {"items": {"id": [{"numeric": [">", 0]}]}}}"#,
        #"{"source": [{"anything-but": "y"}]}"#,
    ].compactMap { try? EventPattern(parsing: $0) })

    var seeds: [[UInt8]] {
        [
            #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, #"[]"#, #"{}"#, #""x""#, "0", "-1.5e-7", "true",
            #"{"a.b":"x","a":{"b":1},"":"","é":{"k":"xy"}}"#, #"{"detail":{"items":[{"id":1},{"id":-2}]}}"#,
            #"["\u00e9\ud83d\ude00\n\t\"\\\/",1e308,-0,123456789012345678901234567890]"#,
            #"{"a":1,"a":2}"#, "  {\"source\" : \"y\" , \"pad\" : \"xxxxxxxx\"}  ", "[[[[[[[[[[1]]]]]]]]]]",
        ].map(\.bytes)
    }

    var dictionary: [[UInt8]] { ["\"a\":", "\"a.b\":", "\"\":", "\"detail\":", "\"items\":", "\"id\":", "\"source\":"].map(\.bytes) }

    func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
        guard let value = try Self.check.check(input[...]) else {
            if let strict = try? JSONParser.parse(bytes: input, options: .init(rejectDuplicateKeys: true)) {
                throw FuzzFailure("the strict parser accepts what the default parser refuses: \(JSONSerializer.serialize(strict))")
            }
            return .rejected
        }
        let text = JSONSerializer.serialize(value)
        let again: JSONValue
        do { again = try JSONParser.parse(text) } catch { throw FuzzFailure("serialized text does not parse (\(error)): \(text)") }
        try require(again == value, "the round trip changes the value: \(text)")
        try require(JSONSerializer.serialize(again) == text, "serializing twice gives different text: \(text)")
        if let strict = try? JSONParser.parse(bytes: input, options: .init(rejectDuplicateKeys: true)) {
            try require(strict == value, "the strict parser reads a different value")
        }
        return .accepted
    }
}
