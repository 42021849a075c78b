import Testing
@testable import EventRouter

/// The byte-level event reader accepts exactly what ``JSONParser`` accepts, and on what it
/// accepts the matcher agrees with the reference: checked on seeded random mutations of
/// events with long strings, long numbers, escapes and non-ASCII text.
@Suite("Matching: event reader agrees with JSONParser")
struct MatchingScannerTests {
    static let seeds = [
        #"{"a": "abcdefghijklmnopqrstuvwxyz0123456789", "b": {"c": [1234567890123456789012, -0.000123e+45, 7]}, "z": ["x\"y\\z\u00e9\ud83d\ude00", null, true, false, {}]}"#,
        #"{"a": ["é", "long string with spaces and \t tab escapes \n", 3.14159265358979323846], "b": {"c": "x.y"}, "a.b": 12345678.12345678}"#,
        #"{"z": {"q": [[[[{"a": "1"}]]]], "r": "\/\u0041\u00E9"}, "c": 0, "b": [{"c": 1}, {"c": "2"}]}"#,
    ]
    static let patterns = [
        #"{"a": [{"exists": true}]}"#, #"{"b": {"c": [{"numeric": [">", 0]}]}}"#, #"{"a": [{"prefix": "ab"}]}"#,
        #"{"z": {"q": {"a": ["1"]}}}"#, #"{"a": {"b": [{"exists": false}]}}"#, #"{"c": [0]}"#,
    ]
    static let interesting: [UInt8] = Array(#""\{}[],:01.e-+ un/"#.utf8) + [0x01, 0x1F, 0x7F, 0xC3, 0xA9, 0xE2, 0xED, 0xF0, 0xFF, 0x80]

    @Test("random mutations: same verdict as JSONParser, same matches as the reference", arguments: [11, 12, 13] as [UInt64])
    func mutations(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let patterns = try Self.patterns.map { try EventPattern(parsing: $0) }
        var matcher = RuleMatcher()
        for (i, p) in patterns.enumerated() { matcher.add(p, id: i) }
        var ids: [Int] = []
        var valid = 0
        var invalid = 0
        for round in 0..<900 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<(1 + Int(g.next() % 3)) {
                let at = Int(g.next() % UInt64(bytes.count))
                let b = Self.interesting[Int(g.next() % UInt64(Self.interesting.count))]
                switch g.next() % 3 {
                case 0: bytes[at] = b
                case 1: bytes.insert(b, at: at)
                default: bytes.remove(at: at)
                }
            }
            let reference = try? JSONParser.parse(bytes: bytes)
            var threw = false
            do {
                try matcher.matches(eventUTF8: bytes, into: &ids)
            } catch {
                threw = true
            }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(threw == (reference == nil), "\(text)")
            if let reference {
                valid += 1
                if !threw { #expect(ids == patterns.indices.filter { patterns[$0].matches(reference) }, "\(text)") }
            } else {
                invalid += 1
            }
        }
        #expect(valid > 50 && invalid > 50)
    }

    @Test("strings and numbers of every length around the 8-byte steps")
    func lengths() throws {
        var matcher = RuleMatcher()
        matcher.add(try EventPattern(parsing: #"{"s": [{"suffix": "!"}]}"#), id: 1)
        matcher.add(try EventPattern(parsing: #"{"n": [{"numeric": [">", 0]}]}"#), id: 2)
        for length in 0..<40 {
            let body = String(repeating: "a", count: length)
            #expect(try matcher.matches(eventText: #"{"s": "\#(body)!", "t": "\#(body)"}"#) == [1])
            let digits = "1" + String(repeating: "0", count: length)
            #expect(try matcher.matches(eventText: #"{"n": \#(digits).\#(digits), "m": \#(digits)}"#) == (length < 10 ? [2] : []))
            for special in [#"\""#, "\\\\", "é"] {
                let text = #"{"t": "\#(body)\#(special)\#(body)", "s": "x!"}"#
                #expect(try matcher.matches(eventText: text) == [1], "\(text)")
            }
            let control = Array(#"{"t": "\#(body)"#.utf8) + [0x01] + Array(#""}"#.utf8)
            #expect(MatchingRuleMatcherTests.failure(&matcher, control) != nil)
            let number = Array(#"{"n": 1\#(String(repeating: "0", count: length))x}"#.utf8)
            #expect(MatchingRuleMatcherTests.failure(&matcher, number) != nil)
        }
    }

    @Test("numbers read from bytes equal Double(text) bit for bit")
    func numbers() {
        var g = SeededGenerator(seed: 99)
        var texts = ["0", "-0", "1", "-1.5", "0.1", "123456789012345678", "1234567890123456789", "12345678901234567890",
                     "-122.42916360922355", "37.729900216217324", "9007199254740993", "0.000000000000000000000000001",
                     "1e5", "2.5E-3", "4.35", "0.30000000000000004", "179769313486231570000000000000000000000"]
        for _ in 0..<8_000 {
            let digits = 1 + Int(g.next() % 19)
            var t = (0..<digits).map { _ in String(g.next() % 10) }.joined()
            while t.count > 1 && t.hasPrefix("0") { t.removeFirst() }
            let point = Int(g.next() % UInt64(t.count + 1))
            if point > 0 && point < t.count {
                t.insert(".", at: t.index(t.startIndex, offsetBy: point))
            } else if point == 0 {
                t = "0." + t
            }
            texts.append(g.next() % 2 == 0 ? "-" + t : t)
        }
        for t in texts {
            let bytes = Array(t.utf8)
            let parsed = bytes.withUnsafeBufferPointer { EventScanner.parseDouble($0.baseAddress!, $0.count) }
            let expected = Double(t) ?? .nan
            #expect(parsed.bitPattern == expected.bitPattern, "\(t)")
        }
    }

    @Test("many matching rules come out sorted")
    func sortedOutput() throws {
        var matcher = RuleMatcher()
        var g = SeededGenerator(seed: 5)
        let ids = (0..<300).map { _ in Int(g.next() % 1_000_000) }
        for id in ids { matcher.add(try EventPattern(parsing: #"{"a": [{"exists": true}]}"#), id: id) }
        #expect(try matcher.matches(eventText: #"{"a": 1}"#) == Set(ids).sorted())
    }

    @Test("keys of every length are found past the key filter, near misses are not")
    func keyFilter() throws {
        let names = (0..<13).map { String(repeating: "k", count: $0) } + ["a", "ab", "axb", "source", "detail-type", "é"]
        var patterns: [EventPattern] = []
        var matcher = RuleMatcher()
        for (i, name) in names.enumerated() {
            let p = try EventPattern(json: .object(JSONObject([.init(key: "o", value: .object(JSONObject([.init(key: name, value: .array([.string("v")]))])))])))
            patterns.append(p)
            matcher.add(p, id: i)
        }
        // Each name, and a near miss with the same length, first and last byte.
        var keys = names
        keys += ["kxk", "kkkkkxkkkkkk", "ayb", "sxurce", "detail-typf", "e", ""]
        for key in keys {
            let event = JSONValue.object(JSONObject([.init(key: "o", value: .object(JSONObject([.init(key: key, value: .string("v"))])))]))
            let text = JSONSerializer.serialize(event)
            let expected = patterns.indices.filter { patterns[$0].matches(event) }
            #expect(try matcher.matches(eventText: text) == expected, "\(text)")
        }
    }
}
