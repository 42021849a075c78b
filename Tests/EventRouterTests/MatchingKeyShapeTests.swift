import Testing
@testable import EventRouter

/// Event keys of unusual shapes, where the compiled matcher once disagreed with the reference:
/// each row is rules, an event, and the rules both must match.
@Suite("Matching: unusual key shapes agree with the reference")
struct MatchingKeyShapeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rules: [String]
        let event: String
        let expected: [Int]
        var testDescription: String { event }
    }

    static let cases: [Case] = [
        // The empty name with eight or more bytes after it (the one-word fast path).
        Case(rules: [#"{"":["abc"]}"#], event: #"{"":"abc","pad":"xxxxxxxx"}"#, expected: [0]),
        Case(rules: [#"{"":["abc"]}"#], event: #"{"":"abc"}"#, expected: [0]),
        Case(rules: [#"{"a":{"":[1]}}"#], event: #"{"a":{"":1,"long-padding-key":true}}"#, expected: [0]),
        // A dotted ASCII key whose path passes through a node with a non-ASCII name.
        Case(rules: [#"{"x":{"b":["z"]}}"#, #"{"x":{"ä":["k"]}}"#], event: #"{"x.b":"z"}"#, expected: [0]),
        Case(rules: [#"{"x":{"b":["z"]}}"#, #"{"x":{"ä":["k"]}}"#], event: #"{"x.ä":"k"}"#, expected: [1]),
        // A dot followed by a combining mark is one Character but still separates names.
        Case(rules: [#"{"a":{"\u0301b":[1]}}"#], event: #"{"a.\u0301b":1}"#, expected: [0]),
        Case(rules: [#"{"a.\u0301b":[1]}"#], event: #"{"a":{"\u0301b":1}}"#, expected: [0]),
        // Canonically equivalent names in two rules are one field, as in the reference.
        Case(rules: [#"{"é":{"x":[1]}}"#, #"{"e\u0301":{"y":[2]}}"#], event: #"{"é":{"y":2}}"#, expected: [1]),
        Case(rules: [#"{"é":{"x":[1]}}"#, #"{"e\u0301":{"y":[2]}}"#], event: #"{"e\u0301":{"x":1}}"#, expected: [0]),
    ]

    @Test("compiled and reference matchers give the expected rules", arguments: cases)
    func agrees(_ c: Case) throws {
        let patterns = try c.rules.map { try EventPattern(parsing: $0) }
        var matcher = RuleMatcher()
        for (i, p) in patterns.enumerated() { matcher.add(p, id: i) }
        let reference = try patterns.indices.filter { patterns[$0].matches(try JSONParser.parse(c.event)) }
        #expect(reference == c.expected, "reference")
        #expect(try matcher.matches(eventText: c.event) == c.expected, "compiled")
    }

    @Test("a key of up to eight bytes hashes the same as a word and as bytes")
    func wordHashEqualsByteHash() {
        let text: [UInt8] = Array("abcdefgh".utf8)
        for count in 0...8 {
            var word: UInt64 = 0
            for k in 0..<count { word |= UInt64(text[k]) << (8 * UInt64(k)) }
            let bytes = text.withUnsafeBufferPointer { ByteKeyTable.hash($0.baseAddress, count, tag: 3) }
            #expect(ByteKeyTable.hash(word: word, count, tag: 3) == bytes, "\(count) bytes")
        }
    }
}
