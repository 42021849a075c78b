import Testing
@testable import EventRouter

/// ``MessageStore``: the queue's messages by internal id, an array window with an overflow
/// dictionary for old stragglers.
@Suite struct MessageStoreTests {
    static let t0 = Timestamp(nanosecondsSinceEpoch: 1_704_067_200_000_000_000)

    static func message(_ id: UInt64) -> QueueMessage {
        QueueMessage(id: id, messageId: "m\(id)", body: "b\(id)", attributes: [:], sentTimestamp: t0, enqueuedAt: t0,
                     state: .visible, visibleAt: t0)
    }

    /// A dictionary kept beside the store: both must agree after every step.
    struct Model {
        var store = MessageStore()
        var reference: [UInt64: QueueMessage] = [:]
        var next: UInt64 = 1

        mutating func insert() -> UInt64 {
            let id = next
            next += 1
            store[id] = MessageStoreTests.message(id)
            reference[id] = MessageStoreTests.message(id)
            return id
        }

        mutating func remove(_ id: UInt64) {
            #expect(store.removeValue(forKey: id)?.id == reference.removeValue(forKey: id)?.id)
        }

        func check(probing ids: ClosedRange<UInt64>) {
            #expect(store.count == reference.count)
            #expect(store.values.map(\.id).sorted() == reference.keys.sorted())
            #expect(store.valuesInIdOrder.map(\.id) == reference.keys.sorted())  // snapshots: no sort
            for id in ids { #expect(store[id]?.body == reference[id]?.body, "id \(id)") }
        }
    }

    @Test func messagesComeAndGoInArrivalOrder() {
        var model = Model()
        for _ in 0..<100 { _ = model.insert() }
        for id in UInt64(1)...60 { model.remove(id) }
        model.check(probing: 0...120)
        for id in UInt64(61)...100 { model.remove(id) }
        model.check(probing: 0...120)
        _ = model.insert()
        model.check(probing: 0...120)
    }

    @Test func removingFromTheMiddleAndUpdatingInPlace() {
        var model = Model()
        for _ in 0..<10 { _ = model.insert() }
        model.remove(5)
        model.remove(5)
        var m = model.store[3]!
        m.body = "changed"
        model.store[3] = m
        model.reference[3] = m
        model.check(probing: 0...12)
        model.store[4] = nil
        model.reference[4] = nil
        model.check(probing: 0...12)
    }

    /// One message held while many newer ones come and go: the window does not grow without
    /// bound; the old message moves to the overflow and stays found.
    @Test func anOldMessageHeldWhileManyComeAndGoStaysFound() {
        var model = Model()
        let old = model.insert()
        let churn = 3 * MessageStore.windowSlack
        for _ in 0..<churn {
            let id = model.insert()
            model.remove(id)
        }
        let kept = (0..<5).map { _ in model.insert() }
        model.check(probing: 0...(model.next + 2))
        #expect(model.store[old]?.body == "b\(old)")
        model.remove(old)
        for id in kept { model.remove(id) }
        model.check(probing: 0...(model.next + 2))
        #expect(model.store.count == 0)
    }

    /// Ids are consecutive in a queue, but a jump far ahead must not hide older messages.
    @Test func anIdFarAheadStartsANewWindowAndOlderMessagesStayFound() {
        var store = MessageStore()
        store[1] = Self.message(1)
        store[2] = Self.message(2)
        let far = UInt64(2 + MessageStore.windowSlack + 10)
        store[far] = Self.message(far)
        store[far + 1] = Self.message(far + 1)
        #expect([1, 2, far, far + 1].allSatisfy { store[$0]?.id == $0 })
        #expect(store[3] == nil && store[far - 1] == nil)
        #expect(store.count == 4)
        #expect(store.valuesInIdOrder.map(\.id) == [1, 2, far, far + 1])
        store[1] = nil
        #expect(store.count == 3 && store[1] == nil && store[2]?.id == 2)
    }

    @Test func removeAllEmptiesTheStoreAndLaterIdsStillWork() {
        var model = Model()
        for _ in 0..<20 { _ = model.insert() }
        model.store.removeAll()
        model.reference.removeAll()
        model.check(probing: 0...25)
        _ = model.insert()
        _ = model.insert()
        model.check(probing: 0...25)
    }
}
