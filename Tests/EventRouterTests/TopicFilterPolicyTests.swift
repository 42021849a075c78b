import Testing
@testable import EventRouter

/// SNS filter-policy operators, evaluated by the shared pattern engine.
@Suite struct TopicFilterPolicyTests {
    static let attributes: [String: TopicMessageAttribute] = [
        "store": .string("example_corp"),
        "price_usd": .number("210.75"),
        "event": .string("order_placed"),
        "customer_interests": TopicMessageAttribute(dataType: "String.Array", value: #"["soccer","rugby"]"#),
        "encrypted": TopicMessageAttribute(dataType: "Binary", value: "AAEC"),
    ]

    @Test(arguments: [
        (#"{"store":["example_corp"]}"#, true),
        (#"{"store":[{"prefix":"example"}]}"#, true),
        (#"{"store":[{"anything-but":["example_corp"]}]}"#, false),
        (#"{"price_usd":[{"numeric":[">=",100,"<",300]}]}"#, true),
        (#"{"price_usd":[{"numeric":["<",100]}]}"#, false),
        (#"{"customer_interests":["rugby","tennis"]}"#, true),
        (#"{"customer_interests":["tennis"]}"#, false),
        (#"{"missing":[{"exists":false}]}"#, true),
        (#"{"store":[{"exists":false}]}"#, false),
        (#"{"encrypted":[{"exists":true}]}"#, false),
        (#"{"store":["other"],"$or":[{"event":["order_placed"]},{"price_usd":[1]}]}"#, false),
        (#"{"$or":[{"store":["other"]},{"event":["order_placed"]}]}"#, true),
    ])
    func attributeScope(policy: String, expected: Bool) throws {
        let p = try SubscriptionFilterPolicy(json: JSONValue(parsing: policy))
        #expect(p.matches(message: "ignored", attributes: Self.attributes) == expected)
    }

    @Test(arguments: [
        (#"{"order":{"total":[{"numeric":[">",100]}]}}"#, true),
        (#"{"order":{"items":{"sku":[{"prefix":"A-"}]}}}"#, true),
        (#"{"order":{"status":[{"anything-but":{"prefix":"canc"}}]}}"#, true),
        (#"{"order":{"status":["cancelled"]}}"#, false),
    ])
    func bodyScope(policy: String, expected: Bool) throws {
        let p = try SubscriptionFilterPolicy(json: JSONValue(parsing: policy), scope: .messageBody)
        let body = #"{"order":{"total":150,"status":"open","items":[{"sku":"B-2"},{"sku":"A-1"}]}}"#
        #expect(p.matches(message: body, attributes: [:]) == expected)
    }

    @Test func invalidOperatorIsReportedWithThePatternEnginesReason() {
        let error = #expect(throws: TopicError.self) {
            try SubscriptionFilterPolicy(json: JSONValue(parsing: #"{"price":[{"numeric":[">","x"]}]}"#))
        }
        #expect(error?.code == .invalidParameter)
        #expect(error?.message.hasPrefix("FilterPolicy: ") == true)
        #expect(error?.message.contains("price") == true)
    }
}
