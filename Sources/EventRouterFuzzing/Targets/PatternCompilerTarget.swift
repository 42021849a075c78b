import EventRouter

/// The event-pattern compiler: an accepted pattern is in the documented normal form, the rules
/// file reader (`match --rules`) accepts exactly the patterns ``EventPattern/init(parsing:)``
/// accepts (but for a key given twice, where the compiler keeps the last value as AWS does and
/// rule files refuse it, saying so), and the compiled pattern matches a few events as the
/// reference does.
struct PatternCompilerTarget: FuzzTarget {
    let name = "pattern"
    let summary = "EventPattern compiler: normal form, rules-file reader agrees, compiled vs reference on probe events"

    static let probes: [[UInt8]] = [
        #"{"source":"x","detail":{"a":"xy","b":[1,300,"é"],"c":{"d":null}},"a.b":"x"}"#,
        #"{"detail":{"items":[{"id":1,"ok":true},{"id":-3,"ok":false}]},"":"","é":"É"}"#,
        #"{"a":[{"b":"x"},{"b":"10.1.2.3"}],"x":{"y":{"z":5000000001}}}"#,
        #"{}"#,
    ].map(\.bytes)

    var seeds: [[UInt8]] {
        [
            #"{"source":["shop.orders"],"detail-type":["OrderPlaced"],"detail":{"channel":["web"]}}"#,
            #"{"detail":{"items":{"id":[{"numeric":[">",0,"<=",5]}]}}}"#,
            #"{"a":[{"prefix":"x"},{"suffix":"y"},{"equals-ignore-case":"XY"},{"wildcard":"x*y"}]}"#,
            #"{"a":[{"anything-but":{"prefix":"x"}}],"b":[{"exists":false}],"c":[{"cidr":"10.0.0.0/8"}]}"#,
            #"{"$or":[{"a":["x"]},{"b":{"c":[1,null,true]}}],"d.e":["f"]}"#,
            #"{"a":[{"prefix":{"equals-ignore-case":"X"}}],"b":[{"anything-but":["x",1]}],"":[""]}"#,
            #"{"é":{"e\u0301":[{"suffix":{"equals-ignore-case":"É"}}]}}"#,
        ].map(\.bytes)
    }

    var dictionary: [[UInt8]] {
        ["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr", "$or",
         "\"*\"", "\"\\\\*\"", "\"**\"", "\">\"", "\"<=\"", "\"=\"", "\"::1/128\"", "\"10.0.0.0/33\""].map { s in
            s.hasPrefix("\"") ? s.bytes : "\"\(s)\"".bytes
        }
    }

    func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
        guard let text = String(validating: input, as: UTF8.self) else { return .rejected }
        let pattern: EventPattern
        do {
            pattern = try EventPattern(parsing: text)
        } catch {
            try require(!error.reason.isEmpty, "a pattern error without a reason")
            if Self.isStrictJSON(input), let accepted = try? RuleSetFile.patterns(fromJSON: Array("[".utf8) + input + Array("]".utf8)) {
                throw FuzzFailure("the rules file reader accepts a pattern the compiler refuses (\(error)): \(accepted)")
            }
            return .rejected
        }
        try Self.checkNormalForm(pattern)
        if Self.isStrictJSON(input) {
            let read: [EventPattern]
            do {
                read = try RuleSetFile.patterns(fromJSON: Array("[".utf8) + input + Array("]".utf8))
            } catch {
                throw FuzzFailure("the rules file reader refuses a pattern the compiler accepts: \(error)")
            }
            try require(read == [pattern], "the rules file reader reads a different pattern")
        } else if (try? JSONParser.parse(bytes: input)) != nil {
            // A key given twice: the compiler keeps the last value (as AWS does), rule files refuse it.
            let refusal: String?
            do {
                _ = try RuleSetFile.patterns(fromJSON: Array("[".utf8) + input + Array("]".utf8))
                refusal = nil
            } catch { refusal = "\(error)" }
            guard let refusal else { throw FuzzFailure("the rules file reader accepts a pattern with a key given twice") }
            try require(refusal.contains("duplicate key"), "the rules file reader refuses a repeated key without saying so: \(refusal)")
        }
        var check = MatcherCheck([pattern])
        for probe in Self.probes { try check.check(probe[...]) }
        return .accepted
    }

    /// Whether `input` is JSON without a key given twice in one object (what rule files accept).
    static func isStrictJSON(_ input: [UInt8]) -> Bool {
        (try? JSONParser.parse(bytes: input, options: .init(rejectDuplicateKeys: true))) != nil
    }

    static func checkNormalForm(_ pattern: EventPattern) throws(FuzzFailure) {
        try require(!pattern.alternatives.isEmpty, "no alternatives")
        try require(pattern.alternatives.count <= PatternParser.maximumCombinations, "more than \(PatternParser.maximumCombinations) alternatives")
        try require(Set(pattern.alternatives).count == pattern.alternatives.count, "two equal alternatives")
        for alternative in pattern.alternatives {
            let keys = alternative.conditions.map { Array($0.pathKey.utf8) }
            try require(!keys.isEmpty, "an alternative without conditions")
            try require(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }, "conditions not sorted by path, or a path twice")
            for c in alternative.conditions {
                try require(!c.matchers.isEmpty, "a condition without matchers at \(c.pathKey)")
                try require(c.path.allSatisfy { !$0.utf8.contains(UInt8(ascii: ".")) }, "a path segment holds a dot: \(c.path)")
            }
        }
    }
}
