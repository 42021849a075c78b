import Testing
@testable import EventRouter

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        (" false ", .bool(false)),
        ("\"a\\u00e9\\n\"", .string("aé\n")),
        ("\"\\ud83d\\ude00\"", .string("😀")),
        ("[1, -2.5e3, 0]", .array([1, -2500, 0])),
        ("{\"a\": {\"b\": []}}", JSONValue.object(JSONObject([.init(key: "a", value: ["b": JSONValue.array([])])]))),
    ])
    func parsesValidDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test(arguments: [
        ("", 0, "expected a JSON value, found end of input"),
        ("{\"a\" 1}", 5, "expected ':' after object key \"a\", found '1'"),
        ("[1,]", 3, "expected a JSON value, found ']'"),
        ("{\"a\":1,}", 7, "expected a string key in the object, found '}'"),
        ("01", 1, "a number must not have a leading zero"),
        ("1.", 2, "expected a digit after the decimal point, found end of input"),
        ("\"abc", 0, "unterminated string"),
        ("\"a\tb\"", 2, "control character 0x9 must be escaped inside a string"),
        ("\"\\x\"", 1, "invalid escape '\\x' in string"),
        ("\"\\ud800\"", 7, "high surrogate \\ud800 is not followed by a low surrogate"),
        ("tru", 0, "expected 'true'"),
        ("1 2", 2, "expected end of input after the JSON value, found '2'"),
        ("{'a':1}", 1, "expected a string key in the object, found '''"),
    ])
    func reportsOffsetAndExpectation(text: String, offset: Int, reason: String) {
        #expect(throws: JSONParseError(offset: offset, reason: reason)) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError(offset: 1, reason: "string is not valid UTF-8")) {
            try JSONParser.parse(bytes: bytes)
        }
    }

    @Test func nestingLimitIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(throws: JSONParseError(offset: 1100, reason: "nesting deeper than 1100 levels")) {
            try JSONParser.parse(deep)
        }
        let ok = String(repeating: "[", count: 1100) + String(repeating: "]", count: 1100)
        _ = try JSONParser.parse(ok)
    }

    @Test func duplicateKeysAreDetectableOnRequest() throws {
        let text = "{\"a\":1,\"b\":2,\"a\":3}"
        let value = try JSONParser.parse(text)
        #expect(value["a"] == 3)
        #expect(value.objectValue?.firstDuplicateKey == "a")
        #expect(throws: JSONParseError(offset: 13, reason: "duplicate key \"a\" in object")) {
            try JSONParser.parse(text, options: .init(rejectDuplicateKeys: true))
        }
    }

    @Test func numbersCompareByValueAndKeepTheirText() throws {
        let a = try JSONParser.parse("300")
        let b = try JSONParser.parse("300.0")
        let c = try JSONParser.parse("3e2")
        #expect(a == b && b == c)
        #expect(a != JSONValue.string("300"))
        #expect(b.jsonText == "300.0")
    }

    @Test func serializerRoundTripsAndEscapes() throws {
        let text = #"{"k":"q\"b\\n\n\u0001","n":[1.50,-0,true,null],"e":{}}"#
        let value = try JSONParser.parse(text)
        #expect(value.jsonText == #"{"k":"q\"b\\n\n\u0001","n":[1.50,-0,true,null],"e":{}}"#)
        #expect(try JSONParser.parse(value.jsonText) == value)
    }
}
