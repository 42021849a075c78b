import Testing
@testable import EventRouter

@Suite struct StreamRoutingTests {
    let start = Timestamp(nanosecondsSinceEpoch: 1_704_067_200_000_000_000)

    func state(shards: Int) throws -> DataStreamState {
        DataStreamState(configuration: try StreamConfiguration(name: "orders", shardCount: shards), now: start)
    }

    @Test func rangesSplitLikeKinesis() {
        // Kinesis CreateStream with 2 and 3 shards.
        let two = HashKeyRange.evenSplit(count: 2)
        #expect(two.map { String($0.start) } == ["0", "170141183460469231731687303715884105728"])
        #expect(two.map { String($0.end) } == ["170141183460469231731687303715884105727", "340282366920938463463374607431768211455"])
        let three = HashKeyRange.evenSplit(count: 3)
        #expect(three.map { String($0.start) } == ["0", "113427455640312821154458202477256070485", "226854911280625642308916404954512140970"])
        #expect(three[2].end == .max)
        #expect(HashKeyRange.evenSplit(count: 1) == [.all])
    }

    /// Expected shards computed independently: `int(hashlib.md5(key.encode()).hexdigest(), 16) // (2**128 // n)`.
    @Test(arguments: [
        ("a", 0, 0),
        ("order-1", 1, 1),
        ("order-2", 0, 0),
        ("partitionKey", 2, 1),
        ("customer-42", 3, 2),
        ("zzz", 3, 2),
        ("€uro", 0, 0),
    ])
    func partitionKeyRoutesByMD5(key: String, shardOfFour: Int, shardOfThree: Int) throws {
        #expect(try state(shards: 4).shardId(forPartitionKey: key) == StreamShard.shardId(shardOfFour))
        #expect(try state(shards: 3).shardId(forPartitionKey: key) == StreamShard.shardId(shardOfThree))
    }

    @Test func knownHashKeys() {
        #expect(MD5.hashKey("customer-42") == UInt128("273230869323448032740578469245923174832"))
        #expect(MD5.hashKey("order-1") == UInt128("146877212252092102612564579855103022916"))
    }

    @Test func explicitHashKeyOverridesThePartitionKey() throws {
        var s = try state(shards: 4)
        // "a" alone goes to shard 0; the explicit key picks the last shard.
        let r = try s.putRecord(PutRecordsEntry(data: "x", partitionKey: "a", explicitHashKey: String(UInt128.max)), now: start)
        #expect(r.shardId == "shardId-000000000003")
        #expect(try s.shardId(forPartitionKey: "a", explicitHashKey: "85070591730234615865843651857942052864") == "shardId-000000000001")
        #expect(try s.shardId(forPartitionKey: "a", explicitHashKey: "85070591730234615865843651857942052863") == "shardId-000000000000")
    }

    @Test func sequenceNumbersIncreasePerShardAndCompareAsText() throws {
        var s = try state(shards: 2)
        var last: [String: String] = [:]
        for i in 0..<50 {
            let r = try s.putRecord(PutRecordsEntry(data: "\(i)", partitionKey: "k\(i)"), now: start)
            #expect(r.sequenceNumber.count == 56)
            if let previous = last[r.shardId] {
                #expect(previous < r.sequenceNumber)
                #expect(try #require(SequenceNumber(previous)) < #require(SequenceNumber(r.sequenceNumber)))
            }
            last[r.shardId] = r.sequenceNumber
        }
        #expect(last.count == 2)
    }

    @Test func sequenceNumberTextRoundTrips() throws {
        let seq = SequenceNumber(counter: 123_456, shardIndex: 7)
        #expect(SequenceNumber(seq.description) == seq)
        #expect(seq.description.hasPrefix("49"))
        #expect(SequenceNumber("123") == nil)
    }

    @Test func configurationFromRuleFileEntry() throws {
        let json = try #require(JSONValue(parsing: #"{"Name":"clicks","ShardCount":3,"RetentionPeriodHours":48,"Tags":[]}"#).objectValue)
        let c = try StreamConfiguration(json: json, account: "111122223333", region: "eu-west-1")
        #expect(c.name == "clicks" && c.shardCount == 3 && c.retentionPeriodHours == 48)
        #expect(c.arn == "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks")
        let defaults = try StreamConfiguration(json: try #require(JSONValue(parsing: #"{"Name":"d"}"#).objectValue),
                                               account: "123456789012", region: "us-east-1")
        #expect(defaults.shardCount == 1 && defaults.retentionPeriodHours == 24)
    }

    @Test(arguments: [
        (#"{"ShardCount":1}"#, "Streams entry: missing required key 'Name' (the stream name)"),
        (#"{"Name":5}"#, "Streams entry: 'Name' must be a string, got number"),
        (#"{"Name":"s","RetentionPeriodHours":2}"#, "Streams entry 's': 'RetentionPeriodHours' must be a whole number from 24 to 8760, got 2"),
        (#"{"Name":"s","ShardCount":0}"#, "Streams entry 's': 'ShardCount' must be a whole number from 1 to 500, got 0"),
        (#"{"Name":"s","ShardCount":"2"}"#, "Streams entry 's': 'ShardCount' must be a whole number from 1 to 500, got \"2\""),
        (#"{"Name":"s","Shards":2}"#, "Streams entry 's': unknown key 'Shards'; known keys are Name, ShardCount, RetentionPeriodHours"),
        (#"{"Name":"bad name"}"#, "stream name 'bad name' is invalid: use 1–128 characters from a-z, A-Z, 0-9, '_', '.', '-'"),
    ])
    func configurationErrorsNameTheKey(text: String, message: String) throws {
        let json = try #require(JSONValue(parsing: text).objectValue)
        let error = #expect(throws: StreamError.self) {
            try StreamConfiguration(json: json, account: "123456789012", region: "us-east-1")
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == message)
    }
}
