import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// On the real clock each mapping's in-flight batch is a child task of the runner's group: a
/// slow handler in one mapping delays no other mapping.
@Suite struct EventSourceMappingConcurrencyTests {
    @Test(.timeLimit(.minutes(1)))
    func aBlockedBatchInOneMappingDoesNotHoldUpAnother() async throws {
        let f = EventSourceMappingFixture()
        let slow = try f.queue("slow"), fast = try f.queue("fast")
        _ = try slow.sendNow(body: "stuck")
        for i in 1...3 { _ = try fast.sendNow(body: "f\(i)") }
        let gate = FunctionGate(), handled = WakeSignal()
        let function = f.function(timeout: 900) { event in
            if event["Records"]?.arrayValue?.first?["body"] == "stuck" { await gate.enter() }
            handled.signal()
            return .null
        }
        // The blocked mapping comes first: stepped one after the other, it would hold up the second.
        let runner = try f.runner([EventSourceMappingSQSTests.mapping("slow", #", "BatchSize": 1"#),
                                   EventSourceMappingSQSTests.mapping("fast", #", "BatchSize": 1"#)], function: function)
        let loop = Task { await runner.run() }
        await gate.waitForEntered(1)
        await handled.until { f.bodies.filter { $0 != ["stuck"] }.count == 3 }
        #expect(f.bodies.filter { $0 != ["stuck"] } == [["f1"], ["f2"], ["f3"]])
        #expect(f.clock.now == EventSourceMappingFixture().clock.now, "the fast mapping needed no clock movement")
        gate.releaseAll()
        await handled.until { f.calls.count == 4 }
        loop.cancel()
        await loop.value
        #expect(try f.remainingBodies("fast").isEmpty)
    }

    /// Concurrent mode: an idle poll ends before `runDue` returns and tells the driver nothing
    /// (so polling never spins and settling sees the mapping idle); a batch that reaches its
    /// handler counts as pending until it ends, and its end wakes the driver.
    @Test(.timeLimit(.minutes(1)))
    func idlePollsAreQuietAndABatchInFlightIsPending() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        let gate = FunctionGate(), wake = WakeSignal()
        let configuration = try EventSourceMappingConfiguration(
            json: #require(JSONValue(parsing: EventSourceMappingSQSTests.mapping("q")).objectValue), account: "123456789012", region: "us-east-1")
        let function = f.function(timeout: 900) { _ in
            await gate.enter()
            return .null
        }
        let runner = try EventSourceMappingRunner(mappings: [configuration], queues: f.queues, streams: f.streams, functions: [function],
                                                  sink: f.sink, clock: f.clock, concurrency: .concurrent(wake: wake))
        let quiet = wake.generation
        for _ in 0..<3 { await runner.runDue() }
        #expect(await !runner.hasPendingWork)
        #expect(wake.generation == quiet, "idle polls woke the driver")
        _ = try q.sendNow(body: "m")
        await runner.runDue()
        #expect(await runner.hasPendingWork, "the batch at its handler is pending")
        await gate.waitForEntered(1)
        let beforeEnd = wake.generation
        gate.releaseAll()
        await wake.until { wake.generation != beforeEnd }
        await runner.runDue()
        #expect(await !runner.hasPendingWork)
        #expect(f.bodies == [["m"]])
    }

    @Test func steppedRunsStayInDeclarationOrder() async throws {
        let f = EventSourceMappingFixture()
        let a = try f.queue("a"), b = try f.queue("b")
        _ = try a.sendNow(body: "a1")
        _ = try b.sendNow(body: "b1")
        let runner = try f.runner([EventSourceMappingSQSTests.mapping("a"), EventSourceMappingSQSTests.mapping("b")], function: f.function { _ in .null })
        await runner.runDue()
        #expect(f.bodies == [["a1"], ["b1"]])
    }
}
