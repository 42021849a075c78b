import Testing
import EventRouterTesting

func orderEvent(_ n: Int, source: String = "shop", replayName: String? = nil) -> JSONValue {
    var o: JSONObject = JSONObject([
        .init(key: "version", value: "0"), .init(key: "id", value: .string("id-\(n)")), .init(key: "detail-type", value: "OrderPlaced"),
        .init(key: "source", value: .string(source)), .init(key: "account", value: "123456789012"),
        .init(key: "time", value: "2024-01-01T00:00:00Z"), .init(key: "region", value: "us-east-1"), .init(key: "resources", value: []),
        .init(key: "detail", value: ["n": .number(JSONNumber(n))]),
    ])
    if let replayName { o["replay-name"] = .string(replayName) }
    return .object(o)
}

func archiveDefinition(pattern: JSONValue? = nil, retentionDays: Int = 0) throws -> ArchiveDefinition {
    ArchiveDefinition(name: "orders-archive", source: try #require(BusReference(arn: ordersBus)),
                      pattern: try pattern.map { try EventPattern(json: $0) }, retentionDays: retentionDays)
}

@Suite struct ArchiveStoreTests {
    @Test func keepsOnlyEventsMatchingThePattern() throws {
        let clock = ManualClock()
        let store = ArchiveStore(definition: try archiveDefinition(pattern: ["source": ["shop"]]), clock: clock)
        #expect(store.archive(orderEvent(1), receivedAt: clock.now) == .archived)
        #expect(store.archive(orderEvent(2, source: "billing"), receivedAt: clock.now) == .notMatched)
        #expect(store.allEvents.map { $0.json["id"]?.stringValue } == ["id-1"])
    }

    @Test func neverArchivesReplayedEvents() throws {
        let clock = ManualClock()
        let store = ArchiveStore(definition: try archiveDefinition(), clock: clock)
        #expect(store.archive(orderEvent(1, replayName: "r1"), receivedAt: clock.now) == .skippedReplay)
        #expect(store.eventCount == 0)
    }

    @Test func dropsExpiredEventsOnTheManualClock() throws {
        let clock = ManualClock()
        let store = ArchiveStore(definition: try archiveDefinition(retentionDays: 1), clock: clock)
        store.archive(orderEvent(1), receivedAt: clock.now)
        clock.advance(by: .seconds(12 * 3600))
        store.archive(orderEvent(2), receivedAt: clock.now)
        clock.advance(by: .seconds(12 * 3600 - 1))
        #expect(store.eventCount == 2)
        clock.advance(by: .seconds(1))
        #expect(store.allEvents.map { $0.json["id"]?.stringValue } == ["id-2"])
        clock.advance(by: .seconds(12 * 3600))
        #expect(store.eventCount == 0)
        #expect(store.stateJSON().jsonText == #"{"events":0,"sizeBytes":0}"#)
    }

    @Test func zeroRetentionKeepsForever() throws {
        let clock = ManualClock()
        let store = ArchiveStore(definition: try archiveDefinition(retentionDays: 0), clock: clock)
        store.archive(orderEvent(1), receivedAt: clock.now)
        clock.advance(by: .seconds(10 * 365 * 86_400))
        #expect(store.eventCount == 1)
    }

    @Test func windowIsHalfOpenAndInReceiptOrder() throws {
        let clock = ManualClock()
        let store = ArchiveStore(definition: try archiveDefinition(), clock: clock)
        let t0 = clock.now
        store.archive(orderEvent(2), receivedAt: t0 + .seconds(20))
        store.archive(orderEvent(1), receivedAt: t0 + .seconds(10))
        store.archive(orderEvent(3), receivedAt: t0 + .seconds(30))
        let ids = store.events(from: t0 + .seconds(10), to: t0 + .seconds(30)).map { $0.json["id"]?.stringValue }
        #expect(ids == ["id-1", "id-2"])
    }

    @Test func registryFeedsTheArchivesOfABusAndWritesState() throws {
        let clock = ManualClock()
        let registry = ArchiveRegistry(clock: clock, archives: [try archiveDefinition(pattern: ["source": ["shop"]])])
        let event = orderEvent(1)
        #expect(registry.receive(event, busArn: ordersBus, receivedAt: clock.now) == 1)
        #expect(registry.receive(event, busArn: "arn:aws:events:us-east-1:123456789012:event-bus/other", receivedAt: clock.now) == 0)
        #expect(registry.stateJSON().jsonText
            == #"{"arn:aws:events:us-east-1:123456789012:archive/orders-archive":{"events":1,"sizeBytes":\#(event.jsonText.utf8.count)}}"#)
        #expect(registry.archives(named: "orders-archive").count == 1)
    }
}
