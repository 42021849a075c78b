import Testing
@testable import EventRouter

/// PutEvents keeps a detail as text and writes the envelope directly (issue 11, performance):
/// the text must be byte for byte what serialising the parsed event writes.
@Suite struct EventTextTests {
    static let details: [String] = [
        "{}", #"{"a":1}"#, #"{ "a" : [ 1 , 2.50 , -0 , 1e5 , 1E-3 , true , false , null ] , "b" : { } }"#,
        "\n\t{\"x\": \"héllo ✓ 😀\",\r\n \"y\": [[], [{}], \"  spaced  \"]}  ",
        #"{"esc": "a\"b\\c\/d\u00e9\n"}"#, #"{"dup": 1, "dup": 2}"#, #"{"n": 12345678901234567890123}"#,
        String(repeating: #"{"d":"#, count: 70) + "1" + String(repeating: "}", count: 70),
        // Strings read eight bytes at a time: quotes, escapes and whitespace at every offset of a word.
        #"{"a long key of many words": "a long value of many words, spaces kept", "k": [ "x" , "0123456789abcdef" ]}"#,
        #"{"0123456":"7", "01234567":"89abcdefg", "é✓😀 non-ASCII across words": " spaced   value "}"#,
        #"{"long with an escape near the end \n": 1, "tail": "............\"............"}"#,
    ]

    @Test(arguments: details)
    func putEventsTextEqualsTheSerialisedEvent(detail: String) throws {
        let router = Router(clock: ManualClock(), random: SharedRandom(seed: 1))
        for (source, detailType, resources) in [("shop", "Placed", [String]()), ("sh\"op\\", "Tab\there", ["arn:x", "q\"uote", "ctl\u{01}"])] {
            let entry = PutEventsEntry(source: source, detailType: detailType, detail: detail, resources: resources)
            guard case .success(let (event, _)) = router.makeEvent(entry, now: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_123_456_789)) else {
                Issue.record("entry refused: \(detail)")
                continue
            }
            let parsed = try JSONParser.parse(detail)
            #expect(event.detail == parsed)
            #expect(event.jsonText == JSONSerializer.serialize(event.json))
            let reference = Event(id: event.id, detailType: detailType, source: source, account: event.account, time: event.time,
                                  region: event.region, resources: resources, detail: parsed)
            #expect(event.jsonText == reference.jsonText)
            #expect(event.json == reference.json)
            #expect(event.size == reference.size)
            #expect(event == reference)
        }
    }

    static let compacted: [(String, String)] = [
        ("{}", "{}"), (#" { "a" : [ 1 , { } ] } "#, #"{"a":[1,{}]}"#), (#"{"s":" keep  this "}"#, #"{"s":" keep  this "}"#),
        ("{ \"a long key, many words\" : \" a value with  spaces inside \" ,\t\"b\" : [ 1 , \"two\" ] }", #"{"a long key, many words":" a value with  spaces inside ","b":[1,"two"]}"#),
    ]

    /// The compact count is the length of the compact text, which the writer reproduces.
    @Test(arguments: details + compacted.map(\.0))
    func compactCountIsTheCompactTextsLength(text: String) {
        guard let compact = JSONCompactText.canonicalObject(text) else { return }
        #expect(JSONCompactText.compactCount(text) == compact.utf8.count)
        #expect(compact.utf8.count <= text.utf8.count)
    }

    @Test(arguments: compacted)
    func compactTextDropsOnlyInsignificantWhitespace(text: String, compact: String) {
        #expect(JSONCompactText.canonicalObject(text) == compact)
    }

    /// Anything the serialiser would write differently, anything malformed or not an object is
    /// left to the parser (`nil`).
    static let declined: [String] = [
        "[]", "1", #""s""#, "", "{", #"{"a":}"#, #"{"a":1,}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":tru}"#, #"{"a":"\n"}"#,
        #"{"a":"\u0041"}"#, "{\"a\":\"\u{01}\"}", #"{"a":1} x"#, String(repeating: "[", count: 80),
        "{\"d\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}",
        #"{"a long string with an escape \" at byte 31": 1}"#, "{\"a long string with a tab\u{09} at byte 26\": 1}",
        #"{"0123456\"": 1}"#, "{\"a\": \"0123456789abcdef\u{1F}\"}", #"{"unterminated long string": "0123456789abcdef}"#,
    ]

    @Test(arguments: declined)
    func compactTextDeclinesWhatTheParserMustRead(text: String) {
        #expect(JSONCompactText.canonicalObject(text) == nil)
    }

    @Test func timeTextIsFormattedPerSecond() {
        let cache = EventTimeText()
        for nanos: Int64 in [0, 999_999_999, 1_000_000_000, -1, -1_000_000_000, -1_000_000_001, 1_700_000_000_500_000_000, 1_700_000_000_600_000_000] {
            let time = Timestamp(nanosecondsSinceEpoch: nanos)
            #expect(cache.text(for: time) == time.iso8601)
        }
    }

    /// The UUID written straight into a string is the text the byte-array encoder gave.
    @Test func uuidTextIsUnchanged() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let a = generator.next(), b = generator.next()
            var bytes = [UInt8](repeating: 0, count: 16)
            for i in 0..<8 {
                bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i)))
                bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i)))
            }
            bytes[6] = (bytes[6] & 0x0F) | 0x40
            bytes[8] = (bytes[8] & 0x3F) | 0x80
            #expect(Hex.uuid(a, b) == Hex.uuid(bytes))
        }
    }
}
