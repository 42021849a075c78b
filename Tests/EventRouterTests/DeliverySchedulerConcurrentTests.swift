import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// The scheduler on a real clock (``DeliveryScheduler/runDueConcurrently()``): attempts to queues
/// are delivered in runs under one lock of the queue, so a burst of PutEvents deliveries costs
/// one journal append per run, not one per message; other targets still get a task each, and
/// every outcome is applied in sequence order.
@Suite struct DeliverySchedulerConcurrentTests {
    static let ruleArn = "arn:aws:events:us-east-1:123456789012:rule/orders/r"
    static let bus = "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    static let otherArn = "arn:aws:lambda:us-east-1:123456789012:function:f"

    /// Counts the journal's appends (``StateJournal/submit(_:)`` calls) next to the records.
    final class CountingJournal: StateJournal {
        let appends = Mutex<[[StateRecord]]>([])
        func submit(_ records: [StateRecord]) -> StateJournalTicket {
            appends.withLock { $0.append(records) }
            return .none
        }
    }

    let clock = ManualClock()
    let targets = TargetRegistry()

    /// A request on `route` (the requests of one rule target share their route, as the router's do).
    func request(_ id: String, on route: DeliveryRoute) -> DeliveryRequest {
        let event = Event(id: id, detailType: "Placed", source: "shop", account: "123456789012", time: clock.now, region: "us-east-1",
                          detail: ["orderId": .string(id)])
        return DeliveryRequest(event: event, route: route, body: .success(event.jsonText), acceptedAt: clock.now)
    }

    static func route(to targetArn: String, id: String = "t") -> DeliveryRoute {
        DeliveryRoute(ruleArn: ruleArn, targetId: id, targetArn: ARN(text: targetArn), policy: RetryPolicy(maximumRetryAttempts: 2))
    }

    /// A scheduler on a real (not driven) clock, so ``DeliveryScheduler/runDue(at:)`` runs attempts concurrently.
    func scheduler(journal: CountingJournal, queues: QueueRegistry) -> DeliveryScheduler {
        targets.registerProvider(forService: "sqs") { _ in QueueTarget(queues: queues) }
        let scheduler = DeliveryScheduler(clock: .real(clock), random: SharedRandom(seed: 42), targets: targets)
        scheduler.journal.withLock { $0 = DeliveryJournal(journal: journal) }
        return scheduler
    }

    @Test(arguments: [1, 10, 64, 150])
    func aBurstToOneQueueIsOneAppendPerRun(count: Int) async throws {
        let journal = CountingJournal()
        let queues = QueueRegistry(clock: clock, seed: 7)
        let queue = try queues.createQueue(QueueConfiguration(name: "target"))
        queues.attachJournal(journal)
        let scheduler = scheduler(journal: journal, queues: queues)
        let route = Self.route(to: queue.arn)
        let requests = (0..<count).map { request("e-\($0)", on: route) }
        let delivery = try #require(scheduler.journal.withLock { $0 })
        _ = delivery.accepted(requests.map { ($0, busArn: Self.bus) }, at: clock.now)
        journal.appends.withLock { $0.removeAll() }
        scheduler.enqueue(requests)

        #expect(await scheduler.runDue(at: clock.now) == count)

        let appends = journal.appends.withLock { $0 }
        #expect(!appends.flatMap { $0 }.contains { $0.type == StateRecordType.messagePutBinary.rawValue })
        let puts = appends.filter { $0.contains { $0.type == StateRecordType.messagePutEvent.rawValue } }
        // One run per 64 attempts taken at once (``DeliveryScheduler/batchSize``); a lone attempt is a run of one.
        // Each run is one `message.put.event` record naming the events instead of repeating their texts.
        #expect(puts.count == (count + 63) / 64)
        #expect(puts.flatMap { $0 }.count == puts.count)
        let messages = try puts.flatMap { $0 }.flatMap { try QueueRecordCodec.decodeMessagePutEvent($0.payload).messages }
        #expect(messages.map(\.eventId) == requests.map(\.event.id))
        #expect(messages.map(\.bodyCount) == requests.map { UInt32(try! $0.body.get().utf8.count) })
        #expect(messages.map(\.bodyChecksum) == requests.map { QueueRecordCodec.bodyChecksum(try! $0.body.get()) })
        // Their message records settle the deliveries: no delivery.done.
        #expect(!appends.flatMap { $0 }.contains { $0.type == StateRecordType.deliveryDone.rawValue })
        #expect(delivery.pending.isEmpty)
        #expect(scheduler.statistics.succeeded == count)
        #expect(scheduler.pendingCount == 0)
        #expect(try await queue.statistics().visible == count)
    }

    @Test func queueRunsAndOtherTargetsMixAndSettleInOrder() async throws {
        let journal = CountingJournal()
        let queues = QueueRegistry(clock: clock, seed: 7)
        let queue = try queues.createQueue(QueueConfiguration(name: "target"))
        queues.attachJournal(journal)
        let other = RecordingTarget(clock: clock)
        targets.register(other, for: Self.otherArn)
        let scheduler = scheduler(journal: journal, queues: queues)
        // q q f q q f f q: three queue runs (2, 2, 1) between the function's attempts.
        let toQueue = Self.route(to: queue.arn), toOther = Self.route(to: Self.otherArn, id: "f")
        let layout = [toQueue, toQueue, toOther, toQueue, toQueue, toOther, toOther, toQueue]
        let requests = layout.enumerated().map { request("e-\($0.offset)", on: $0.element) }
        let delivery = try #require(scheduler.journal.withLock { $0 })
        _ = delivery.accepted(requests.map { ($0, busArn: Self.bus) }, at: clock.now)
        journal.appends.withLock { $0.removeAll() }
        scheduler.enqueue(requests)

        #expect(await scheduler.runDue(at: clock.now) == layout.count)

        let appends = journal.appends.withLock { $0 }
        let puts = appends.filter { $0.contains { $0.type == StateRecordType.messagePutEvent.rawValue } }
        #expect(try puts.map { try QueueRecordCodec.decodeMessagePutEvent(#require($0.first).payload).messages.count } == [2, 2, 1])
        #expect(Set(other.deliveries.compactMap { $0.event?.id }) == ["e-2", "e-5", "e-6"])  // tasks: any order
        // Every delivery settled: the queue's by their message records, the function's in one
        // `delivery.done` in sequence order.
        let done = try appends.flatMap { $0 }.filter { $0.type == StateRecordType.deliveryDone.rawValue }
            .flatMap { try DeliveryRecordCodec.decodeDone($0.payload) }
        #expect(done.map(\.eventId) == ["e-2", "e-5", "e-6"])
        #expect(delivery.pending.isEmpty)
        #expect(scheduler.statistics.succeeded == layout.count)
        #expect(try await queue.statistics().visible == 5)
    }
}
