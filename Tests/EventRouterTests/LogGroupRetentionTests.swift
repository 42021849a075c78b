import Foundation
import Testing
@testable import EventRouter
import EventRouterTesting

/// A log group's retention (PutRetentionPolicy / DeleteRetentionPolicy): recorded in the group
/// and its `group.json`, applied on the injected clock to reads and to PutLogEvents.
@Suite struct LogGroupRetentionTests {
    static let day: Int64 = 86_400_000

    @Test func eventsOlderThanTheRetentionAreNoLongerReadAndComeBackWhenItIsRemoved() async throws {
        let clock = ManualClock()
        let registry = LogGroupRegistry(storage: .inMemory, clock: clock)
        try await registry.createGroup("g")
        let now = clock.now.millisecondsSinceEpoch
        try await registry.put([(now - 3 * Self.day, "three days old"), (now - Self.day / 2, "half a day old")], group: "g", stream: "s", createStream: true)
        #expect(try registry.filter(group: "g").count == 2)

        try await registry.setRetention(1, group: "g")
        #expect(registry.group("g")?.retentionInDays == 1)
        #expect(try registry.events(group: "g", stream: "s").map(\.message) == ["half a day old"])
        #expect(try registry.filter(group: "g").map(\.event.message) == ["half a day old"])
        // A start time before the retention's cutoff does not bring expired events back.
        #expect(try registry.filter(group: "g", start: 0).map(\.event.message) == ["half a day old"])

        // Time passes on the clock: the other event expires too.
        clock.advance(by: .seconds(86_400))
        #expect(try registry.events(group: "g", stream: "s").isEmpty)
        #expect(registry.lastExpiredIndex(of: [now - 2 * Self.day, now - 1, now, now + Self.day], group: "g") == 1)

        try await registry.setRetention(nil, group: "g")
        #expect(registry.group("g")?.retentionInDays == nil)
        #expect(try registry.events(group: "g", stream: "s").count == 2)
        #expect(registry.lastExpiredIndex(of: [now - 2 * Self.day], group: "g") == nil)
    }

    @Test func theRetentionIsWrittenToGroupJSONAndReadBack() async throws {
        let folder = NSTemporaryDirectory() + "eventrouter-retention-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clock = ManualClock()
        let registry = LogGroupRegistry(storage: .directory(folder), clock: clock)
        try await registry.createGroup("app/one")
        try await registry.setRetention(14, group: "app/one")
        let text = try String(contentsOfFile: folder + "/app%2Fone/group.json", encoding: .utf8)
        #expect(text.contains(#""retentionInDays":14"#))
        #expect(LogGroupRegistry(storage: .directory(folder), clock: clock).group("app/one")?.retentionInDays == 14)
        try await registry.setRetention(nil, group: "app/one")
        #expect(LogGroupRegistry(storage: .directory(folder), clock: clock).group("app/one")?.retentionInDays == nil)
    }

    @Test(arguments: [
        (8, "g", "1 validation error detected: Value '8' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14,"),
        (0, "g", "Value '0' at 'retentionInDays'"),
        (7, "missing", "The specified log group does not exist"),
    ])
    func aValueCloudWatchDoesNotAcceptOrAMissingGroupIsRefused(days: Int, group: String, message: String) async throws {
        let registry = LogGroupRegistry(storage: .inMemory, clock: ManualClock())
        try await registry.createGroup("g")
        do {
            try await registry.setRetention(days, group: group)
            Issue.record("retention \(days) on \(group) was accepted")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
        #expect(registry.group("g")?.retentionInDays == nil)
    }
}
