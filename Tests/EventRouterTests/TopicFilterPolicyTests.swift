import Testing
@testable import EventRouter

/// A row of attribute-scope matching: policy, attributes (name → (type, value)), expected.
struct TopicAttributeRow: Sendable, CustomStringConvertible {
    let policy: String
    let attributes: [String: MessageAttributeValue]
    let expected: Bool
    let note: String
    init(_ policy: String, _ attributes: [String: MessageAttributeValue], _ expected: Bool, _ note: String) {
        self.policy = policy
        self.attributes = attributes
        self.expected = expected
        self.note = note
    }
    var description: String { note }
}

private func s(_ v: String) -> MessageAttributeValue { .string(v) }
private func n(_ v: String) -> MessageAttributeValue { .number(v) }
private func arr(_ json: String) -> MessageAttributeValue { MessageAttributeValue(dataType: "String.Array", stringValue: json) }

@Suite struct TopicFilterPolicyTests {
    static let attributeRows: [TopicAttributeRow] = [
        .init(#"{"c":["rugby","tennis"]}"#, ["c": s("rugby")], true, "exact string"),
        .init(#"{"c":["rugby","tennis"]}"#, ["c": s("baseball")], false, "exact string, other value"),
        .init(#"{"c":["rugby"]}"#, ["c": s("Rugby")], false, "exact is case-sensitive"),
        .init(#"{"c":[{"equals-ignore-case":"rugby"}]}"#, ["c": s("RuGbY")], true, "equals-ignore-case"),
        .init(#"{"c":[{"prefix":"bas"}]}"#, ["c": s("basketball")], true, "prefix"),
        .init(#"{"c":[{"prefix":"bas"}]}"#, ["c": s("rugby")], false, "prefix, no match"),
        .init(#"{"c":[{"suffix":"ball"}]}"#, ["c": s("football")], true, "suffix"),
        .init(#"{"c":[{"anything-but":["rugby","tennis"]}]}"#, ["c": s("football")], true, "anything-but list"),
        .init(#"{"c":[{"anything-but":["rugby","tennis"]}]}"#, ["c": s("rugby")], false, "anything-but excluded value"),
        .init(#"{"c":[{"anything-but":["rugby","tennis"]}]}"#, ["c": arr(#"["rugby","baseball"]"#)], true, "anything-but on String.Array: one element is not excluded"),
        .init(#"{"c":[{"anything-but":["rugby"]}]}"#, [:], false, "anything-but needs the attribute"),
        .init(#"{"e":[{"anything-but":{"prefix":"order-"}}]}"#, ["e": s("data-entry")], true, "anything-but prefix"),
        .init(#"{"e":[{"anything-but":{"prefix":"order-"}}]}"#, ["e": s("order-cancelled")], false, "anything-but prefix excluded"),
        .init(#"{"e":[{"anything-but":{"suffix":".tmp"}}]}"#, ["e": s("a.tmp")], false, "anything-but suffix excluded"),
        .init(#"{"p":[{"numeric":["=",301.5]}]}"#, ["p": n("3.015e2")], true, "numeric equals by value"),
        .init(#"{"p":[{"numeric":[">",0,"<=",150]}]}"#, ["p": n("150")], true, "numeric range upper bound"),
        .init(#"{"p":[{"numeric":[">",0,"<=",150]}]}"#, ["p": n("150.5")], false, "numeric range above"),
        .init(#"{"p":[{"numeric":["<",0]}]}"#, ["p": n("-1")], true, "numeric negative"),
        .init(#"{"p":[{"numeric":[">",100]}]}"#, ["p": s("200")], false, "numeric never matches a String attribute"),
        .init(#"{"p":["200"]}"#, ["p": n("200")], false, "a string never matches a Number attribute"),
        .init(#"{"p":[{"prefix":"2"}]}"#, ["p": n("200")], false, "prefix never matches a Number attribute"),
        .init(#"{"p":[200]}"#, ["p": n("200.0")], true, "number literal matches a Number attribute by value"),
        .init(#"{"p":[{"anything-but":[100,500]}]}"#, ["p": n("101")], true, "numeric anything-but"),
        .init(#"{"p":[{"anything-but":[100,500]}]}"#, ["p": n("100")], false, "numeric anything-but excluded"),
        .init(#"{"t":["b"]}"#, ["t": arr(#"["a","b"]"#)], true, "String.Array: any element"),
        .init(#"{"t":["c"]}"#, ["t": arr(#"["a","b"]"#)], false, "String.Array: no element"),
        .init(#"{"t":[{"numeric":[">",5]}]}"#, ["t": arr(#"["a",7]"#)], true, "String.Array number element"),
        .init(#"{"t":[true]}"#, ["t": arr(#"[true]"#)], true, "String.Array boolean element"),
        .init(#"{"t":[true]}"#, ["t": s("true")], false, "a boolean does not match the string true"),
        .init(#"{"b":[{"exists":true}]}"#, ["b": .binary([1, 2])], false, "Binary attributes are ignored"),
        .init(#"{"b":[{"exists":false}]}"#, ["b": .binary([1, 2])], true, "an ignored Binary attribute counts as absent"),
        .init(#"{"store":[{"exists":true}]}"#, ["store": s("fans")], true, "exists true"),
        .init(#"{"store":[{"exists":true}]}"#, ["other": s("x")], false, "exists true, absent"),
        .init(#"{"store":[{"exists":false}]}"#, ["other": s("x")], true, "exists false, absent"),
        .init(#"{"store":[{"exists":false}]}"#, ["store": s("fans")], false, "exists false, present"),
        .init(#"{"store":[{"exists":true}]}"#, ["store": arr("[]")], true, "exists true on an empty String.Array"),
        .init(#"{"store":["x"]}"#, [:], false, "absent key does not match"),
        .init(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, ["ip": s("10.0.0.255")], true, "cidr"),
        .init(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, ["ip": s("10.1.1.0")], false, "cidr outside"),
        .init(#"{"ip":["10.0.0.1"]}"#, ["ip": s("10.0.0.01")], false, "an IP literal is an exact string in SNS"),
        .init(#"{"a":["x"],"p":[{"numeric":[">",100]}]}"#, ["a": s("x"), "p": n("101")], true, "AND of keys"),
        .init(#"{"a":["x"],"p":[{"numeric":[">",100]}]}"#, ["a": s("x"), "p": n("99")], false, "AND of keys, one fails"),
        .init(#"{"a":["x"],"$or":[{"b":["1"]},{"c":["2"]}]}"#, ["a": s("x"), "c": s("2")], true, "$or second branch"),
        .init(#"{"a":["x"],"$or":[{"b":["1"]},{"c":["2"]}]}"#, ["a": s("x")], false, "$or no branch"),
        .init(#"{"a.b":["x"]}"#, ["a.b": s("x")], true, "attribute name with a dot"),
        .init(#"{}"#, ["a": s("x")], true, "the empty policy matches everything"),
    ]

    @Test(arguments: attributeRows)
    func attributeScope(_ row: TopicAttributeRow) throws {
        let policy = try FilterPolicy(text: row.policy)
        #expect(policy.matches(attributes: row.attributes) == row.expected, "\(row.note)")
    }

    static let bodyRows: [(String, String, Bool)] = [
        (#"{"store":["example_corp"]}"#, #"{"store":"example_corp"}"#, true),
        (#"{"order":{"total":[{"numeric":[">",100]}]}}"#, #"{"order":{"total":150}}"#, true),
        (#"{"order":{"total":[{"numeric":[">",100]}]}}"#, #"{"order":{"total":50}}"#, false),
        (#"{"order":{"items":{"sku":[{"prefix":"A-"}]}}}"#, #"{"order":{"items":[{"sku":"B-1"},{"sku":"A-2"}]}}"#, true),
        (#"{"price":[{"anything-but":[100,500]}]}"#, #"{"price":[100,50]}"#, true),
        (#"{"store":[{"exists":false}]}"#, #"{"other":1}"#, true),
        (#"{"store":["x"]}"#, "not json at all", false),
        (#"{"store":[{"exists":false}]}"#, "plain text", false),
        (#"{"$or":[{"a":["1"]},{"b":{"c":["2"]}}]}"#, #"{"b":{"c":"2"}}"#, true),
    ]

    @Test(arguments: bodyRows)
    func bodyScope(_ policy: String, _ body: String, _ expected: Bool) throws {
        let p = try FilterPolicy(text: policy, scope: .messageBody)
        #expect(p.matches(body: body) == expected)
    }

    static let invalidRows: [(String, FilterPolicyScope, String)] = [
        (#"{"a":{"b":["x"]}}"#, .messageAttributes, "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy (key \"a\")"),
        (#"{"a":"x"}"#, .messageAttributes, "Invalid parameter: FilterPolicy: \"a\" must be an object or an array: write \"a\": [\"x\"]."),
        (#"{"a":[]}"#, .messageAttributes, "Invalid parameter: FilterPolicy: Empty arrays are not allowed (key \"a\")"),
        (#"{"a":[["x"]]}"#, .messageAttributes, "Match value must be String, number, true, false, or null (at a[0]"),
        (#"{"a":[{"wildcard":"x*"}]}"#, .messageAttributes, "Unrecognized match type wildcard (at a[0]): SNS supports prefix, suffix"),
        (#"{"a":[{"Prefix":"x"}]}"#, .messageAttributes, "Unrecognized match type Prefix (at a[0]): did you mean \"prefix\"?"),
        (#"{"a":[{"prefix":1}]}"#, .messageAttributes, "prefix match pattern must be a string (at a[0].prefix)"),
        (#"{"a":[{"exists":"yes"}]}"#, .messageAttributes, "exists match pattern must be either true or false (at a[0].exists)"),
        (#"{"a":[{"prefix":"x","suffix":"y"}]}"#, .messageAttributes, "Only one key allowed in match expression (at a[0] there are 2)"),
        (#"{"a":[{"anything-but":{"wildcard":"x*"}}]}"#, .messageAttributes, "Unsupported anything-but pattern: wildcard (at a[0].anything-but)"),
        (#"{"a":[{"numeric":[">",2000000000]}]}"#, .messageAttributes, "Numeric value 2000000000 at a[0].numeric is out of range"),
        (#"{"a":[{"numeric":[">",5,"<",1]}]}"#, .messageAttributes, "Invalid parameter: FilterPolicy:"),
        (#"{"a":[{"cidr":"10.0.0.0/99"}]}"#, .messageAttributes, "Invalid parameter: FilterPolicy:"),
        (#"{"$or":[{"a":["1"]}]}"#, .messageAttributes, "\"$or\" at $or needs at least two objects, found 1"),
        (#"{"a":["x"],"a":["y"]}"#, .messageAttributes, "Duplicate key \"a\""),
        (#"["a"]"#, .messageAttributes, "Filter policy must be a JSON object, not array"),
        (#"{"a":"#, .messageAttributes, "Filter policy is not valid JSON"),
    ]

    @Test(arguments: invalidRows)
    func invalidPolicies(_ text: String, _ scope: FilterPolicyScope, _ expected: String) {
        do {
            _ = try FilterPolicy(text: text, scope: scope)
            Issue.record("\(text) should be invalid")
        } catch {
            #expect(error.code == .invalidParameter)
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func sixKeysAreTooMany() {
        let text = #"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#
        #expect(throws: TopicError.filterPolicy("Filter policy can not have more than 5 keys (it has 6: a, b, c, d, e, f): split it over several subscriptions or move keys into $or branches.")) {
            try FilterPolicy(text: text)
        }
        #expect((try? FilterPolicy(text: #"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"]}"#)) != nil)
    }

    @Test func nestedKeysDoNotCountInBodyScope() throws {
        // SNS counts only top-level keys of a body policy: 4 here, though 6 leaves.
        let text = #"{"state":["SUCCESS"],"severity":[{"exists":true}],"message":[{"exists":true}],"finding":{"standard_control":[{"exists":true}],"region":[{"exists":true}],"account":[{"exists":true}]}}"#
        let p = try FilterPolicy(text: text, scope: .messageBody)
        #expect(p.keyCount == 4)
    }

    @Test func combinationsFollowSNS() throws {
        #expect(try FilterPolicy(text: #"{"a":["1","2","3"],"b":["1"],"c":["1","2"]}"#).combinations == 6)
        // SNS's nested example: (3 levels × 4 values) × (2 × 3) × (1 × 3) = 216 > 150.
        let nested = #"{"key_a":{"key_b":{"key_c":["1","2","3","4"]}},"key_d":{"key_e":["1","2","3"]},"key_f":["1","2","3"]}"#
        #expect(throws: TopicError.self) { try FilterPolicy(text: nested, scope: .messageBody) }
        // $or branches add up: 1 × (2 + 3) = 5.
        #expect(try FilterPolicy(text: #"{"a":["x"],"$or":[{"b":["1","2"]},{"c":["1","2","3"]}]}"#).combinations == 5)
    }

    @Test func moreThan150CombinationsIsTooComplex() {
        let values = (1...13).map { "\"v\($0)\"" }.joined(separator: ",")
        let text = "{\"a\":[\(values)],\"b\":[\(values)]}"   // 13 × 13 = 169
        do {
            _ = try FilterPolicy(text: text)
            Issue.record("169 combinations should be refused")
        } catch {
            #expect(error.description == "InvalidParameter: Invalid parameter: FilterPolicy: Filter policy is too complex: 169 combinations, at most 150 (the product of the number of values of each key, times its nesting depth, summed over $or branches): list fewer values or use prefix/anything-but/numeric ranges.")
        }
        let ok = (1...12).map { "\"v\($0)\"" }.joined(separator: ",")
        #expect((try? FilterPolicy(text: "{\"a\":[\(ok)],\"b\":[\(ok)]}")) != nil)   // 144
    }

    @Test func policyOver256KBIsRefused() {
        let big = String(repeating: "x", count: 262_144)
        #expect(throws: TopicError.self) { try FilterPolicy(text: "{\"a\":[\"\(big)\"]}") }
    }
}
