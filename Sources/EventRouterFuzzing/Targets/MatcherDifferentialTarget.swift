import EventRouter

/// The compiled matcher against the reference matcher. An input is a JSON array of patterns on
/// its first line and events on the following lines; structured inputs come from
/// ``MatcherCaseGenerator/keyShapes`` (and the classic vocabulary), mutated ones from anything.
struct MatcherDifferentialTarget: FuzzTarget {
    let name = "matcher"
    let summary = "RuleMatcher (compiled, from bytes and from values) vs EventPattern.matches (reference) on random patterns, key shapes and events"
    let maximumInputSize = 8192
    /// More rules than this are cut (compiling is the costly part of an execution).
    static let maximumRules = 24

    var seeds: [[UInt8]] {
        [
            #"[{"":["abc"]}]"# + "\n" + #"{"":"abc","pad":"xxxxxxxx"}"#,
            #"[{"x":{"b":["z"]}},{"x":{"ä":["k"]}}]"# + "\n" + #"{"x.b":"z"}"# + "\n" + #"{"x":{"ä":"k","b":"z"}}"#,
            #"[{"a":{"\u0301b":[1]}},{"é":{"x":[1]}},{"e\u0301":{"y":[2]}}]"# + "\n" + #"{"a.\u0301b":1,"é":{"y":2}}"#,
            #"[{"detail":{"items":{"id":[1],"ok":[true]}}}]"# + "\n" + #"{"detail":{"items":[{"id":1,"ok":false},{"id":2,"ok":true}]}}"#,
            #"[{"a":[{"exists":false}],"b":[{"anything-but":"x"}]},{"abcdefgh":{"abcdefghi":[{"prefix":"x"}]}}]"# + "\n"
                + #"{"b":"y","abcdefgh.abcdefghi":"xy"}"# + "\n" + #"{"a":[],"b":[null]}"#,
        ].map(\.bytes)
    }

    var dictionary: [[UInt8]] {
        (MatcherCaseGenerator.keyShapes.keys.map { "\"\($0)\":" } + ["{\"exists\":false}", "{\"prefix\":\"x\"}", "{\"anything-but\":[\"x\"]}"]).map(\.bytes)
    }

    func generate(_ random: inout SeededGenerator) -> [UInt8]? {
        let generator = random.next() % 4 == 0 ? MatcherCaseGenerator.classic : MatcherCaseGenerator.keyShapes.narrowed(to: 3 + Int(random.next() % 6), &random)
        let rules = generator.patterns(1 + Int(random.next() % 8), &random).map(\.text)
        var text = "[" + rules.joined(separator: ",") + "]"
        for _ in 0..<(1 + random.next() % 4) { text += "\n" + generator.event(&random) }
        return text.bytes
    }

    func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
        let lines = RuleSetFile.lines(input)
        guard let first = lines.first else { return .rejected }
        guard var patterns = try? RuleSetFile.patterns(fromJSON: Array(input[first.range])) else { return .rejected }
        if patterns.count > Self.maximumRules { patterns.removeLast(patterns.count - Self.maximumRules) }
        var check = MatcherCheck(patterns)
        for line in lines.dropFirst() { try check.check(input[line.range]) }
        return .accepted
    }
}
