import EventRouter
import Testing
@testable import EventRouterHTTP

/// Every class of bad Kinesis input answered with status 400, AWS's `__type` and a message that
/// says what to change; nothing else is disturbed.
@Suite struct KinesisErrorTests {
    typealias Case = JSONErrorCase

    static let iterator = "4E4F5045"
    static let oversize = String(repeating: "A", count: 1_398_104) // 1,048,578 bytes once decoded

    static let cases: [Case] = [
        Case(name: "body is not JSON", operation: "PutRecord", body: "{", code: "SerializationException", fragment: "not valid JSON"),
        Case(name: "member of the wrong type", operation: "DescribeStream", body: #"{"StreamName": 7}"#, code: "SerializationException",
             fragment: "member 'StreamName' must be a string, not number"),
        Case(name: "unknown stream", operation: "DescribeStream", body: #"{"StreamName": "nope"}"#, code: "ResourceNotFoundException",
             fragment: "Stream arn:aws:kinesis:us-east-1:123456789012:stream/nope not found; known streams: \(KinesisFixture.arn)"),
        Case(name: "unknown stream by ARN", operation: "PutRecord",
             body: #"{"StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/gone", "Data": "eA==", "PartitionKey": "k"}"#,
             code: "ResourceNotFoundException", fragment: "stream/gone not found"),
        Case(name: "no stream named", operation: "ListShards", body: "{}", code: "InvalidArgumentException",
             fragment: "the request names no stream; give StreamName or StreamARN"),
        Case(name: "invalid stream name", operation: "CreateStream", body: #"{"StreamName": "a b", "ShardCount": 1}"#, code: "InvalidArgumentException",
             fragment: "StreamName 'a b' is invalid: use 1–128 characters"),
        Case(name: "not a stream ARN", operation: "DescribeStreamSummary", body: #"{"StreamARN": "arn:aws:sqs:us-east-1:1:q"}"#,
             code: "InvalidArgumentException", fragment: "is not a stream ARN; use arn:aws:kinesis:REGION:ACCOUNT:stream/NAME"),
        Case(name: "stream exists", operation: "CreateStream", body: #"{"StreamName": "clicks", "ShardCount": 1}"#, code: "ResourceInUseException",
             fragment: "Stream clicks under account 123456789012 already exists"),
        Case(name: "shard count out of range", operation: "CreateStream", body: #"{"StreamName": "big", "ShardCount": 501}"#,
             code: "InvalidArgumentException", fragment: "ShardCount must be a whole number from 1 to 500, got 501"),
        Case(name: "provisioned without a shard count", operation: "CreateStream", body: #"{"StreamName": "x"}"#,
             code: "InvalidArgumentException", fragment: "ShardCount is required for a PROVISIONED stream"),
        Case(name: "on-demand with a shard count", operation: "CreateStream",
             body: #"{"StreamName": "x", "ShardCount": 2, "StreamModeDetails": {"StreamMode": "ON_DEMAND"}}"#,
             code: "InvalidArgumentException", fragment: "ShardCount must not be given for an ON_DEMAND stream"),
        Case(name: "bad base64", operation: "PutRecord", body: #"{"StreamName": "clicks", "Data": "not base64!", "PartitionKey": "k"}"#,
             code: "SerializationException", fragment: "member 'Data' is not valid base64"),
        Case(name: "bad base64 in a batch", operation: "PutRecords",
             body: #"{"StreamName": "clicks", "Records": [{"Data": "eA==", "PartitionKey": "k"}, {"Data": "e", "PartitionKey": "k"}]}"#,
             code: "SerializationException", fragment: "member 'Records[1].Data' is not valid base64"),
        Case(name: "record over 1 MiB", operation: "PutRecord", body: #"{"StreamName": "clicks", "Data": "\#(oversize)", "PartitionKey": "k"}"#,
             code: "InvalidArgumentException", fragment: "exceeds the 1 MiB (1048576 bytes) record limit"),
        Case(name: "missing partition key", operation: "PutRecord", body: #"{"StreamName": "clicks", "Data": "eA=="}"#,
             code: "ValidationException", fragment: "Value null at 'partitionKey'"),
        Case(name: "empty partition key", operation: "PutRecord", body: #"{"StreamName": "clicks", "Data": "eA==", "PartitionKey": ""}"#,
             code: "InvalidArgumentException", fragment: "PartitionKey must be 1 to 256 characters long, got 0"),
        Case(name: "too many records", operation: "PutRecords",
             body: #"{"StreamName": "clicks", "Records": [\#(Array(repeating: #"{"Data": "eA==", "PartitionKey": "k"}"#, count: 501).joined(separator: ","))]}"#,
             code: "InvalidArgumentException", fragment: "PutRecords takes 1 to 500 records per call, got 501"),
        Case(name: "bad ordering sequence number", operation: "PutRecord",
             body: #"{"StreamName": "clicks", "Data": "eA==", "PartitionKey": "k", "SequenceNumberForOrdering": "x"}"#,
             code: "InvalidArgumentException", fragment: "SequenceNumberForOrdering 'x' must be a sequence number"),
        Case(name: "invalid shard id", operation: "GetShardIterator",
             body: #"{"StreamName": "clicks", "ShardId": "shard-1", "ShardIteratorType": "LATEST"}"#,
             code: "InvalidArgumentException", fragment: "ShardId 'shard-1' is not a shard id; use an id like shardId-000000000000"),
        Case(name: "unknown shard", operation: "GetShardIterator",
             body: #"{"StreamName": "clicks", "ShardId": "shardId-000000000009", "ShardIteratorType": "LATEST"}"#,
             code: "ResourceNotFoundException", fragment: "Shard shardId-000000000009 in stream clicks under account 123456789012 does not exist"),
        Case(name: "unknown iterator type", operation: "GetShardIterator",
             body: #"{"StreamName": "clicks", "ShardId": "shardId-000000000000", "ShardIteratorType": "OLDEST"}"#,
             code: "InvalidArgumentException", fragment: "ShardIteratorType must be one of TRIM_HORIZON, LATEST"),
        Case(name: "AT_TIMESTAMP without a time", operation: "GetShardIterator",
             body: #"{"StreamName": "clicks", "ShardId": "shardId-000000000000", "ShardIteratorType": "AT_TIMESTAMP"}"#,
             code: "InvalidArgumentException", fragment: "AT_TIMESTAMP needs a Timestamp"),
        Case(name: "bad iterator", operation: "GetRecords", body: #"{"ShardIterator": "\#(iterator)"}"#, code: "InvalidArgumentException",
             fragment: "ShardIterator '\(iterator)' is not a valid shard iterator"),
        Case(name: "limit out of range", operation: "GetRecords", body: #"{"ShardIterator": "x", "Limit": 0}"#, code: "InvalidArgumentException",
             fragment: "Limit must be from 1 to 10000, got 0"),
        Case(name: "retention above a year", operation: "IncreaseStreamRetentionPeriod",
             body: #"{"StreamName": "clicks", "RetentionPeriodHours": 8761}"#, code: "InvalidArgumentException",
             fragment: "RetentionPeriodHours must be from 24 to 8760 (one year), got 8761"),
        Case(name: "retention below a day", operation: "DecreaseStreamRetentionPeriod",
             body: #"{"StreamName": "clicks", "RetentionPeriodHours": 12}"#, code: "InvalidArgumentException",
             fragment: "RetentionPeriodHours must be from 24 to 8760 (one year), got 12"),
        Case(name: "increase that shortens", operation: "IncreaseStreamRetentionPeriod",
             body: #"{"StreamName": "clicks", "RetentionPeriodHours": 24}"#, code: "InvalidArgumentException",
             fragment: "is less than the current retention of 48 hours"),
        Case(name: "bad shard filter", operation: "ListShards", body: #"{"StreamName": "clicks", "ShardFilter": {"Type": "NEWEST"}}"#,
             code: "InvalidArgumentException", fragment: "ShardFilter.Type must be one of AFTER_SHARD_ID"),
        Case(name: "next token with a stream name", operation: "ListShards", body: #"{"StreamName": "clicks", "NextToken": "x"}"#,
             code: "InvalidArgumentException", fragment: "NextToken and StreamName cannot be provided together"),
        Case(name: "forged next token", operation: "ListShards", body: #"{"NextToken": "bm9wZQ=="}"#,
             code: "InvalidArgumentException", fragment: "NextToken 'bm9wZQ==' is not a token this operation issued"),
        Case(name: "split at the range start", operation: "SplitShard",
             body: #"{"StreamName": "clicks", "ShardToSplit": "shardId-000000000000", "NewStartingHashKey": "0"}"#,
             code: "InvalidArgumentException", fragment: "NewStartingHashKey 0 must be a decimal integer greater than 0"),
        Case(name: "merge with itself", operation: "MergeShards",
             body: #"{"StreamName": "clicks", "ShardToMerge": "shardId-000000000000", "AdjacentShardToMerge": "shardId-000000000000"}"#,
             code: "InvalidArgumentException", fragment: "are not adjacent"),
        Case(name: "scale beyond double", operation: "UpdateShardCount",
             body: #"{"StreamName": "clicks", "TargetShardCount": 3, "ScalingType": "UNIFORM_SCALING"}"#,
             code: "InvalidArgumentException", fragment: "TargetShardCount 3 must be between half (1) and double (2)"),
        Case(name: "unknown scaling type", operation: "UpdateShardCount",
             body: #"{"StreamName": "clicks", "TargetShardCount": 2, "ScalingType": "FAST"}"#,
             code: "InvalidArgumentException", fragment: "ScalingType must be UNIFORM_SCALING"),
        Case(name: "tag key too long", operation: "AddTagsToStream",
             body: #"{"StreamName": "clicks", "Tags": {"\#(String(repeating: "k", count: 129))": "v"}}"#,
             code: "InvalidArgumentException", fragment: "must be 1 to 128 characters long, got 129"),
        Case(name: "enhanced fan-out", operation: "SubscribeToShard", body: "{}", code: "UnsupportedOperationException",
             fragment: "SubscribeToShard is not served: enhanced fan-out consumers read through SubscribeToShard, an HTTP/2 event stream"),
        Case(name: "unknown operation", operation: "FlyAway", body: "{}", code: "UnknownOperationException",
             fragment: "kinesis has no operation FlyAway; served: CreateStream"),
    ]

