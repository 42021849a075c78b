import Testing
@testable import EventRouter

/// Every class of invalid pattern, with the exact error text.
@Suite struct PatternValidationTests {
    @Test(arguments: [
        ("[1, 2]", "InvalidEventPatternException: a pattern must be a JSON object, not an array"),
        ("{}", "InvalidEventPatternException: an empty object is not allowed; give at least one field"),
        (#"{"a": {}}"#, "InvalidEventPatternException: at a: an empty object is not allowed; give at least one field"),
        (#"{"a": []}"#, "InvalidEventPatternException: at a: an empty array is not allowed; list at least one value"),
        (#"{"a": 42}"#, "InvalidEventPatternException: at a: a field must hold an object or an array of values, not a number; write [42]"),
        (#"{"d": {"a": "x"}}"#, #"InvalidEventPatternException: at d.a: a field must hold an object or an array of values, not a string; write ["x"]"#),
        (#"{"a": [["x"]]}"#, "InvalidEventPatternException: at a[0]: a nested array is not allowed; a value must be a string, number, boolean, null or an operator object"),
        // A repeated key keeps its last value (AWS); so only the last value is validated.
        (#"{"a": ["x"], "a": {}}"#, "InvalidEventPatternException: at a: an empty object is not allowed; give at least one field"),
        (#"{"a": "#, "InvalidEventPatternException: the pattern is not valid JSON: invalid JSON at byte 6: expected a JSON value, found end of input"),
    ])
    func structure(pattern: String, message: String) {
        #expect(patternError(pattern) == message)
    }

    @Test(arguments: [
        (#"{"a": [{"Prefix": "x"}]}"#, #"InvalidEventPatternException: at a[0].Prefix: unknown operator "Prefix"; operator names are case-sensitive: write "prefix""#),
        (#"{"a": [{"regex": "x"}]}"#, #"InvalidEventPatternException: at a[0].regex: unknown operator "regex"; use one of prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr, exactly"#),
        (#"{"a": [{}]}"#, #"InvalidEventPatternException: at a[0]: an operator object needs exactly one operator, such as {"prefix": "x"}; found none"#),
        (#"{"a": [{"prefix": "x", "suffix": "y"}]}"#, #"InvalidEventPatternException: at a[0]: an operator object holds exactly one operator; found 2: "prefix", "suffix""#),
        (#"{"a": [{"prefix": 3}]}"#, #"InvalidEventPatternException: at a[0].prefix: "prefix" takes a string, not a number"#),
        (#"{"a": [{"prefix": ["x"]}]}"#, #"InvalidEventPatternException: at a[0].prefix: "prefix" takes a single string, not an array; write one {"prefix": "…"} object per value"#),
        (#"{"a": [{"suffix": ["x"]}]}"#, #"InvalidEventPatternException: at a[0].suffix: "suffix" takes a single string, not an array; write one {"suffix": "…"} object per value"#),
        (#"{"a": [{"equals-ignore-case": ["x"]}]}"#, #"InvalidEventPatternException: at a[0].equals-ignore-case: "equals-ignore-case" takes a single string, not an array; write one {"equals-ignore-case": "…"} object per value"#),
        (#"{"a": [{"wildcard": ["x*"]}]}"#, #"InvalidEventPatternException: at a[0].wildcard: "wildcard" takes a single string, not an array; write one {"wildcard": "…"} object per value"#),
        (#"{"a": [{"prefix": {"exactly": "x"}}]}"#, #"InvalidEventPatternException: at a[0].prefix.exactly: "prefix" accepts only {"equals-ignore-case": "…"} as an object, not "exactly""#),
        (#"{"a": [{"exists": "yes"}]}"#, #"InvalidEventPatternException: at a[0].exists: "exists" takes true or false, not "yes""#),
        (#"{"a": [{"wildcard": "a**b"}]}"#, #"InvalidEventPatternException: at a[0].wildcard: invalid wildcard "a**b": consecutive '*' characters at byte 1 are not allowed; use a single '*'"#),
        (#"{"a": [{"wildcard": "a\\b"}]}"#, #"InvalidEventPatternException: at a[0].wildcard: invalid wildcard "a\b": '\' at byte 1 must be followed by '*' or '\' (write '\\' for a backslash)"#),
    ])
    func operators(pattern: String, message: String) {
        #expect(patternError(pattern) == message)
    }

    @Test(arguments: [
        (#"{"a": [{"numeric": 5}]}"#, #"InvalidEventPatternException: at a[0].numeric: "numeric" takes an array such as [">", 0, "<=", 5], not a number"#),
        (#"{"a": [{"numeric": ["<>", 1]}]}"#, #"InvalidEventPatternException: at a[0].numeric[0]: unknown numeric operator "<>"; use =, <, <=, > or >="#),
        (#"{"a": [{"numeric": ["="]}]}"#, #"InvalidEventPatternException: at a[0].numeric[1]: "=" must be followed by a number, found nothing"#),
        (#"{"a": [{"numeric": ["<", "5"]}]}"#, #"InvalidEventPatternException: at a[0].numeric[1]: "<" must be followed by a number, found "5""#),
        (#"{"a": [{"numeric": [">", 5, "<", 1]}]}"#, "InvalidEventPatternException: at a[0].numeric: the lower bound 5 must be less than the upper bound 1"),
        (#"{"a": [{"numeric": [">", 1, "<", 1]}]}"#, "InvalidEventPatternException: at a[0].numeric: the lower bound 1 must be less than the upper bound 1"),
        (#"{"a": [{"numeric": ["<", 1, ">", 0]}]}"#, #"InvalidEventPatternException: at a[0].numeric[2]: too many elements in the numeric expression; a range is [">", a, "<", b] with the lower bound first"#),
        (#"{"a": [{"numeric": [">", 0, ">", 1]}]}"#, #"InvalidEventPatternException: at a[0].numeric[2]: a lower bound may only be followed by "<" or "<=", not ">""#),
        (#"{"a": [{"numeric": [">", 1, "<", 30, false]}]}"#, #"InvalidEventPatternException: at a[0].numeric[4]: too many elements in the numeric expression; a range is [">", a, "<", b] with the lower bound first"#),
        (#"{"a": [{"numeric": [">", 6e9]}]}"#, "InvalidEventPatternException: at a[0].numeric[1]: 6e9 is out of range; numbers here must be between -5e9 and 5e9"),
        (#"{"a": [{"numeric": ["=", 1E-325]}]}"#, "InvalidEventPatternException: at a[0].numeric[1]: 1E-325 cannot be compared: it is too small to tell apart from 0; use 0 or a larger number"),
    ])
    func numericRanges(pattern: String, message: String) {
        #expect(patternError(pattern) == message)
    }

    /// Bounds keep their full precision (event-ruler accepts them; coordinates need it).
    @Test func numericBoundsMayHaveManyDecimalPlaces() throws {
        let pattern = try EventPattern(parsing: #"{"x": [{"numeric": [">", -122.46471267081272, "<", -122.4063085128395]}]}"#)
        #expect(pattern.matches(["x": -122.42]))
        #expect(!pattern.matches(["x": -122.4063085128395]))
        #expect(!pattern.matches(["x": -122.46471267081273]))
    }

    @Test(arguments: [
        (#"{"a": [{"anything-but": null}]}"#, "InvalidEventPatternException: at a[0].anything-but: anything-but does not accept null; it takes a string, a number, or a list of them"),
        (#"{"a": [{"anything-but": ["x", null]}]}"#, "InvalidEventPatternException: at a[0].anything-but[1]: an anything-but list holds only strings or only numbers, not null"),
        (#"{"a": [{"anything-but": ["x", 1]}]}"#, "InvalidEventPatternException: at a[0].anything-but[1]: an anything-but list holds only strings or only numbers, not a mix of both"),
        (#"{"a": [{"anything-but": []}]}"#, "InvalidEventPatternException: at a[0].anything-but: an empty array is not allowed; list at least one value"),
        (#"{"a": [{"anything-but": true}]}"#, "InvalidEventPatternException: at a[0].anything-but: anything-but takes a string, a number, a list of strings or of numbers, or an object with prefix, suffix, wildcard or equals-ignore-case; not a boolean"),
        (#"{"a": [{"anything-but": {"prefix": ""}}]}"#, "InvalidEventPatternException: at a[0].anything-but.prefix: an empty prefix is not allowed under anything-but"),
        (#"{"a": [{"anything-but": {"suffix": ["x", ""]}}]}"#, "InvalidEventPatternException: at a[0].anything-but.suffix[1]: an empty suffix is not allowed under anything-but"),
        (#"{"a": [{"anything-but": {"prefix": [1]}}]}"#, #"InvalidEventPatternException: at a[0].anything-but.prefix[0]: "prefix" under anything-but takes strings, not a number"#),
        (#"{"a": [{"anything-but": {"exists": true}}]}"#, #"InvalidEventPatternException: at a[0].anything-but.exists: anything-but accepts prefix, suffix, wildcard or equals-ignore-case inside an object, not "exists""#),
        (#"{"a": [{"anything-but": {"wildcard": "x**"}}]}"#, #"InvalidEventPatternException: at a[0].anything-but.wildcard: invalid wildcard "x**": consecutive '*' characters at byte 1 are not allowed; use a single '*'"#),
        (#"{"a": [{"anything-but": 1e10}]}"#, "InvalidEventPatternException: at a[0].anything-but: 1e10 is out of range; numbers here must be between -5e9 and 5e9"),
    ])
    func anythingBut(pattern: String, message: String) {
        #expect(patternError(pattern) == message)
    }

    @Test(arguments: [
        (#"{"ip": [{"cidr": "10.0.0.0"}]}"#, #"InvalidEventPatternException: at ip[0].cidr: "10.0.0.0" is not a CIDR block; write an address, one '/' and a prefix length, as in 10.0.0.0/24"#),
        (#"{"ip": [{"cidr": "10.0.0/8"}]}"#, #"InvalidEventPatternException: at ip[0].cidr: "10.0.0" is not an IPv4 or IPv6 address"#),
        (#"{"ip": [{"cidr": "10.0.0.1/32"}]}"#, #"InvalidEventPatternException: at ip[0].cidr: the prefix length "32" must be a whole number from 0 to 31 for an IPv4 address; to match a single address, give it as a plain string such as "10.0.0.1""#),
        (#"{"ip": [{"cidr": "::1/128"}]}"#, #"InvalidEventPatternException: at ip[0].cidr: the prefix length "128" must be a whole number from 0 to 127 for an IPv6 address; to match a single address, give it as a plain string such as "::1""#),
        (#"{"ip": [{"cidr": "1.2.3.4/x"}]}"#, #"InvalidEventPatternException: at ip[0].cidr: the prefix length "x" must be a whole number from 0 to 31 for an IPv4 address; to match a single address, give it as a plain string such as "1.2.3.4""#),
        (#"{"ip": [{"cidr": "1:2::3::4/64"}]}"#, #"InvalidEventPatternException: at ip[0].cidr: "1:2::3::4" is not an IPv4 or IPv6 address"#),
    ])
    func cidr(pattern: String, message: String) {
        #expect(patternError(pattern) == message)
    }

    @Test(arguments: [
        (#"{"$or": [{"a": ["1"]}]}"#, "InvalidEventPatternException: at $or: $or needs at least two objects, found 1"),
        (#"{"$or": {"a": ["1"]}}"#, "InvalidEventPatternException: at $or: $or must be an array of at least two objects, not an object"),
        (#"{"d": {"$or": [{"a": ["1"]}, [{"b": ["2"]}]]}}"#, "InvalidEventPatternException: at d.$or[1]: each element of $or must be an object, not an array"),
        (#"{"$or": [{"prefix": ["1"]}, {"b": ["2"]}]}"#, #"InvalidEventPatternException: at $or[0].prefix: "prefix" is a reserved operator name and cannot be a field name inside $or"#),
    ])
    func or(pattern: String, message: String) {
        #expect(patternError(pattern) == message)
    }

    @Test func tooManyOrCombinations() throws {
        // 11 × 11 × 11 = 1331 alternatives > 1000.
        let branches = (0..<11).map { "{\"f\($0)\": [\"x\"]}" }.joined(separator: ",")
        let or = "[\(branches)]"
        let pattern = "{\"a\": {\"$or\": \(or)}, \"b\": {\"$or\": \(or)}, \"c\": {\"$or\": \(or)}}"
        #expect(patternError(pattern) == "InvalidEventPatternException: at c.$or: the pattern is too complex: $or expands to more than 1000 combinations; use fewer or flatter $or branches")
        // 10 × 10 × 10 = 1000 is accepted.
        let ten = "[" + (0..<10).map { "{\"f\($0)\": [\"x\"]}" }.joined(separator: ",") + "]"
        let ok = "{\"a\": {\"$or\": \(ten)}, \"b\": {\"$or\": \(ten)}, \"c\": {\"$or\": \(ten)}}"
        #expect(patternError(ok) == nil)
        #expect(try EventPattern(parsing: ok).alternatives.count == 1000)
    }

    @Test(arguments: [
        (#"{"f": [{"wildcard": "*.png"}]}"#, 0), // a suffix, not a wildcard
        (#"{"f": [{"wildcard": "dir/*/x.png"}]}"#, 3),
        (#"{"f": [{"wildcard": "*a*a*"}]}"#, 5),
        (#"{"f": [{"wildcard": "*a*"}, {"wildcard": "*b*"}]}"#, 6),
        (#"{"f": [{"anything-but": {"wildcard": ["*a*", "*b*"]}}]}"#, 6),
        (#"{"f": [{"wildcard": "ab*"}]}"#, 0),
    ])
    func wildcardComplexity(pattern: String, expected: Int) throws {
        let matchers = try EventPattern(parsing: pattern).alternatives[0].conditions[0].matchers
        var texts: [String] = []
        for m in matchers {
            if case .wildcard(let w) = m { texts.append(w) }
            if case .anythingBut(.wildcards(let list)) = m { texts.append(contentsOf: list) }
        }
        #expect(WildcardComplexity.measure(texts, limit: 100) == expected)
    }

    @Test func tooComplexWildcards() {
        #expect(patternError(#"{"f": [{"wildcard": "*a*a*a*a*a*a*a*a*a*a*a*"}]}"#) == "InvalidEventPatternException: at f: the pattern is too complex: more than 20 wildcard positions of this field can be in progress at once; use fewer wildcard characters or fewer repeating character sequences after a wildcard character")
        let many = (0..<12).map { "{\"wildcard\": \"*x\($0)*\"}" }.joined(separator: ",")
        #expect(patternError("{\"f\": [\(many)]}")?.contains("the pattern is too complex") == true)
        let few = (0..<5).map { "{\"wildcard\": \"*x\($0)*\"}" }.joined(separator: ",")
        #expect(patternError("{\"f\": [\(few)]}") == nil)
        #expect(patternError(#"{"f": [{"wildcard": "*a*a*a*a*"}]}"#) == nil)
    }
}
