import Testing
@testable import EventRouter

/// The normal form the compiled matcher relies on.
@Suite struct PatternNormalFormTests {
    private func conditions(_ text: String) throws -> [FieldCondition] {
        let pattern = try EventPattern(parsing: text)
        try #require(pattern.alternatives.count == 1)
        return pattern.alternatives[0].conditions
    }

    @Test func pathsAreSplitOnDotsAndSortedByBytes() throws {
        let c = try conditions(#"{"z": ["1"], "a.b": ["2"], "a-b": ["3"], "a": {"c.d": ["4"]}}"#)
        #expect(c.map(\.path) == [["a-b"], ["a", "b"], ["a", "c", "d"], ["z"]])
        #expect(c.map(\.pathKey) == ["a-b", "a.b", "a.c.d", "z"])
    }

    @Test func laterKeyForTheSamePathWins() throws {
        let c = try conditions(#"{"a.b": ["x"], "a": {"b": ["y"]}}"#)
        #expect(c == [FieldCondition(path: ["a", "b"], matchers: [.exactString("y")])])
    }

    @Test(arguments: [
        (#"{"wildcard": "abc"}"#, ValueMatcher.exactString("abc")),
        (#"{"wildcard": "a\\*c"}"#, .exactString("a*c")),
        (#"{"wildcard": "ab*"}"#, .prefix("ab")),
        (#"{"wildcard": "*ab"}"#, .suffix("ab")),
        (#"{"wildcard": "*"}"#, .prefix("")),
        (#"{"wildcard": "a*b"}"#, .wildcard("a*b")),
        (#"{"wildcard": "*a*"}"#, .wildcard("*a*")),
        (#"{"equals-ignore-case": "AbC"}"#, .equalsIgnoreCase("abc")),
        (#"{"prefix": {"equals-ignore-case": "ÀB"}}"#, .prefixIgnoreCase("àb")),
        (#"{"suffix": {"equals-ignore-case": "XY"}}"#, .suffixIgnoreCase("xy")),
        (#"{"numeric": ["=", 3]}"#, .numeric(NumericRange(lower: 3, lowerInclusive: true, upper: 3, upperInclusive: true))),
        (#"{"numeric": [">", 1, "<=", 2]}"#, .numeric(NumericRange(lower: 1, lowerInclusive: false, upper: 2, upperInclusive: true))),
        (#"{"numeric": ["<", 2]}"#, .numeric(NumericRange(lower: nil, lowerInclusive: false, upper: 2, upperInclusive: false))),
        (#"{"cidr": "10.1.2.3/16"}"#, .cidr(CIDRBlock(address: [10, 1, 0, 0], prefixLength: 16))),
        (#"{"cidr": "10.1.2.3/0"}"#, .cidr(CIDRBlock(address: [0, 0, 0, 0], prefixLength: 0))),
        (#""10.1.2.3""#, .cidr(CIDRBlock(address: [10, 1, 2, 3], prefixLength: 32))),
        (#""::1""#, .cidr(CIDRBlock(address: Array(repeating: 0, count: 15) + [1], prefixLength: 128))),
        (#""1.2.3""#, .exactString("1.2.3")),
        (#"{"exactly": "10.1.2.3"}"#, .exactString("10.1.2.3")),
        (#"{"anything-but": ["b", "a", "b"]}"#, .anythingBut(.values(strings: ["b", "a"], numbers: []))),
        (#"{"anything-but": 2.50}"#, .anythingBut(.values(strings: [], numbers: [2.5]))),
        (#"{"anything-but": {"equals-ignore-case": ["X", "x"]}}"#, .anythingBut(.equalsIgnoreCase(["x"]))),
        (#"{"anything-but": {"prefix": "p"}}"#, .anythingBut(.prefixes(["p"]))),
    ])
    func matcherNormalForm(value: String, expected: ValueMatcher) throws {
        let c = try conditions("{\"f\": [\(value)]}")
        #expect(c.first?.matchers == [expected])
    }

    @Test func duplicateMatchersAreRemoved() throws {
        let c = try conditions(#"{"f": ["x", "x", 1, 1.0, {"prefix": "p"}, {"prefix": "p"}]}"#)
        #expect(c.first?.matchers == [.exactString("x"), .exactNumber(1), .prefix("p")])
    }

    @Test func orExpandsToAlternatives() throws {
        let pattern = try EventPattern(parsing: #"{"s": ["x"], "$or": [{"a": ["1"]}, {"b": ["2"], "$or": [{"c": ["3"]}, {"d": ["4"]}]}], "t": ["y"]}"#)
        let keys = pattern.alternatives.map { $0.conditions.map(\.pathKey) }
        #expect(keys == [["a", "s", "t"], ["b", "c", "s", "t"], ["b", "d", "s", "t"]])
    }
}
