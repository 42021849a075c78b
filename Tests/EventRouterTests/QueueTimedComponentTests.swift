import Synchronization
import Testing
@testable import EventRouter

/// Records, at every round of a ``TimeDriver``, what a queue holds without applying its
/// deadlines (raw state: only the driver or an operation applies them).
final class QueueProbe: TimedComponent {
    struct Sample: Equatable, CustomStringConvertible {
        var at: Timestamp
        var visible: Int
        var held: Int
        var description: String { "(\(at.iso8601Milliseconds): visible \(visible), held \(held))" }
    }

    let queue: MessageQueue
    private let samples = Mutex<[Sample]>([])

    init(_ queue: MessageQueue) { self.queue = queue }

    var log: [Sample] { samples.withLock { $0 } }
    var timedRole: TimedRole { .poller }

    func runDue(at now: Timestamp) async -> Int {
        let (visible, held) = queue.core.withLock { ($0.machine.visibleCount, $0.machine.messages.count) }
        samples.withLock { $0.append(Sample(at: now, visible: visible, held: held)) }
        return 0
    }

    func timedStatus(at now: Timestamp) async -> TimedStatus { TimedStatus(pending: 0, nextDeadline: nil) }
}

/// The queue registry is a ``TimedComponent`` of the one ``TimeDriver``: it reports the earliest
/// deadline of its queues and applies it when the driver gets there.
@Suite struct QueueTimedComponentTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var configuration: QueueConfiguration
        /// What happens at the start (on the queue, at t0).
        var act: @Sendable (MessageQueue) async throws -> Void
        /// Seconds after t0 when the queue changes by itself.
        var deadline: Int
        var before: (visible: Int, held: Int)
        var after: (visible: Int, held: Int)
    }

    static let cases: [Case] = [
        Case(description: "a visibility timeout ends", configuration: QueueConfiguration(name: "work", visibilityTimeout: 30),
             act: { q in _ = try q.sendNow(body: "a"); _ = try await q.receiveMessages() },
             deadline: 30, before: (0, 1), after: (1, 1)),
        Case(description: "a delay ends", configuration: QueueConfiguration(name: "work"),
             act: { q in _ = try q.sendNow(body: "a", delaySeconds: 45) },
             deadline: 45, before: (0, 1), after: (1, 1)),
        Case(description: "a message outlives the retention period", configuration: QueueConfiguration(name: "work", messageRetentionPeriod: 60),
             act: { q in _ = try q.sendNow(body: "a") },
             deadline: 60, before: (1, 1), after: (0, 0)),
        Case(description: "a FIFO group unlocks", configuration: QueueConfiguration(name: "work.fifo", contentBasedDeduplication: true, visibilityTimeout: 20),
             act: { q in
                 _ = try q.sendNow(body: "first", groupId: "g")
                 _ = try q.sendNow(body: "second", groupId: "g")
                 _ = try await q.receiveMessages()
             },
             deadline: 20, before: (1, 2), after: (2, 2)),
    ]

    @Test(arguments: cases)
    func theDriverAppliesAQueueDeadlineAtExactlyItsTime(_ c: Case) async throws {
        let clock = ManualClock()
        let t0 = clock.now
        let registry = QueueRegistry(clock: clock, seed: 1)
        let queue = try registry.createQueue(c.configuration)
        try await c.act(queue)
        #expect(registry.nextDeadline(at: t0) == t0 + .seconds(c.deadline), "the registry reports the queue's deadline")
        let probe = QueueProbe(queue)
        let driver = TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [registry, probe])
        let report = await driver.run(until: t0 + .seconds(c.deadline + 10))
        #expect(report.clockJumps == 1, "one jump, to the queue's deadline")
        #expect(probe.log == [
            QueueProbe.Sample(at: t0, visible: c.before.visible, held: c.before.held),
            QueueProbe.Sample(at: t0 + .seconds(c.deadline), visible: c.after.visible, held: c.after.held),
        ])
    }

    @Test func aFifoGroupUnlockedByTheDriverHandsOutItsFirstMessageAgain() async throws {
        let clock = ManualClock()
        let registry = QueueRegistry(clock: clock, seed: 1)
        let queue = try registry.createQueue(QueueConfiguration(name: "work.fifo", contentBasedDeduplication: true, visibilityTimeout: 20))
        _ = try queue.sendNow(body: "first", groupId: "g")
        _ = try queue.sendNow(body: "second", groupId: "g")
        #expect(try await queue.receiveMessages(maxNumberOfMessages: 1).map(\.body) == ["first"])
        #expect(try await queue.receiveMessages(maxNumberOfMessages: 10).isEmpty, "the group is locked")
        await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [registry]).run(until: clock.now + .seconds(20))
        #expect(try await queue.receiveMessages(maxNumberOfMessages: 10).map(\.body) == ["first", "second"])
    }

    /// Deleted messages leave timer entries behind; the reported deadline skips them, so the
    /// driver never jumps for nothing.
    @Test func deletedMessagesLeaveNoDeadlineBehind() async throws {
        let clock = ManualClock()
        let t0 = clock.now
        let registry = QueueRegistry(clock: clock, seed: 1)
        let queue = try registry.createQueue(QueueConfiguration(name: "work", visibilityTimeout: 30, messageRetentionPeriod: 600))
        _ = try queue.sendNow(body: "a")
        let handle = try #require(try await queue.receiveMessages().first?.receiptHandle)
        #expect(registry.nextDeadline(at: t0) == t0 + .seconds(30))
        try queue.deleteNow(receiptHandle: handle)
        #expect(registry.nextDeadline(at: t0) == nil)
        _ = try queue.sendNow(body: "b")
        #expect(registry.nextDeadline(at: t0) == t0 + .seconds(600), "only the new message's retention")
    }

    /// Held messages are not work: settling does not wait for their retention.
    @Test func settlingDoesNotWaitForHeldMessages() async throws {
        let clock = ManualClock()
        let registry = QueueRegistry(clock: clock, seed: 1)
        let queue = try registry.createQueue(QueueConfiguration(name: "work"))
        _ = try queue.sendNow(body: "a", delaySeconds: 30)
        let report = await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [registry]).settle()
        #expect(report.stop == .settled)
        #expect(report.clockJumps == 0)
        #expect(report.pending == [0])
    }

    /// A long poll on a driven registry sleeps only until the end of its wait; the driver
    /// answers it when it reaches the visibility deadline.
    @Test(.timeLimit(.minutes(1))) func aLongPollWaitingOnVirtualTimeIsAnsweredWhenTheDriverReachesTheDeadline() async throws {
        let clock = ManualClock()
        let t0 = clock.now
        let registry = QueueRegistry(clock: clock, seed: 1)
        let queue = try registry.createQueue(QueueConfiguration(name: "work"))
        _ = try queue.sendNow(body: "a")
        #expect(try await queue.receiveMessages(visibilityTimeout: 5).count == 1)
        let driver = TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [registry])
        await driver.run(until: t0)
        async let polled = queue.receiveMessages(waitTimeSeconds: 20)
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == t0 + .seconds(20), "the poll keeps no timer for the visibility change")
        await driver.run(until: t0 + .seconds(5))
        let got = try await polled
        #expect(got.map(\.body) == ["a"])
        #expect(got.first?.attributes["ApproximateReceiveCount"] == "2")
        #expect(clock.now == t0 + .seconds(5))
    }

    /// On a real clock the driver sleeps until the queues' deadline; a receive that schedules
    /// an earlier one wakes it, and it applies that one on time (the queue's arrivals wake it).
    @Test(.timeLimit(.minutes(1))) func onARealClockTheDriverSleepsUntilTheQueuesDeadline() async throws {
        let clock = ManualClock()
        let t0 = clock.now
        let wake = WakeSignal()
        let registry = QueueRegistry(clock: clock, seed: 1, arrivals: wake)
        let queue = try registry.createQueue(QueueConfiguration(name: "work", visibilityTimeout: 30))
        _ = try queue.sendNow(body: "a")
        _ = try queue.sendNow(body: "b")
        #expect(try await queue.receiveMessages().map(\.body) == ["a"])
        let driver = TimeDriver(clock: .real(clock), wake: wake, components: [registry])
        let serving = Task { try? await driver.run() }
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == t0 + .seconds(30), "the driver sleeps until the visibility deadline")
        let seen = wake.generation
        #expect(try await queue.receiveMessages(visibilityTimeout: 10).map(\.body) == ["b"])
        #expect(wake.generation != seen, "an earlier deadline wakes the driver")
        clock.advance(to: t0 + .seconds(10))
        while true {
            let generation = wake.generation
            if queue.core.withLock({ $0.machine.visibleCount }) == 1 { break }
            await wake.wait(changedFrom: generation)
        }
        #expect(clock.now == t0 + .seconds(10))
        #expect(queue.core.withLock { $0.machine.inFlightCount } == 1, "a is still in flight until t0 + 30 s")
        driver.stop()
        await serving.value
    }

    /// As under `eventrouter run`: a runtime on a real clock serving; a long poll parked on a
    /// queue whose message is in flight is answered when the driver reaches the visibility
    /// deadline, not at the end of its wait.
    @Test(.timeLimit(.minutes(1))) func aServingRuntimeAnswersAParkedPollAtTheVisibilityDeadline() async throws {
        var workspace = Workspace()
        workspace.queues = [QueueDeclaration(configuration: QueueConfiguration(name: "in", visibilityTimeout: 5), json: JSONObject(), file: "a.json")]
        let clock = ManualClock()
        let t0 = clock.now
        let runtime = try RouterRuntime(workspace: workspace, clock: .real(clock), seed: 1)
        let queue = try runtime.queues.queue(named: "in")
        _ = try queue.sendNow(body: "again")
        #expect(try await queue.receiveMessages().count == 1)
        let serving = Task { try? await runtime.driver.run() }
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == t0 + .seconds(5), "the driver sleeps until the visibility deadline")
        async let polled = queue.receiveMessages(waitTimeSeconds: 20)
        await clock.waitForSleepers(2)
        clock.advance(to: t0 + .seconds(5))
        #expect(try await polled.map(\.body) == ["again"])
        #expect(clock.now == t0 + .seconds(5))
        runtime.driver.stop()
        await serving.value
        await runtime.shutdown()
    }

    /// The runtime's driver runs the queues too: their deadline counts among its components'.
    @Test func theRuntimeDriverIncludesTheQueues() async throws {
        var workspace = Workspace()
        workspace.queues = [QueueDeclaration(configuration: QueueConfiguration(name: "in"), json: JSONObject(), file: "a.json")]
        let clock = ManualClock()
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 1)
        let queue = try runtime.queues.queue(named: "in")
        _ = try queue.sendNow(body: "later", delaySeconds: 40)
        let result = await runtime.run(until: clock.now + .seconds(60))
        #expect(result.clockJumps == 1)
        #expect(queue.core.withLock { $0.machine.visibleCount } == 1)
    }
}
