import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct EventSourceMappingKinesisTests {
    static let streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
    static let failedQueue = "arn:aws:sqs:us-east-1:123456789012:failed"

    static func mapping(_ extra: String = "", start: String = "TRIM_HORIZON") -> String {
        #"{"EventSourceArn": "\#(streamArn)", "FunctionName": "fn", "StartingPosition": "\#(start)"\#(extra)}"#
    }

    static func fail(_ message: String = "boom") -> FunctionError { FunctionError(type: "Boom", message: message) }

    /// Puts `data` with partition key `key` (default: the data) and returns the sequence numbers.
    @discardableResult
    static func put(_ stream: DataStream, _ data: [String], key: String? = nil) throws -> [String] {
        try data.map { try stream.putRecord(data: $0, partitionKey: key ?? $0).sequenceNumber }
    }

    @Test func eachShardInOrderWithLambdasEventShape() async throws {
        let f = EventSourceMappingFixture()
        let s = try f.stream(shards: 2)
        let data = (0..<20).map { "d\($0)" }
        for (i, d) in data.enumerated() { _ = try s.putRecord(data: d, partitionKey: "k\(i % 5)") }
        let runner = try f.runner([Self.mapping(#", "BatchSize": 3"#)], function: f.function { _ in .null })
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(f.kinesisData.flatMap { $0 }.sorted() == data.sorted())
        var lastByShard: [String: String] = [:]
        for batch in f.batches {
            #expect(batch.count <= 3)
            let shards = Set(batch.compactMap { $0["eventID"]?.stringValue?.split(separator: ":").first.map(String.init) })
            #expect(shards.count == 1)
            for r in batch {
                let shard = String(r["eventID"]?.stringValue?.split(separator: ":").first ?? "")
                let seq = try #require(r["kinesis"]?["sequenceNumber"]?.stringValue)
                if let last = lastByShard[shard] { #expect(seq > last) }
                lastByShard[shard] = seq
            }
        }
        #expect(lastByShard.count == 2)
        let r = try #require(f.batches.first?.first)
        let seq = try #require(r["kinesis"]?["sequenceNumber"]?.stringValue)
        #expect(r["eventID"] == .string("shardId-000000000000:\(seq)") || r["eventID"] == .string("shardId-000000000001:\(seq)"))
        #expect(r["eventSource"] == "aws:kinesis" && r["eventVersion"] == "1.0" && r["eventName"] == "aws:kinesis:record")
        #expect(r["awsRegion"] == "us-east-1" && r["eventSourceARN"] == .string(Self.streamArn))
        #expect(r["invokeIdentityArn"]?.stringValue?.hasPrefix("arn:aws:iam::123456789012:role/") == true)
        #expect(r["kinesis"]?["kinesisSchemaVersion"] == "1.0")
        #expect(r["kinesis"]?["approximateArrivalTimestamp"] == .number(JSONNumber(1_704_067_200.0)))
        #expect(r["kinesis"]?.objectValue?.keys == ["kinesisSchemaVersion", "partitionKey", "sequenceNumber", "data", "approximateArrivalTimestamp"])
        let counters = try #require(await runner.counters().first?.counters)
        #expect(counters.records == 20 && counters.failures == 0 && counters.batches == f.calls.count)
    }

    @Test func dataIsBase64() async throws {
        let f = EventSourceMappingFixture()
        try Self.put(try f.stream(), ["héllo"])
        let runner = try f.runner([Self.mapping()], function: f.function { _ in .null })
        await runner.runUntilIdle(on: f.clock)
        #expect(f.batches.first?.first?["kinesis"]?["data"] == "aMOpbGxv")
        #expect(f.kinesisData == [["héllo"]])
    }

    @Test(arguments: [
        // (indexes reported failed in the first call, data of the retry; nil: no retry)
        ([3, 1], ["d1", "d2", "d3", "d4"]),
        ([4], ["d4"]),
        ([0, 2], ["d0", "d1", "d2", "d3", "d4"]),
        ([], nil),
        ([-1], ["d0", "d1", "d2", "d3", "d4"]), // an unknown sequence number fails the whole batch
    ] as [([Int], [String]?)])
    func checkpointAtTheLowestFailedSequenceNumber(failed: [Int], retry: [String]?) async throws {
        let f = EventSourceMappingFixture()
        let seqs = try Self.put(try f.stream(), (0..<5).map { "d\($0)" }, key: "same")
        let first = Mutex(true)
        let runner = try f.runner([Self.mapping(#", "FunctionResponseTypes": ["ReportBatchItemFailures"]"#)], function: f.function { _ in
            guard first.withLock({ v in defer { v = false }; return v }) else { return .null }
            return ["batchItemFailures": .array(failed.map { ["itemIdentifier": .string($0 >= 0 ? seqs[$0] : "49999")] })]
        })
        let start = f.clock.now
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        let expected = [["d0", "d1", "d2", "d3", "d4"]] + (retry.map { [$0] } ?? [])
        #expect(f.kinesisData == expected)
        if retry != nil { #expect(f.calls.map { $0.at - start } == [.zero, .seconds(1)]) }
        let state = await runner.stateJSON()
        #expect(state.arrayValue?.first?["state"]?["shards"]?["shardId-000000000000"]?["checkpoint"] == .string(seqs[4]))
    }

    @Test func bisectSplitsWithoutCountingRetries() async throws {
        let f = EventSourceMappingFixture()
        let seqs = try Self.put(try f.stream(), ["d0", "d1", "bad", "d3"], key: "same")
        let runner = try f.runner([Self.mapping(#", "BisectBatchOnFunctionError": true, "MaximumRetryAttempts": 1, "DestinationConfig": {"OnFailure": {"Destination": "\#(Self.failedQueue)"}}"#)],
                                  function: f.function { event in
            let records = event["Records"]?.arrayValue ?? []
            if records.contains(where: { $0["kinesis"]?["data"] == .string(Base64.encode(Array("bad".utf8))) }) { throw Self.fail() }
            return .null
        })
        let start = f.clock.now
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(f.kinesisData == [["d0", "d1", "bad", "d3"], ["d0", "d1"], ["bad", "d3"], ["bad"], ["bad"], ["d3"]])
        #expect(f.calls.map { $0.at - start } == [.zero, .zero, .zero, .zero, .seconds(1), .seconds(1)])
        let sent = f.sink.messages
        #expect(sent.count == 1)
        let info = sent.first?.body["KinesisBatchInfo"]
        #expect(info?["startSequenceNumber"] == .string(seqs[2]) && info?["endSequenceNumber"] == .string(seqs[2]))
        #expect(info?["batchSize"] == 1)
        #expect(sent.first?.body["requestContext"]?["approximateInvokeCount"] == 2)
        let counters = try #require(await runner.counters().first?.counters)
        #expect(counters.discarded == 1 && counters.onFailureRecords == 1 && counters.batches == 6)
    }

    @Test(arguments: [0, 2])
    func exhaustedRetriesSendTheOnFailureRecordWithoutData(retries: Int) async throws {
        let f = EventSourceMappingFixture()
        let seqs = try Self.put(try f.stream(), ["secret-1", "secret-2", "secret-3"], key: "same")
        let runner = try f.runner([Self.mapping(#", "MaximumRetryAttempts": \#(retries), "DestinationConfig": {"OnFailure": {"Destination": "\#(Self.failedQueue)"}}"#)],
                                  function: f.function { _ in throw Self.fail("no") })
        let start = f.clock.now
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(f.calls.count == retries + 1)
        #expect(f.calls.map { $0.at - start } == (0...retries).map { .seconds($0) })
        let message = try #require(f.sink.messages.first)
        #expect(f.sink.messages.count == 1)
        #expect(message.kind == .invocationRecord)
        #expect(message.destinationArn == Self.failedQueue)
        let body = message.body
        #expect(body["version"] == "1.0")
        #expect(body["timestamp"] == .string((start + .seconds(retries)).iso8601Milliseconds))
        #expect(body["requestContext"]?["functionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:fn")
        #expect(body["requestContext"]?["condition"] == "RetryAttemptsExhausted")
        #expect(body["requestContext"]?["approximateInvokeCount"] == .number(JSONNumber(retries + 1)))
        #expect(body["requestContext"]?["requestId"]?.stringValue?.count == 36)
        #expect(body["responseContext"] == ["statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"])
        #expect(body["KinesisBatchInfo"] == [
            "shardId": "shardId-000000000000", "startSequenceNumber": .string(seqs[0]), "endSequenceNumber": .string(seqs[2]),
            "approximateArrivalOfFirstRecord": .string(start.iso8601Milliseconds), "approximateArrivalOfLastRecord": .string(start.iso8601Milliseconds),
            "batchSize": 3, "streamArn": .string(Self.streamArn),
        ])
        #expect(!body.jsonText.contains("secret"))
        #expect(!body.jsonText.contains(Base64.encode(Array("secret-1".utf8))))
        let counters = try #require(await runner.counters().first?.counters)
        #expect(counters.discarded == 3 && counters.checkpoints == 1 && counters.failures == retries + 1)
    }

    @Test func recordsOlderThanMaximumRecordAgeAreDiscarded() async throws {
        let f = EventSourceMappingFixture()
        try Self.put(try f.stream(), ["a", "b"], key: "same")
        let runner = try f.runner([Self.mapping(#", "MaximumRecordAgeInSeconds": 60, "DestinationConfig": {"OnFailure": {"Destination": "\#(Self.failedQueue)"}}"#)],
                                  function: f.function { _ in throw Self.fail() })
        let start = f.clock.now
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        // Retried every second while the records are at most 60 s old, then discarded.
        #expect(f.calls.count == 61)
        #expect(f.calls.last.map { $0.at - start } == .seconds(60))
        #expect(f.sink.messages.first?.body["KinesisBatchInfo"]?["batchSize"] == 2)
        #expect(f.sink.messages.first?.body["timestamp"] == .string((start + .seconds(61)).iso8601Milliseconds))
    }

    @Test func recordsAlreadyTooOldAreNeverInvoked() async throws {
        let f = EventSourceMappingFixture()
        let s = try f.stream()
        try Self.put(s, ["old"])
        f.clock.advance(by: .seconds(120))
        try Self.put(s, ["new"])
        let runner = try f.runner([Self.mapping(#", "MaximumRecordAgeInSeconds": 60"#)], function: f.function { _ in .null })
        await runner.runUntilIdle(on: f.clock)
        #expect(f.kinesisData == [["new"]])
        #expect(await runner.counters().first?.counters.discarded == 1)
    }

    @Test func parentShardsAreDrainedBeforeTheirChildren() async throws {
        let f = EventSourceMappingFixture()
        let s = try f.stream()
        try Self.put(s, ["p1", "p2", "p3"], key: "order-2")
        try s.splitShard(shardId: "shardId-000000000000", newStartingHashKey: "170141183460469231731687303715884105728")
        for i in 1...3 {
            try Self.put(s, ["low\(i)"], key: "order-2")
            try Self.put(s, ["high\(i)"], key: "customer-42")
        }
        let first = Mutex(true)
        let runner = try f.runner([Self.mapping(#", "BatchSize": 2"#)], function: f.function { _ in
            // The parent's first batch fails once: its children must still wait.
            if first.withLock({ v in defer { v = false }; return v }) { throw Self.fail() }
            return .null
        })
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        let order = f.kinesisData.flatMap { $0 }
        #expect(Array(order.prefix(5)) == ["p1", "p2", "p1", "p2", "p3"])
        #expect(order.dropFirst(5).filter { $0.hasPrefix("low") } == ["low1", "low2", "low3"])
        #expect(order.dropFirst(5).filter { $0.hasPrefix("high") } == ["high1", "high2", "high3"])
        #expect(order.count == 11)
        let shards = await runner.stateJSON().arrayValue?.first?["state"]?["shards"]
        #expect(shards?["shardId-000000000000"]?["finished"] == true)
        #expect(shards?["shardId-000000000001"]?["finished"] == false)
    }

    @Test func latestSkipsWhatWasThereWhenTheMappingStarted() async throws {
        let f = EventSourceMappingFixture()
        let s = try f.stream()
        try Self.put(s, ["before"])
        let runner = try f.runner([Self.mapping(start: "LATEST")], function: f.function { _ in .null })
        try Self.put(s, ["after"])
        await runner.runUntilIdle(on: f.clock)
        #expect(f.kinesisData == [["after"]])
    }

    @Test func atTimestampStartsAtTheFirstRecordArrivedThen() async throws {
        let f = EventSourceMappingFixture()
        let s = try f.stream()
        let start = f.clock.now
        try Self.put(s, ["early"])
        f.clock.advance(by: .seconds(10))
        try Self.put(s, ["late"])
        let at = start.secondsSinceEpoch + 5
        let runner = try f.runner([Self.mapping(#", "StartingPositionTimestamp": \#(at)"#, start: "AT_TIMESTAMP")], function: f.function { _ in .null })
        await runner.runUntilIdle(on: f.clock)
        #expect(f.kinesisData == [["late"]])
    }

    @Test func theBatchingWindowWaitsForAFullBatch() async throws {
        let f = EventSourceMappingFixture()
        try Self.put(try f.stream(), ["a", "b"])
        let runner = try f.runner([Self.mapping(#", "BatchSize": 10, "MaximumBatchingWindowInSeconds": 3"#)], function: f.function { _ in .null })
        let start = f.clock.now
        await runner.runUntilIdle(on: f.clock)
        #expect(f.kinesisData == [["a", "b"]])
        #expect(f.calls.map { $0.at - start } == [.seconds(3)])
    }

    @Test func readsWaitOutTheShardsReadLimit() async throws {
        let f = EventSourceMappingFixture()
        let s = try f.streams.create(StreamConfiguration(name: "s"))
        let data = (0..<12).map { "r\($0)" }
        try Self.put(s, data, key: "same")
        let runner = try f.runner([Self.mapping(#", "BatchSize": 1"#)], function: f.function { _ in .null })
        let summary = await runner.runUntilIdle(on: f.clock)
        #expect(summary.reason == .drained)
        #expect(f.kinesisData.flatMap { $0 } == data)
        #expect(summary.elapsed >= .seconds(2))
        #expect(await runner.counters().first?.counters.sourceErrors == 0)
    }

    @Test func aShardRetryingForeverIsReportedBlocked() async throws {
        let f = EventSourceMappingFixture()
        try Self.put(try f.stream(), ["stuck"])
        let runner = try f.runner([Self.mapping()], function: f.function { _ in throw Self.fail() })
        let summary = await runner.runUntilIdle(on: f.clock, stallWakeUps: 10)
        #expect(summary.reason == .blocked)
        #expect(summary.pendingMappings == ["stream/s → fn"])
        #expect(f.calls.count == 11)
    }

    @Test func retriesWithALimitAreNotAStall() async throws {
        let f = EventSourceMappingFixture()
        try Self.put(try f.stream(), ["stuck"])
        let runner = try f.runner([Self.mapping(#", "MaximumRetryAttempts": 20"#)], function: f.function { _ in throw Self.fail() })
        let summary = await runner.runUntilIdle(on: f.clock, stallWakeUps: 2)
        #expect(summary.reason == .drained)
        #expect(f.calls.count == 21)
    }

    @Test func throttledInvocationsAreRetried() async throws {
        let f = EventSourceMappingFixture()
        try Self.put(try f.stream(), ["a"])
        let runner = try f.runner([Self.mapping(#", "MaximumRetryAttempts": 0"#)], function: f.function(reserved: 0) { _ in .null })
        let summary = await runner.runUntilIdle(on: f.clock, maxWakeUps: 5)
        #expect(summary.reason == .limitReached)
        let counters = try #require(await runner.counters().first?.counters)
        #expect(counters.throttles == 6 && counters.discarded == 0)
    }
}
