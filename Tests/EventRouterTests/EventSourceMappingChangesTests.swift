import Synchronization
import Testing
@testable import EventRouter

/// Mappings created, changed and deleted while the runner runs (what Lambda's
/// Create/Update/DeleteEventSourceMapping do), on a manual clock.
@Suite struct EventSourceMappingChangesTests {
    static let streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
    static let queueArn = "arn:aws:sqs:us-east-1:123456789012:q"

    final class Seen: Sendable {
        private let ids = Mutex<[String]>([])
        func add(_ more: [String]) { ids.withLock { $0 += more } }
        var all: [String] { ids.withLock { $0 } }
    }

    struct Fixture {
        let clock = ManualClock(start: Timestamp(secondsSinceEpoch: 1_767_225_600))
        let queues: QueueRegistry
        let streams: StreamRegistry
        let runner: EventSourceMappingRunner
        let seen = Seen()
        let runtime: FunctionRuntime

        init() throws {
            queues = QueueRegistry(clock: clock)
            _ = try queues.createQueue(QueueConfiguration(name: "q"))
            streams = StreamRegistry(clock: clock)
            _ = try streams.create(StreamConfiguration(name: "s"))
            let seen = self.seen
            runtime = FunctionRuntime(manifest: FunctionManifest(name: "f"), handler: ClosureFunctionHandler { event, _ in
                let ids = event["Records"]?.arrayValue?.compactMap { $0["kinesis"]?["sequenceNumber"]?.stringValue ?? $0["body"]?.stringValue } ?? []
                seen.add(ids)
                return .null
            }, clock: clock)
            runner = try EventSourceMappingRunner(mappings: [], queues: queues, streams: streams, functions: [runtime],
                                                  sink: DiscardingTarget(), clock: clock)
        }

        func put(_ data: String) throws { _ = try streams.stream(EventSourceMappingChangesTests.streamArn).putRecord(data: data, partitionKey: "k") }
    }

    static func streamMapping(batchSize: Int = 100) throws -> EventSourceMappingConfiguration {
        let source = try #require(EventSourceMappingConfiguration.Source(arn: streamArn))
        var c = EventSourceMappingConfiguration(source: source, functionArn: FunctionManifest.arn(name: "f"))
        c.batchSize = batchSize
        return c
    }

    @Test func anUpdatedStreamMappingKeepsItsCheckpointAndReadsNothingTwice() async throws {
        let f = try Fixture()
        let created = try await f.runner.create(try Self.streamMapping())
        try f.put("a")
        try f.put("b")
        _ = await f.runner.runUntilIdle(on: f.clock)
        #expect(f.seen.all.count == 2)
        var changed = created.configuration
        changed.batchSize = 1
        let updated = try #require(try await f.runner.update(uuid: created.uuid, to: changed))
        #expect(updated.configuration.batchSize == 1)
        try f.put("c")
        _ = await f.runner.runUntilIdle(on: f.clock)
        #expect(f.seen.all.count == 3)
        #expect(await f.runner.snapshots().map(\.uuid) == [created.uuid])
    }

    @Test func aDisabledMappingStopsPollingAndADeletedOneIsGone() async throws {
        let f = try Fixture()
        let source = try #require(EventSourceMappingConfiguration.Source(arn: Self.queueArn))
        let created = try await f.runner.create(EventSourceMappingConfiguration(source: source, functionArn: FunctionManifest.arn(name: "f")))
        let queue = try #require(f.queues.queue(arn: Self.queueArn))
        _ = try await queue.sendMessage(body: "one")
        _ = await f.runner.runUntilIdle(on: f.clock)
        #expect(f.seen.all == ["one"])
        var disabled = created.configuration
        disabled.enabled = false
        _ = try await f.runner.update(uuid: created.uuid, to: disabled)
        _ = try await queue.sendMessage(body: "two")
        _ = await f.runner.runUntilIdle(on: f.clock)
        #expect(f.seen.all == ["one"])
        #expect(await f.runner.delete(uuid: created.uuid)?.uuid == created.uuid)
        #expect(await f.runner.snapshot(uuid: created.uuid) == nil)
        #expect(await f.runner.delete(uuid: created.uuid) == nil)
    }

    @Test func aMappingToAMissingQueueOrFunctionIsRefusedWithTheKey() async throws {
        let f = try Fixture()
        let ghost = try #require(EventSourceMappingConfiguration.Source(arn: "arn:aws:sqs:us-east-1:123456789012:ghost"))
        let error = await #expect(throws: EventSourceMappingError.self) {
            _ = try await f.runner.create(EventSourceMappingConfiguration(source: ghost, functionArn: FunctionManifest.arn(name: "f")))
        }
        #expect(error?.description.hasPrefix("EventSourceArn: no queue 'arn:aws:sqs:us-east-1:123456789012:ghost'") == true)
        var other = try Self.streamMapping()
        other.functionArn = FunctionManifest.arn(name: "g")
        let missing = await #expect(throws: EventSourceMappingError.self) { _ = try await f.runner.create(other) }
        #expect(missing?.description.hasPrefix("FunctionName: no function 'arn:aws:lambda:us-east-1:123456789012:function:g'") == true)
    }

    @Test func aReservationChangeMovesConcurrencyInAndOutOfTheAccountPool() {
        let pool = AccountConcurrency(limit: 1_000, reserved: 0)
        #expect(pool.changeReservation(from: nil, to: 900, account: "a") == nil)
        #expect(pool.unreserved == 100)
        #expect(pool.changeReservation(from: nil, to: 1, account: "a")?.contains("Lambda keeps at least 100 unreserved") == true)
        #expect(pool.unreserved == 100)
        #expect(pool.changeReservation(from: 900, to: nil, account: "a") == nil)
        #expect(pool.unreserved == 1_000)
    }

    @Test func theAsynchronousEngineReadsSettingsChangedWhileItRuns() async throws {
        let clock = ManualClock(start: Timestamp(secondsSinceEpoch: 1_767_225_600))
        let runtime = FunctionRuntime(manifest: FunctionManifest(name: "f"), handler: ClosureFunctionHandler { _, _ in
            throw FunctionError(type: "Boom", message: "no")
        }, clock: clock)
        let engine = AsyncInvocationEngine(runtime: runtime, clock: clock, sink: DiscardingTarget())
        runtime.settings.update { v in
            v.maximumRetryAttempts = 0
            v.onFailureDestination = "arn:aws:sqs:us-east-1:123456789012:failed"
        }
        await engine.enqueue(["n": 1])
        await engine.settle(on: clock)
        let outcome = try #require(await engine.outcomes.first)
        #expect(outcome.condition == .retriesExhausted)
        #expect(outcome.event.invokeCount == 1)
        #expect(outcome.message?.destinationArn == "arn:aws:sqs:us-east-1:123456789012:failed")
        await engine.shutdown()
    }
}
