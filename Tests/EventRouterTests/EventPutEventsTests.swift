import Testing
@testable import EventRouter

@Suite struct EventPutEventsTests {
    let clock = ManualClock()

    func router(maximumEventSize: Int = EventSize.defaultLimit) -> Router {
        let workspace = Workspace(buses: [BusDefinition(name: "orders", account: "123456789012", region: "us-east-1")])
        return Router(workspace: workspace, clock: clock, random: SharedRandom(seed: 3),
                      configuration: .init(maximumEventSize: maximumEventSize))
    }

    func entry(_ detail: String? = "{}", source: String? = "shop", detailType: String? = "Placed", bus: String? = nil,
               time: String? = nil) -> PutEventsEntry {
        PutEventsEntry(source: source, detailType: detailType, detail: detail, eventBusName: bus, time: time)
    }

    @Test(arguments: [0, 11])
    func requestsMustHoldOneToTenEntries(count: Int) {
        let r = router()
        let error = #expect(throws: EventRouterError.self) { try r.putEvents(Array(repeating: entry(), count: count)) }
        #expect(error?.message == "PutEvents takes 1 to 10 entries; this request has \(count)")
        #expect(error?.code == .validation)
    }

    @Test func eachEntryFailsAloneAndResultsKeepOrder() throws {
        let r = router()
        let result = try r.putEvents([
            entry(),
            entry(source: nil),
            entry("[1]"),
            entry(bus: "orders"),
            entry(bus: "ordrs"),
            entry("{\"a\":"),
            entry(detailType: ""),
            entry(time: "noon"),
            entry(source: "aws.ec2"),
            entry(nil),
        ])
        #expect(result.entries.count == 10)
        #expect(result.failedEntryCount == 8)
        #expect(result.entries[0].eventId != nil)
        #expect(result.entries[3].eventId != nil)
        let expected: [(Int, String, String)] = [
            (1, "InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."),
            (2, "MalformedDetail", "Detail must be a JSON object, not array"),
            (4, "ResourceNotFoundException", "Event bus ordrs does not exist in account 123456789012 (did you mean 'orders'?)"),
            (5, "MalformedDetail", "Detail is malformed: invalid JSON at byte 5: expected a JSON value, found end of input"),
            (6, "InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
            (7, "InvalidArgument", "Parameter Time is not valid: 'noon' is not an ISO-8601 time like 2024-01-01T00:00:00Z"),
            (8, "NotAuthorizedForSourceException", "Not authorized for the source aws.ec2; custom events may not use a source starting with 'aws.'"),
            (9, "InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument."),
        ]
        for (i, code, message) in expected {
            #expect(result.entries[i].errorCode == code, "entry \(i)")
            #expect(result.entries[i].errorMessage == message, "entry \(i)")
            #expect(result.entries[i].eventId == nil)
        }
        #expect(r.statistics.accepted == 2)
        #expect(r.statistics.rejected == 8)
    }

    @Test func resultJSONHasFailedEntryCountAndEntries() throws {
        let r = router()
        let result = try r.putEvents([entry(source: nil)])
        #expect(result.json.jsonText == #"{"FailedEntryCount":1,"Entries":[{"ErrorCode":"InvalidArgument","ErrorMessage":"Parameter Source is not valid. Reason: Source is a required argument."}]}"#)
    }

    @Test func sizeLimitIsConfigurableAndInclusive() throws {
        // "s" + "t" + detail; limit 20 bytes.
        let r = router(maximumEventSize: 20)
        let fits = String(repeating: "x", count: 18 - 4)  // {"a":"…"} is 8 + n bytes
        let ok = try r.putEvents([entry("{\"a\":\"\(fits.prefix(10))\"}", source: "s", detailType: "t")])
        #expect(ok.failedEntryCount == 0)  // 1 + 1 + 18 = 20
        let big = try r.putEvents([entry("{\"a\":\"\(fits.prefix(11))\"}", source: "s", detailType: "t")])
        #expect(big.entries[0].errorCode == "InvalidArgument")
        #expect(big.entries[0].errorMessage == "Event size 21 bytes exceeds the limit of 20 bytes (counted as EventBridge does: Source, DetailType, Detail, Resources, plus 14 for Time)")
    }

    @Test func defaultLimitIs256KB() throws {
        let r = router()
        let detail = "{\"a\":\"" + String(repeating: "x", count: 262_144) + "\"}"
        let result = try r.putEvents([entry(detail)])
        #expect(result.entries[0].errorMessage?.hasPrefix("Event size 262162 bytes exceeds the limit of 262144 bytes") == true)
    }

    @Test func eventsTakeTheBusAccountRegionAndTime() throws {
        let r = router()
        let result = try r.putEvents([entry(bus: "arn:aws:events:us-east-1:123456789012:event-bus/orders", time: "2023-02-03T04:05:06Z")])
        #expect(result.failedEntryCount == 0)
        let made = r.makeEvent(entry(time: "2023-02-03T04:05:06Z"), now: clock.now)
        let (event, bus) = try made.get()
        #expect(bus == "arn:aws:events:us-east-1:123456789012:event-bus/default")
        #expect(event.time.iso8601 == "2023-02-03T04:05:06Z")
        #expect(event.account == "123456789012")
    }

    @Test func entriesReadFromJSONRejectUnknownKeysAndWrongTypes() {
        let unknown = #expect(throws: EventRouterError.self) { try PutEventsEntry(json: ["Source": "s", "Detial": "{}"]) }
        #expect(unknown?.message == "unknown PutEvents entry field 'Detial' (did you mean 'Detail'?)")
        let wrong = #expect(throws: EventRouterError.self) { try PutEventsEntry(json: ["Source": "s", "Detail": ["a": 1]]) }
        #expect(wrong?.message == "entry field 'Detail' must be a string, not object")
    }
}
