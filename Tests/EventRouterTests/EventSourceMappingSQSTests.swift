import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct EventSourceMappingSQSTests {
    static func mapping(_ queue: String, _ extra: String = "") -> String {
        #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:\#(queue)", "FunctionName": "fn"\#(extra)}"#
    }
    static let report = #", "FunctionResponseTypes": ["ReportBatchItemFailures"]"#

    @Test func successDeletesTheWholeBatchAndTheEventHasLambdasShape() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("orders")
        _ = try q.sendNow(body: "one", attributes: ["kind": .string("a"), "raw": .binary([1, 2, 3])])
        _ = try q.sendNow(body: "two")
        _ = try q.sendNow(body: "three")
        let runner = try f.runner([Self.mapping("orders")], function: f.function { _ in .null })
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(summary.wakeUps == 0)
        #expect(f.bodies == [["one", "two", "three"]])
        #expect(try f.remainingBodies("orders").isEmpty)
        let r = try #require(f.batches.first?.first)
        #expect(r["eventSource"] == "aws:sqs")
        #expect(r["eventSourceARN"] == "arn:aws:sqs:us-east-1:123456789012:orders")
        #expect(r["awsRegion"] == "us-east-1")
        #expect(r["md5OfBody"] == .string(MD5.hexDigest("one")))
        #expect(r["md5OfBody"] == "f97c5d29941bfb1b2fdab0874906ab82")
        #expect(r["receiptHandle"]?.stringValue?.isEmpty == false)
        #expect(r["messageId"]?.stringValue?.count == 36)
        #expect(r["attributes"]?.objectValue?.keys == ["ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"])
        #expect(r["attributes"]?["ApproximateReceiveCount"] == "1")
        #expect(r["attributes"]?["SentTimestamp"] == .string(String(f.clock.now.millisecondsSinceEpoch)))
        #expect(r["messageAttributes"]?["kind"] == ["stringValue": "a", "stringListValues": [], "binaryListValues": [], "dataType": "String"])
        #expect(r["messageAttributes"]?["raw"]?["binaryValue"] == "AQID")
        #expect(r.objectValue?.keys == ["messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion"])
        let counters = try #require(await runner.counters().first?.counters)
        #expect(counters.batches == 1 && counters.records == 3 && counters.deleted == 3 && counters.failures == 0)
    }

    /// How the function answers a batch of m1, m2, m3 (ids filled in from the event).
    enum Answer: String, CaseIterable, Sendable {
        case null, emptyObject, emptyList, nullList, second, secondAndThird, emptyId, nullId, missingId, unknownId,
             notAList, notAnObject, entryNotAnObject, numericId, throwsError, timesOut

        func respond(_ event: JSONValue) throws -> JSONValue {
            func failures(_ items: [JSONValue]) -> JSONValue { ["batchItemFailures": .array(items)] }
            switch self {
            case .null: return .null
            case .emptyObject: return [:]
            case .emptyList: return failures([])
            case .nullList: return ["batchItemFailures": nil]
            case .second: return failures([["itemIdentifier": .string(event.messageId(1))]])
            case .secondAndThird: return failures([["itemIdentifier": .string(event.messageId(2))], ["itemIdentifier": .string(event.messageId(1))]])
            case .emptyId: return failures([["itemIdentifier": ""]])
            case .nullId: return failures([["itemIdentifier": nil]])
            case .missingId: return failures([[:]])
            case .unknownId: return failures([["itemIdentifier": "not-in-this-batch"]])
            case .notAList: return ["batchItemFailures": .string(event.messageId(0))]
            case .notAnObject: return "ok"
            case .entryNotAnObject: return failures([.string(event.messageId(0))])
            case .numericId: return failures([["itemIdentifier": 1]])
            case .throwsError: throw FunctionError(type: "OrderError", message: "no stock")
            case .timesOut: throw FunctionError.timeout(seconds: 3)
            }
        }

        var remaining: [String] {
            switch self {
            case .null, .emptyObject, .emptyList, .nullList: return []
            case .second: return ["m2"]
            case .secondAndThird: return ["m2", "m3"]
            default: return ["m1", "m2", "m3"]
            }
        }
    }

    @Test(arguments: Answer.allCases)
    func reportBatchItemFailuresDeletesOnlyWhatSucceeded(answer: Answer) async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        for body in ["m1", "m2", "m3"] { _ = try q.sendNow(body: body) }
        let runner = try f.runner([Self.mapping("q", Self.report)], function: f.function { try answer.respond($0) })
        await runner.runDue()
        #expect(f.bodies == [["m1", "m2", "m3"]])
        #expect(try f.remainingBodies("q") == answer.remaining)
        let counters = try #require(await runner.counters().first?.counters)
        #expect(counters.deleted == 3 - answer.remaining.count)
        #expect(counters.failures == (answer.remaining.isEmpty ? 0 : 1))
        #expect(counters.failedRecords == answer.remaining.count)
    }

    @Test func invalidJSONFromTheFunctionFailsTheWholeBatch() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        for body in ["m1", "m2"] { _ = try q.sendNow(body: body) }
        let runtime = FunctionRuntime(manifest: FunctionManifest(name: "fn"), handler: NotJSONHandler(), clock: f.clock)
        let runner = try f.runner([Self.mapping("q", Self.report)], function: runtime)
        await runner.runDue()
        #expect(try f.remainingBodies("q") == ["m1", "m2"])
        #expect(await runner.counters().first?.counters.failures == 1)
    }

    @Test func aThrottledInvocationDeletesNothing() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        _ = try q.sendNow(body: "m1")
        let runner = try f.runner([Self.mapping("q")], function: f.function(reserved: 0) { _ in .null })
        await runner.runDue()
        #expect(f.calls.isEmpty)
        #expect(try f.remainingBodies("q") == ["m1"])
        let counters = try #require(await runner.counters().first?.counters)
        #expect(counters.throttles == 1 && counters.failures == 1 && counters.deleted == 0)
    }

    @Test func withoutReportBatchItemFailuresAReturnedListIsIgnored() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        for body in ["m1", "m2"] { _ = try q.sendNow(body: body) }
        let runner = try f.runner([Self.mapping("q")], function: f.function { try Answer.second.respond($0) })
        await runner.runDue()
        #expect(try f.remainingBodies("q").isEmpty)
    }

    @Test func aFailedBatchIsRedeliveredAfterTheVisibilityTimeout() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q", visibilityTimeout: 45)
        for body in ["m1", "m2"] { _ = try q.sendNow(body: body) }
        let failures = Mutex(1)
        let runner = try f.runner([Self.mapping("q")], function: f.function { _ in
            if failures.withLock({ n in defer { n -= 1 }; return n > 0 }) { throw FunctionError(type: "Boom", message: "first time") }
            return .null
        })
        let start = f.clock.now
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(f.bodies == [["m1", "m2"], ["m1", "m2"]])
        #expect(f.calls.map { $0.at - start } == [.zero, .seconds(45)])
        #expect(f.batches[1][0]["attributes"]?["ApproximateReceiveCount"] == "2")
        let counters = try #require(await runner.counters().first?.counters)
        #expect(counters.batches == 2 && counters.failures == 1 && counters.failedRecords == 2 && counters.deleted == 2 && counters.records == 4)
    }

    @Test func partialFailuresAreRedeliveredThenMovedToTheDeadLetterQueue() async throws {
        let f = EventSourceMappingFixture()
        try f.queue("work-dlq")
        let q = try f.queue("work", visibilityTimeout: 30, redriveTo: "work-dlq", maxReceiveCount: 2)
        for body in ["ok1", "bad", "ok2"] { _ = try q.sendNow(body: body) }
        let runner = try f.runner([Self.mapping("work", Self.report)], function: f.function { event in
            let records = event["Records"]?.arrayValue ?? []
            let bad = records.filter { $0["body"] == "bad" }.map { ["itemIdentifier": $0["messageId"] ?? nil] as JSONValue }
            return ["batchItemFailures": .array(bad)]
        })
        let start = f.clock.now
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(f.bodies == [["ok1", "bad", "ok2"], ["bad"]])
        #expect(f.calls.map { $0.at - start } == [.zero, .seconds(30)])
        #expect(f.batches[1][0]["attributes"]?["ApproximateReceiveCount"] == "2")
        #expect(try f.remainingBodies("work").isEmpty)
        #expect(try f.remainingBodies("work-dlq") == ["bad"])
        #expect(summary.elapsed == .seconds(60))
    }

    @Test func fifoStopsAtTheFirstFailureAndKeepsGroupOrder() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("jobs.fifo", visibilityTimeout: 30)
        for (group, body) in [("A", "a1"), ("B", "b1"), ("A", "a2"), ("A", "a3"), ("B", "b2"), ("B", "b3")] {
            _ = try q.sendNow(body: body, groupId: group)
        }
        let failedOnce = Mutex(false)
        let runner = try f.runner([Self.mapping("jobs.fifo", Self.report)], function: f.function { event in
            // Reports only a2 (the first time); the mapping must return everything after it too.
            let records = event["Records"]?.arrayValue ?? []
            guard let a2 = records.first(where: { $0["body"] == "a2" }), !failedOnce.withLock({ $0 }) else { return .null }
            failedOnce.withLock { $0 = true }
            return ["batchItemFailures": [["itemIdentifier": a2["messageId"] ?? nil]]]
        })
        await runner.runDue()
        let first = try #require(f.bodies.first)
        let cut = try #require(first.firstIndex(of: "a2"))
        #expect(Set(try f.remainingBodies("jobs.fifo")) == Set(first[cut...]))
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        // What succeeded, in order: the first batch up to a2, then every later batch.
        let succeeded = Array(first[..<cut]) + f.bodies.dropFirst().flatMap { $0 }
        #expect(succeeded.filter { $0.hasPrefix("a") } == ["a1", "a2", "a3"])
        #expect(succeeded.filter { $0.hasPrefix("b") } == ["b1", "b2", "b3"])
        #expect(try f.remainingBodies("jobs.fifo").isEmpty)
    }

    @Test(arguments: [
        // (BatchSize, window, messages, batch sizes, seconds after the start of each batch)
        (10, 0, 25, [10, 10, 5], [0, 0, 0]),
        (3, 0, 7, [3, 3, 1], [0, 0, 0]),
        (20, 5, 3, [3], [5]),
        (20, 5, 25, [20, 5], [0, 5]),
        (100, 1, 250, [100, 100, 50], [0, 0, 1]),
    ])
    func batchSizeAndBatchingWindow(batchSize: Int, window: Int, messages: Int, sizes: [Int], offsets: [Int]) async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        for i in 0..<messages { _ = try q.sendNow(body: "m\(i)") }
        let runner = try f.runner([Self.mapping("q", #", "BatchSize": \#(batchSize), "MaximumBatchingWindowInSeconds": \#(window)"#)],
                                  function: f.function { _ in .null })
        let start = f.clock.now
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(f.bodies.map(\.count) == sizes)
        #expect(f.calls.map { $0.at - start } == offsets.map { .seconds($0) })
        #expect(f.bodies.flatMap { $0 } == (0..<messages).map { "m\($0)" })
    }

    @Test func theWindowWaitsAndNextWakeSaysUntilWhen() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        _ = try q.sendNow(body: "m1")
        let runner = try f.runner([Self.mapping("q", #", "BatchSize": 50, "MaximumBatchingWindowInSeconds": 10"#)], function: f.function { _ in .null })
        let start = f.clock.now
        await runner.runDue()
        #expect(f.calls.isEmpty)
        #expect(await runner.nextWake() == start + .seconds(10))
        #expect(await runner.hasPendingWork)
        f.clock.advance(by: .seconds(4))
        _ = try q.sendNow(body: "m2")
        await runner.runDue()
        #expect(f.calls.isEmpty)
        f.clock.advance(to: start + .seconds(10))
        await runner.runDue()
        #expect(f.bodies == [["m1", "m2"]])
    }

    @Test func aMessageThatAlwaysFailsWithoutDeadLetterQueueIsReportedBlocked() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q", visibilityTimeout: 10)
        _ = try q.sendNow(body: "poison")
        let runner = try f.runner([Self.mapping("q")], function: f.function { _ in throw FunctionError(type: "Poison", message: "always") })
        let summary = await runner.runUntilIdle(on: f.clock, stallWakeUps: 5)
        #expect(summary.reason == .blocked)
        #expect(summary.pendingMappings == ["q → fn"])
        #expect(f.calls.count == 6)
        let limited = await runner.runUntilIdle(on: f.clock, maxWakeUps: 3)
        #expect(limited.reason == .limitReached)
        #expect(limited.wakeUps == 3)
    }

    @Test func failuresHeadingForADeadLetterQueueAreNotAStall() async throws {
        let f = EventSourceMappingFixture()
        try f.queue("dlq")
        let q = try f.queue("q", visibilityTimeout: 10, redriveTo: "dlq", maxReceiveCount: 4)
        _ = try q.sendNow(body: "poison")
        let runner = try f.runner([Self.mapping("q")], function: f.function { _ in throw FunctionError(type: "Poison", message: "always") })
        let summary = await runner.runUntilIdle(on: f.clock, stallWakeUps: 1)
        #expect(summary.reason == .drained)
        #expect(f.calls.count == 4)
        #expect(try f.remainingBodies("dlq") == ["poison"])
    }

    @Test func aDisabledMappingDoesNotPoll() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        _ = try q.sendNow(body: "m1")
        let runner = try f.runner([Self.mapping("q", #", "Enabled": false"#)], function: f.function { _ in .null })
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(f.calls.isEmpty)
        #expect(try f.remainingBodies("q") == ["m1"])
    }

    @Test func stateJSONCarriesSettingsAndCounters() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        _ = try q.sendNow(body: "m1")
        let runner = try f.runner([Self.mapping("q")], function: f.function { _ in .null })
        await runner.runUntilIdle(on: f.clock)
        let state = await runner.stateJSON()
        let entry = try #require(state.arrayValue?.first)
        #expect(entry["EventSourceArn"] == "arn:aws:sqs:us-east-1:123456789012:q")
        #expect(entry["FunctionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:fn")
        #expect(entry["counters"]?["deleted"] == 1)
        #expect(entry["counters"]?["batches"] == 1)
        #expect(entry["state"]?["lastOutcome"] == "succeeded (1 messages)")
    }
}

@Suite struct EventSourceMappingRunLoopTests {
    @Test func theLongRunningLoopPollsOnItsClockUntilCancelled() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        _ = try q.sendNow(body: "first")
        // A long timeout: advancing the clock while an invocation runs must not time it out.
        let runner = try f.runner([EventSourceMappingSQSTests.mapping("q")], function: f.function(timeout: 900) { _ in .null })
        let loop = Task { await runner.run() }
        while f.calls.count < 1 { await f.clock.waitForSleepers(1) }
        _ = try q.sendNow(body: "second")
        // The idle poller sleeps on the clock for the poll interval; move time until it polls again.
        while f.calls.count < 2 {
            await f.clock.waitForSleepers(1)
            f.clock.advance(by: .seconds(1))
            await Task.yield()
        }
        loop.cancel()
        await loop.value
        #expect(f.bodies == [["first"], ["second"]])
        #expect(f.calls[1].at > f.calls[0].at)
    }

    @Test func aSecondDriverWaitsWhileABatchIsInFlight() async throws {
        let f = EventSourceMappingFixture()
        let q = try f.queue("q")
        for body in ["m1", "m2"] { _ = try q.sendNow(body: body) }
        let gate = FunctionGate()
        let runner = try f.runner([EventSourceMappingSQSTests.mapping("q", #", "BatchSize": 1"#)], function: f.function(timeout: 900) { _ in
            await gate.enter()
            return .null
        })
        let first = Task { await runner.runDue() }
        await gate.waitForEntered(1)
        await runner.runDue()
        #expect(f.calls.count == 1)
        gate.releaseAll()
        // The first driver goes on with m2 and parks again at the gate.
        await gate.waitForEntered(2)
        gate.releaseAll()
        _ = await first.value
        #expect(f.bodies == [["m1"], ["m2"]])
    }
}