    @Test(arguments: cases)
    func badInputIsRefusedWithAWSsCode(_ c: Case) async throws {
        let f = try KinesisFixture()
        _ = try await f.ok("IncreaseStreamRetentionPeriod", #"{"StreamName": "clicks", "RetentionPeriodHours": 48}"#)
        let response = await f.json(c.operation, c.body)
        #expect(response.status == 400)
        let body = try KinesisFixture.object(response)
        #expect(body["__type"]?.stringValue == c.code)
        let message = body["message"]?.stringValue ?? ""
        #expect(message.contains(c.fragment), "\(message)")
        // Nothing else is disturbed: the stream is still there, with no records.
        let summary = try await f.ok("DescribeStreamSummary", #"{"StreamName": "clicks"}"#)
        #expect(summary["StreamDescriptionSummary"]?["OpenShardCount"]?.intValue == 1)
    }

    @Test func anIteratorExpiresAfterFiveMinutesOnTheClock() async throws {
        let f = try KinesisFixture()
        let it = try await f.ok("GetShardIterator", #"{"StreamName": "clicks", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}"#)
        let token = try #require(it["ShardIterator"]?.stringValue)
        f.clock.advance(by: .seconds(300))
        #expect(await f.json("GetRecords", #"{"ShardIterator": "\#(token)"}"#).status == 200)
        f.clock.advance(by: .milliseconds(1))
        let body = try KinesisFixture.object(await f.json("GetRecords", #"{"ShardIterator": "\#(token)"}"#))
        #expect(body["__type"]?.stringValue == "ExpiredIteratorException")
        #expect(body["message"]?.stringValue?.contains("and iterators last 300 s; get a new one with GetShardIterator") == true)
    }

    @Test func aNextTokenExpiresAfterFiveMinutes() async throws {
        let f = try KinesisFixture()
        _ = try await f.ok("SplitShard", #"{"StreamName": "clicks", "ShardToSplit": "shardId-000000000000", "NewStartingHashKey": "1000"}"#)
        let page = try await f.ok("ListShards", #"{"StreamName": "clicks", "MaxResults": 1}"#)
        let token = try #require(page["NextToken"]?.stringValue)
        f.clock.advance(by: .seconds(301))
        let body = try KinesisFixture.object(await f.json("ListShards", #"{"NextToken": "\#(token)"}"#))
        #expect(body["__type"]?.stringValue == "ExpiredNextTokenException")
        #expect(body["message"]?.stringValue?.contains("tokens last 300 seconds; list again without NextToken") == true)
    }

    @Test func malformedCBORIsASerializationErrorInCBOR() async throws {
        let f = try KinesisFixture()
        for (body, fragment) in [([UInt8]([0xa1, 0x61]), "truncated"), ([0xa1, 0x01, 0x02], "member names must be text strings"),
                                 ([0x81, 0x01], "must be a CBOR map"), ([0xa0, 0x00], "1 bytes follow the first data item"),
                                 ([0x7f, 0x61, 0x61, 0x01], "indefinite-length string must be a definite string")] {
            let response = await f.call("DescribeStream", body: body, contentType: "application/x-amz-cbor-1.1")
            #expect(response.status == 400)
            #expect(response.headers["Content-Type"] == "application/x-amz-cbor-1.1")
            let reply = try CBORDecoder.decode(response.body)
            #expect(reply["__type"] == .text("SerializationException"))
            guard case .text(let message)? = reply["message"] else { Issue.record("no message"); continue }
            #expect(message.contains(fragment), "\(message)")
        }
    }

    @Test func cborForAnotherServiceIsStill415() async throws {
        let f = try KinesisFixture()
        let request = HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([
            ("Host", "h"), ("X-Amz-Target", "AmazonSQS.ListQueues"), ("Content-Type", "application/x-amz-cbor-1.1"),
        ]), body: [0xa0])
        let response = await f.endpoint.handle(request)
        #expect(response.status == 415)
        #expect(String(decoding: response.body, as: UTF8.self).contains("CBOR bodies are served for Kinesis only"))
    }
}
