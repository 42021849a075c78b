import Testing
@testable import EventRouter

/// One test per Kinesis error class, asserting the message says what to change.
@Suite struct StreamErrorTests {
    @Test func resourceNotFoundListsKnownStreams() throws {
        let registry = StreamRegistry(clock: ManualClock())
        let empty = #expect(throws: StreamError.self) { try registry.stream("orders") }
        #expect(empty?.code == .resourceNotFound)
        #expect(empty?.message == "Stream orders (arn:aws:kinesis:us-east-1:123456789012:stream/orders) not found; there are no streams; create one (CreateStream) or declare one under \"Streams\" in a rule file")
        try registry.create(StreamConfiguration(name: "clicks"))
        let other = #expect(throws: StreamError.self) { try registry.stream("orders") }
        #expect(other?.message == "Stream orders (arn:aws:kinesis:us-east-1:123456789012:stream/orders) not found; known streams: arn:aws:kinesis:us-east-1:123456789012:stream/clicks")
    }

    @Test func resourceInUseForADuplicateStream() throws {
        let registry = StreamRegistry(clock: ManualClock())
        try registry.create(StreamConfiguration(name: "clicks"))
        let error = #expect(throws: StreamError.self) { try registry.create(StreamConfiguration(name: "clicks", shardCount: 2)) }
        #expect(error?.code == .resourceInUse)
        #expect(error?.message == "Stream clicks under account 123456789012 already exists (arn:aws:kinesis:us-east-1:123456789012:stream/clicks); use another name or the existing stream")
    }

    @Test func invalidArgumentForABadStreamName() {
        let error = #expect(throws: StreamError.self) { try StreamConfiguration(name: "") }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "stream name '' is invalid: use 1–128 characters from a-z, A-Z, 0-9, '_', '.', '-'")
    }

    @Test func provisionedThroughputExceededSaysHowToRecover() throws {
        let s = DataStream(configuration: try StreamConfiguration(name: "orders"), clock: ManualClock())
        s.setLimits(StreamLimits(writeRecordsPerSecond: 1))
        _ = try s.putRecord(data: "1", partitionKey: "a")
        let error = #expect(throws: StreamError.self) { try s.putRecord(data: "2", partitionKey: "a") }
        #expect(error?.code == .provisionedThroughputExceeded)
        #expect(error?.isRetriable == true)
        #expect(error?.message == "Rate exceeded for shard shardId-000000000000 in stream orders under account 123456789012: a shard takes 1 records or 1048576 bytes per second; retry after this second, or add shards (SplitShard) and spread partition keys")
    }

    @Test func expiredIteratorSaysHowToContinue() throws {
        let clock = ManualClock()
        let s = DataStream(configuration: try StreamConfiguration(name: "orders"), clock: clock)
        let it = try s.shardIterator(shardId: "shardId-000000000000", type: .latest)
        clock.advance(by: .seconds(600))
        let error = #expect(throws: StreamError.self) { try s.getRecords(shardIterator: it) }
        #expect(error?.code == .expiredIterator)
        #expect(error?.isRetriable == false)
        #expect(error?.message == "Iterator expired: it was issued at 2024-01-01T00:00:00.000Z, 600 s ago, and iterators last 300 s; get a new one with GetShardIterator (continue AFTER_SEQUENCE_NUMBER the last record read)")
    }

    @Test func limitExceededBeyond500OpenShards() throws {
        let s = DataStream(configuration: try StreamConfiguration(name: "wide", shardCount: 500), clock: ManualClock())
        let error = #expect(throws: StreamError.self) {
            try s.splitShard(shardId: "shardId-000000000000", newStartingHashKey: "1")
        }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message == "SplitShard: stream wide already has 500 open shards, the most allowed is 500; merge shards first")
    }

    @Test func errorDescriptionCarriesTheCode() {
        #expect(StreamError(.invalidArgument, "x").description == "InvalidArgumentException: x")
        #expect(StreamPutOutcome(StreamError(.resourceNotFound, "gone")) == .failed(code: "ResourceNotFoundException", message: "gone"))
    }
}
