import Testing
@testable import EventRouter

/// One table per operator family: (pattern, event, expected match).
@Suite struct PatternOperatorTests {
    @Test(arguments: [
        (#"{"a": ["x"]}"#, #"{"a": "x"}"#, true),
        (#"{"a": ["x"]}"#, #"{"a": "X"}"#, false),
        (#"{"a": ["x", "y"]}"#, #"{"a": "y"}"#, true),
        (#"{"a": ["x"]}"#, #"{"b": "x"}"#, false),
        (#"{"a": ["é"]}"#, #"{"a": "e\u0301"}"#, false),
        (#"{"a": [true]}"#, #"{"a": true}"#, true),
        (#"{"a": [true]}"#, #"{"a": "true"}"#, false),
        (#"{"a": [false]}"#, #"{"a": true}"#, false),
        (#"{"a": [null]}"#, #"{"a": null}"#, true),
        (#"{"a": [null]}"#, #"{"a": "null"}"#, false),
        (#"{"a": [null]}"#, #"{}"#, false),
        (#"{"a": [{"exactly": "x"}]}"#, #"{"a": "x"}"#, true),
        (#"{"a": [{"exactly": "x"}]}"#, #"{"a": "xy"}"#, false),
    ])
    func exactValues(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"a": [300]}"#, #"{"a": 300}"#, true),
        (#"{"a": [300]}"#, #"{"a": 300.0}"#, true),
        (#"{"a": [300]}"#, #"{"a": 3e2}"#, true),
        (#"{"a": [300.0]}"#, #"{"a": 300}"#, true),
        (#"{"a": [300]}"#, #"{"a": "300"}"#, false),
        (#"{"a": ["300"]}"#, #"{"a": 300}"#, false),
        (#"{"a": [300]}"#, #"{"a": 300.5}"#, false),
        (#"{"a": [-0]}"#, #"{"a": 0}"#, true),
        (#"{"a": [123456789012]}"#, #"{"a": 123456789012}"#, true),
        (#"{"a": [0.1]}"#, #"{"a": 0.10}"#, true),
    ])
    func numberEquality(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"a": [{"prefix": "ab"}]}"#, #"{"a": "abc"}"#, true),
        (#"{"a": [{"prefix": "ab"}]}"#, #"{"a": "ab"}"#, true),
        (#"{"a": [{"prefix": "ab"}]}"#, #"{"a": "a"}"#, false),
        (#"{"a": [{"prefix": "ab"}]}"#, #"{"a": "xab"}"#, false),
        (#"{"a": [{"prefix": ""}]}"#, #"{"a": ""}"#, true),
        (#"{"a": [{"prefix": "1"}]}"#, #"{"a": 12}"#, false),
        (#"{"a": [{"suffix": ".png"}]}"#, #"{"a": "x.png"}"#, true),
        (#"{"a": [{"suffix": ".png"}]}"#, #"{"a": "x.PNG"}"#, false),
        (#"{"a": [{"suffix": ".png"}]}"#, #"{"a": "png"}"#, false),
        (#"{"a": [{"suffix": "界"}]}"#, #"{"a": "世界"}"#, true),
        (#"{"a": [{"prefix": {"equals-ignore-case": "EvEnT"}}]}"#, #"{"a": "eventbridge"}"#, true),
        (#"{"a": [{"prefix": {"equals-ignore-case": "event"}}]}"#, #"{"a": "EVENTBRIDGE"}"#, true),
        (#"{"a": [{"prefix": {"equals-ignore-case": "event"}}]}"#, #"{"a": "EVEN"}"#, false),
        (#"{"a": [{"suffix": {"equals-ignore-case": ".PNG"}}]}"#, #"{"a": "cat.png"}"#, true),
        (#"{"a": [{"suffix": {"equals-ignore-case": ".png"}}]}"#, #"{"a": "cat.jpg"}"#, false),
        (#"{"a": [{"equals-ignore-case": "AlPhA"}]}"#, #"{"a": "ALPHA"}"#, true),
        (#"{"a": [{"equals-ignore-case": "alpha"}]}"#, #"{"a": "alphas"}"#, false),
        (#"{"a": [{"equals-ignore-case": "ÉTÉ"}]}"#, #"{"a": "été"}"#, true),
        (#"{"a": [{"equals-ignore-case": "été"}]}"#, #"{"a": "ÉTÉ"}"#, true),
        (#"{"a": [{"suffix": {"equals-ignore-case": "é"}}]}"#, #"{"a": "CAFÉ"}"#, true),
        (#"{"a": [{"equals-ignore-case": "1"}]}"#, #"{"a": 1}"#, false),
    ])
    func prefixSuffixAndIgnoreCase(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"a": [{"wildcard": "*.png"}]}"#, #"{"a": "dir/x.png"}"#, true),
        (#"{"a": [{"wildcard": "dir/*/x.png"}]}"#, #"{"a": "dir/a/b/x.png"}"#, true),
        (#"{"a": [{"wildcard": "dir/*/x.png"}]}"#, #"{"a": "dir/x.png"}"#, false),
        (#"{"a": [{"wildcard": "*a*b*"}]}"#, #"{"a": "xxbxxa"}"#, false),
        (#"{"a": [{"wildcard": "*a*b*"}]}"#, #"{"a": "ab"}"#, true),
        (#"{"a": [{"wildcard": "a*a"}]}"#, #"{"a": "a"}"#, false),
        (#"{"a": [{"wildcard": "a*a"}]}"#, #"{"a": "aa"}"#, true),
        (#"{"a": [{"wildcard": "*aab"}]}"#, #"{"a": "aaaab"}"#, true),
        (#"{"a": [{"wildcard": "*"}]}"#, #"{"a": ""}"#, true),
        (#"{"a": [{"wildcard": "*"}]}"#, #"{"a": 5}"#, false),
        (#"{"a": [{"wildcard": ""}]}"#, #"{"a": ""}"#, true),
        (#"{"a": [{"wildcard": ""}]}"#, #"{"a": "x"}"#, false),
        (#"{"a": [{"wildcard": "a\\*b"}]}"#, #"{"a": "a*b"}"#, true),
        (#"{"a": [{"wildcard": "a\\*b"}]}"#, #"{"a": "axb"}"#, false),
        (#"{"a": [{"wildcard": "a\\\\*"}]}"#, #"{"a": "a\\bc"}"#, true),
        (#"{"a": [{"wildcard": "*\\**"}]}"#, #"{"a": "x*y"}"#, true),
        (#"{"a": [{"wildcard": "*\\**"}]}"#, #"{"a": "xy"}"#, false),
    ])
    func wildcard(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"a": [{"anything-but": "x"}]}"#, #"{"a": "y"}"#, true),
        (#"{"a": [{"anything-but": "x"}]}"#, #"{"a": "x"}"#, false),
        (#"{"a": [{"anything-but": "x"}]}"#, #"{}"#, false),
        (#"{"a": [{"anything-but": "x"}]}"#, #"{"a": []}"#, false),
        (#"{"a": [{"anything-but": "x"}]}"#, #"{"a": null}"#, true),
        (#"{"a": [{"anything-but": "x"}]}"#, #"{"a": 5}"#, true),
        (#"{"a": [{"anything-but": ["x", "y"]}]}"#, #"{"a": "y"}"#, false),
        (#"{"a": [{"anything-but": ["x", "y"]}]}"#, #"{"a": ["y", "z"]}"#, true),
        (#"{"a": [{"anything-but": ["x", "y"]}]}"#, #"{"a": ["x", "y"]}"#, false),
        (#"{"a": [{"anything-but": 5}]}"#, #"{"a": 5.0}"#, false),
        (#"{"a": [{"anything-but": [1, 2]}]}"#, #"{"a": "1"}"#, true),
        (#"{"a": [{"anything-but": [1, 2]}]}"#, #"{"a": 3}"#, true),
        (#"{"a": [{"anything-but": {"prefix": "init"}}]}"#, #"{"a": "initial"}"#, false),
        (#"{"a": [{"anything-but": {"prefix": "init"}}]}"#, #"{"a": "done"}"#, true),
        (#"{"a": [{"anything-but": {"prefix": ["a", "b"]}}]}"#, #"{"a": "bee"}"#, false),
        (#"{"a": [{"anything-but": {"suffix": ".tmp"}}]}"#, #"{"a": "x.tmp"}"#, false),
        (#"{"a": [{"anything-but": {"suffix": ".tmp"}}]}"#, #"{"a": "x.txt"}"#, true),
        (#"{"a": [{"anything-but": {"wildcard": "*/lib/*"}}]}"#, #"{"a": "/usr/lib/x"}"#, false),
        (#"{"a": [{"anything-but": {"wildcard": ["*/lib/*", "*.so"]}}]}"#, #"{"a": "/usr/bin/x"}"#, true),
        (#"{"a": [{"anything-but": {"equals-ignore-case": "ALPHA"}}]}"#, #"{"a": "alpha"}"#, false),
        (#"{"a": [{"anything-but": {"equals-ignore-case": ["x", "Y"]}}]}"#, #"{"a": "y"}"#, false),
        (#"{"a": [{"anything-but": {"equals-ignore-case": ["x", "Y"]}}]}"#, #"{"a": "z"}"#, true),
        (#"{"a": [{"anything-but": {"prefix": "1"}}]}"#, #"{"a": 12}"#, true),
    ])
    func anythingBut(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"a": [{"numeric": [">", 0]}]}"#, #"{"a": 0.000001}"#, true),
        (#"{"a": [{"numeric": [">", 0]}]}"#, #"{"a": 0}"#, false),
        (#"{"a": [{"numeric": [">=", 0]}]}"#, #"{"a": 0}"#, true),
        (#"{"a": [{"numeric": ["<", 10]}]}"#, #"{"a": 10}"#, false),
        (#"{"a": [{"numeric": ["<=", 10]}]}"#, #"{"a": 10}"#, true),
        (#"{"a": [{"numeric": ["=", 3.5]}]}"#, #"{"a": 3.50}"#, true),
        (#"{"a": [{"numeric": ["=", 3.5]}]}"#, #"{"a": 3.6}"#, false),
        (#"{"a": [{"numeric": [">", 0, "<=", 5]}]}"#, #"{"a": 5}"#, true),
        (#"{"a": [{"numeric": [">", 0, "<", 5]}]}"#, #"{"a": 5}"#, false),
        (#"{"a": [{"numeric": [">=", 1, "<", 5]}]}"#, #"{"a": 1}"#, true),
        (#"{"a": [{"numeric": [">", 0]}]}"#, #"{"a": "5"}"#, false),
        (#"{"a": [{"numeric": [">", 0]}]}"#, #"{"a": 5000000001}"#, false),
        (#"{"a": [{"numeric": [">", 0]}]}"#, #"{"a": 5e9}"#, true),
        (#"{"a": [{"numeric": ["<", 0]}]}"#, #"{"a": -5e9}"#, true),
        (#"{"a": [{"numeric": [">", 0, "<", 10]}]}"#, #"{"a": [20, 5]}"#, true),
        (#"{"a": [{"numeric": [">", 0, "<", 10]}, {"numeric": [">", 100]}]}"#, #"{"a": 101}"#, true),
        (#"{"a": [{"numeric": [">=", -1e-6, "<=", 1e-6]}]}"#, #"{"a": -0.000001}"#, true),
    ])
    func numeric(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"a": [{"exists": true}]}"#, #"{"a": "x"}"#, true),
        (#"{"a": [{"exists": true}]}"#, #"{"a": null}"#, true),
        (#"{"a": [{"exists": true}]}"#, #"{}"#, false),
        (#"{"a": [{"exists": true}]}"#, #"{"a": []}"#, false),
        (#"{"a": [{"exists": true}]}"#, #"{"a": {"b": 1}}"#, false),
        (#"{"a": [{"exists": true}]}"#, #"{"a": [1]}"#, true),
        (#"{"a": [{"exists": false}]}"#, #"{}"#, true),
        (#"{"a": [{"exists": false}]}"#, #"{"a": "x"}"#, false),
        (#"{"a": [{"exists": false}]}"#, #"{"a": []}"#, true),
        (#"{"a": [{"exists": false}]}"#, #"{"a": null}"#, false),
        (#"{"a": [{"anything-but": "x"}, {"exists": false}]}"#, #"{}"#, true),
        (#"{"a": [{"anything-but": "x"}, {"exists": false}]}"#, #"{"a": "x"}"#, false),
        (#"{"a": [{"anything-but": "x"}, {"exists": false}]}"#, #"{"a": "y"}"#, true),
        (#"{"a": {"b": [{"exists": false}]}}"#, #"{"a": "x"}"#, true),
    ])
    func exists(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#, #"{"ip": "10.0.0.255"}"#, true),
        (#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#, #"{"ip": "10.0.1.0"}"#, false),
        (#"{"ip": [{"cidr": "10.0.0.7/24"}]}"#, #"{"ip": "10.0.0.1"}"#, true),
        (#"{"ip": [{"cidr": "0.0.0.0/0"}]}"#, #"{"ip": "255.1.2.3"}"#, true),
        (#"{"ip": [{"cidr": "10.0.0.1/31"}]}"#, #"{"ip": "10.0.0.0"}"#, true),
        (#"{"ip": [{"cidr": "10.0.0.1/31"}]}"#, #"{"ip": "10.0.0.2"}"#, false),
        (#"{"ip": [{"cidr": "10.0.0.0/8"}]}"#, #"{"ip": "10.0.0.256"}"#, false),
        (#"{"ip": [{"cidr": "10.0.0.0/8"}]}"#, #"{"ip": "::a00:1"}"#, false),
        (#"{"ip": [{"cidr": "10.0.0.0/8"}]}"#, #"{"ip": 10}"#, false),
        (#"{"ip": [{"cidr": "2001:db8::/32"}]}"#, #"{"ip": "2001:DB8:ffff::1"}"#, true),
        (#"{"ip": [{"cidr": "2001:db8::/32"}]}"#, #"{"ip": "2001:db9::1"}"#, false),
        (#"{"ip": [{"cidr": "::/0"}]}"#, #"{"ip": "::"}"#, true),
        (#"{"ip": ["2001:db8::1"]}"#, #"{"ip": "2001:0DB8:0:0:0:0:0:1"}"#, true),
        (#"{"ip": ["10.0.0.1"]}"#, #"{"ip": "10.0.0.2"}"#, false),
        (#"{"ip": ["08:23"]}"#, #"{"ip": "08:23"}"#, true),
    ])
    func cidr(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"$or": [{"a": ["1"]}, {"b": ["2"]}]}"#, #"{"b": "2"}"#, true),
        (#"{"$or": [{"a": ["1"]}, {"b": ["2"]}]}"#, #"{"a": "2"}"#, false),
        (#"{"s": ["x"], "$or": [{"a": ["1"]}, {"b": ["2"]}]}"#, #"{"s": "y", "a": "1"}"#, false),
        (#"{"s": ["x"], "$or": [{"a": ["1"]}, {"b": ["2"]}]}"#, #"{"s": "x", "a": "1"}"#, true),
        (#"{"d": {"$or": [{"a": ["1"]}, {"$or": [{"b": ["2"]}, {"c": ["3"]}]}]}}"#, #"{"d": {"c": "3"}}"#, true),
        (#"{"d": {"$or": [{"a": ["1"]}, {"$or": [{"b": ["2"]}, {"c": ["3"]}]}]}}"#, #"{"c": "3"}"#, false),
        (#"{"n": ["a"], "$or": [{"n": [{"anything-but": "a"}]}, {"c": ["x"]}]}"#, #"{"n": "c"}"#, true),
        (#"{"$or": [{"a": [{"numeric": [">", 5]}]}, {"a": [{"prefix": "x"}]}]}"#, #"{"a": "xy"}"#, true),
    ])
    func or(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }
}

/// ``ValueMatcher/matches(_:)`` on its own, as the compiled matcher calls it.
@Suite struct PatternValueMatcherTests {
    @Test(arguments: [
        (ValueMatcher.exactString("x"), JSONValue.array(["x"]), false),
        (.exactString("x"), JSONValue.object(JSONObject([.init(key: "a", value: "x")])), false),
        (.exists(true), "x", true),
        (.exists(true), .null, true),
        (.exists(true), .array([]), false),
        (.exists(false), "x", false),
        (.anythingBut(.values(strings: ["x"], numbers: [])), .array(["y"]), false),
        (.anythingBut(.values(strings: ["x"], numbers: [])), .bool(false), true),
        (.anythingBut(.prefixes(["a"])), .null, true),
        (.anythingBut(.values(strings: [], numbers: [1])), 1.0, false),
        (.exactNumber(1), "1", false),
        (.numeric(NumericRange(lower: nil, lowerInclusive: false, upper: 1, upperInclusive: true)), -6e9, false),
        (.cidr(CIDRBlock(address: [10, 0, 0, 0], prefixLength: 8)), "10.200.3.4", true),
        (.cidr(CIDRBlock(address: [10, 0, 0, 0], prefixLength: 8)), "10.200.3", false),
        (.wildcard("a*c"), "abc", true),
        (.equalsIgnoreCase("straße"), "STRASSE", false),
        (.equalsIgnoreCase("ǆ"), "ǅ", true),
    ])
    func matchesLeaf(matcher: ValueMatcher, value: JSONValue, expected: Bool) {
        #expect(matcher.matches(value) == expected)
    }
}
