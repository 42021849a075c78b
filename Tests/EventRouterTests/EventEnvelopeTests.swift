import Testing
@testable import EventRouter

@Suite struct EventEnvelopeTests {
    let random = SharedRandom(seed: 1)
    let now = Timestamp(iso8601: "2024-05-01T12:00:00Z")!

    func parse(_ text: String) throws -> Event {
        try Event(envelope: try JSONParser.parse(text), defaults: RouterDefaults(), now: now, random: random)
    }

    @Test func fullEnvelopeRoundTripsInEventBridgeKeyOrder() throws {
        let e = try parse(#"{"version":"0","id":"abc","detail-type":"T","source":"s","account":"111122223333","time":"2024-01-02T03:04:05Z","region":"eu-west-1","resources":["r1"],"detail":{"a":1}}"#)
        #expect(e.jsonText == #"{"version":"0","id":"abc","detail-type":"T","source":"s","account":"111122223333","time":"2024-01-02T03:04:05Z","region":"eu-west-1","resources":["r1"],"detail":{"a":1}}"#)
        #expect(e.account == "111122223333")
        #expect(e.region == "eu-west-1")
    }

    @Test func missingOptionalFieldsGetDefaults() throws {
        let e = try parse(#"{"detail-type":"T","source":"s","detail":{}}"#)
        #expect(e.account == "123456789012")
        #expect(e.region == "us-east-1")
        #expect(e.time == now)
        #expect(e.resources.isEmpty)
        #expect(e.id.count == 36)
    }

    @Test func replayNameIsKept() throws {
        let e = try parse(#"{"detail-type":"T","source":"s","detail":{},"replay-name":"r1"}"#)
        #expect(e.replayName == "r1")
        #expect(e.jsonText.hasSuffix(#","replay-name":"r1"}"#))
    }

    @Test(arguments: [
        (#"{"source":"s","detail":{}}"#, "event envelope is missing required field 'detail-type'"),
        (#"{"detail-type":"T","detail":{}}"#, "event envelope is missing required field 'source'"),
        (#"{"detail-type":"T","source":"s"}"#, "event envelope is missing required field 'detail'"),
        (#"{"detail-type":"T","source":"s","detail":"{}"}"#, "event field 'detail' must be a JSON object, not string"),
        (#"{"detail-type":"T","source":"s","detail":{},"account":"12"}"#, "event field 'account' must be a 12-digit account id, not '12'"),
        (#"{"detail-type":"T","source":"s","detail":{},"time":"yesterday"}"#, "event field 'time' is not valid: 'yesterday' is not an ISO-8601 time like 2024-01-01T00:00:00Z"),
        (#"{"detail-type":"T","source":"s","detail":{},"version":"1"}"#, "event field 'version' must be \"0\", not \"1\""),
        (#"{"detail-type":"T","source":"s","detail":{},"resources":"x"}"#, "event field 'resources' must be an array of strings, not string"),
        (#"{"detail-type":"T","source":"s","detail":{},"resources":[1]}"#, "event field 'resources' must hold only strings, found number"),
        (#"{"detail-type":"T","source":"s","detail":{},"regoin":"x"}"#, "unknown event envelope field 'regoin' (did you mean 'region'?)"),
        (#"{"detail-type":"","source":"s","detail":{}}"#, "event field 'detail-type' must not be empty"),
        (#"[1]"#, "an event envelope must be a JSON object, not array"),
    ])
    func invalidEnvelopes(text: String, message: String) throws {
        let error = #expect(throws: EventRouterError.self) { try parse(text) }
        #expect(error?.message == message)
    }

    @Test func sizeIsCountedAsEventBridgeDoes() {
        // Source + DetailType + Detail + Resources, plus 14 bytes for Time.
        #expect(EventSize.of(source: "shop", detailType: "Placed", detailText: "{}", resources: ["ab", "c"], hasTime: true) == 4 + 6 + 2 + 3 + 14)
        #expect(EventSize.of(source: "é", detailType: "", detailText: "", resources: [], hasTime: false) == 2)
        let entry = PutEventsEntry(source: "s", detailType: "t", detail: "{}", resources: ["r"], time: nil)
        #expect(entry.size == 5)
        let timed = PutEventsEntry(source: "s", detailType: "t", detail: "{}", time: "2024-01-01T00:00:00Z")
        #expect(timed.size == 18)
    }

    @Test func replayedCopyCarriesTheReplayName() throws {
        let e = try parse(#"{"detail-type":"T","source":"s","detail":{}}"#).replayed(as: "again")
        #expect(e.json["replay-name"] == "again")
    }
}

@Suite struct EventARNTests {
    @Test(arguments: [
        ("arn:aws:events:us-east-1:123456789012:event-bus/orders", ARN.Kind.eventBus, "orders"),
        ("arn:aws:events:us-east-1:123456789012:rule/orders/big", .rule, "big"),
        ("arn:aws:sqs:us-east-1:123456789012:q1", .queue, "q1"),
        ("arn:aws:sns:us-east-1:123456789012:t1", .topic, "t1"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/s1", .stream, "s1"),
        ("arn:aws:lambda:us-east-1:123456789012:function:f1", .function, "f1"),
        ("arn:aws:lambda:us-east-1:123456789012:function:f1:live", .function, "f1"),
        ("arn:aws:iam::123456789012:role/x", .other, "role/x"),
    ])
    func parsesKinds(text: String, kind: ARN.Kind, name: String) throws {
        let arn = try ARN(parsing: text)
        #expect(arn.kind == kind)
        #expect(arn.name == name)
        #expect(arn.description == text)
    }

    @Test(arguments: [
        ("sqs:us-east-1:123456789012:q", "malformed ARN 'sqs:us-east-1:123456789012:q': it must have six ':'-separated parts starting with 'arn'; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE"),
        ("arn:aws:sqs:us-east-1:1234:q", "malformed ARN 'arn:aws:sqs:us-east-1:1234:q': account '1234' is not a 12-digit account id; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE"),
        ("arn:aws:sqs:US_EAST:123456789012:q", "malformed ARN 'arn:aws:sqs:US_EAST:123456789012:q': region 'US_EAST' is not a region name like us-east-1; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE"),
        ("arn:aws:sqs:us-east-1:123456789012:", "malformed ARN 'arn:aws:sqs:us-east-1:123456789012:': the resource is empty; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE"),
        ("arn:gcp:sqs:us-east-1:123456789012:q", "malformed ARN 'arn:gcp:sqs:us-east-1:123456789012:q': partition 'gcp' is not aws, aws-cn or aws-us-gov; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE"),
        ("arn:aws:events:us-east-1:123456789012:bus/x", "malformed ARN 'arn:aws:events:us-east-1:123456789012:bus/x': 'bus/x' is not a events resource this router knows; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE"),
    ])
    func malformed(text: String, message: String) {
        let error = #expect(throws: EventRouterError.self) { try ARN(parsing: text) }
        #expect(error?.message == message)
    }

    @Test func ruleARNsOnDefaultAndCustomBuses() {
        #expect(ARN.rule("r", bus: "default", account: "123456789012", region: "us-east-1").description == "arn:aws:events:us-east-1:123456789012:rule/r")
        #expect(ARN.rule("r", bus: "orders", account: "123456789012", region: "us-east-1").description == "arn:aws:events:us-east-1:123456789012:rule/orders/r")
    }
}
