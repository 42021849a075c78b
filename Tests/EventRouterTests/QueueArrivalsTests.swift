import EventRouter
import EventRouterTesting
import Testing

/// A queue gaining visible messages signals its registry's `arrivals` (on a real clock the
/// runtime's wake, so an idle event source mapping polls at once).
@Suite struct QueueArrivalsTests {
    @Test func aSendToAnEmptyQueueSignalsArrivalsAndNothingElseDoes() async throws {
        let clock = ManualClock()
        let arrivals = WakeSignal()
        let queue = try QueueRegistry(clock: clock, arrivals: arrivals).createQueue(QueueConfiguration(name: "in"))
        let start = arrivals.generation
        _ = try queue.sendNow(body: "one")
        #expect(arrivals.generation == start + 1)
        _ = try queue.sendNow(body: "two")
        #expect(arrivals.generation == start + 1, "a queue that already holds visible messages is no news")
        _ = try queue.sendNow(body: "later", delaySeconds: 30)
        let received = try await queue.receiveMessages(maxNumberOfMessages: 10)
        #expect(received.count == 2)
        #expect(arrivals.generation == start + 1, "a receive takes messages away; a delayed message is not visible yet")
        _ = try queue.sendNow(body: "three")
        #expect(arrivals.generation == start + 2, "the queue was empty again")
    }

    @Test func theRuntimeWiresArrivalsToItsWakeOnlyOnARealClock() throws {
        var workspace = Workspace()
        workspace.queues = [QueueDeclaration(configuration: QueueConfiguration(name: "in"), json: JSONObject(), file: "a.json")]
        let clock = ManualClock()
        let real = try RouterRuntime(workspace: workspace, clock: .real(clock), seed: 1)
        let seen = real.driver.wake.generation
        _ = try real.queues.queue(named: "in").sendNow(body: "hello")
        #expect(real.driver.wake.generation > seen, "a message for an idle mapping wakes the driver")
        let virtual = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1)
        let before = virtual.driver.wake.generation
        _ = try virtual.queues.queue(named: "in").sendNow(body: "hello")
        #expect(virtual.driver.wake.generation == before, "virtual time polls at every jump; seeded runs stay as they were")
    }
}
