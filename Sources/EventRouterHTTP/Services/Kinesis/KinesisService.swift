import EventRouter

/// Amazon Kinesis Data Streams over JSON 1.1 (`X-Amz-Target: Kinesis_20131202.<Op>`) and over
/// CBOR (`application/x-amz-cbor-1.1`, the Java SDKs' default), served from the engine's
/// streams: a stream created here is the one rule targets write to and event source mappings
/// read, and a stream declared in a rule file is served here.
///
/// Each operation builds its reply once as JSON; CBOR calls get the same reply with `Data` as a
/// byte string and timestamps as tag 1 epoch milliseconds (``CBORJSON``). Enhanced fan-out is not
/// served (``KinesisService/enhancedFanOutNotServed(_:)``). See docs/kinesis-on-the-wire.md.
public struct KinesisService: AWSService {
    public let name = "kinesis"
    public let xmlNamespace = ""
    let runtime: RouterRuntime

    /// Serves the streams of `runtime`.
    public init(runtime: RouterRuntime) {
        self.runtime = runtime
    }

    /// The streams served.
    var streams: StreamRegistry { runtime.streams }

    /// The operations served, for the unknown-operation message.
    static let operations = [
        "CreateStream", "DeleteStream", "DescribeStream", "DescribeStreamSummary", "ListStreams", "ListShards", "PutRecord",
        "PutRecords", "GetShardIterator", "GetRecords", "SplitShard", "MergeShards", "UpdateShardCount",
        "IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod", "AddTagsToStream", "RemoveTagsFromStream",
        "ListTagsForStream", "TagResource", "UntagResource", "ListTagsForResource",
    ]

    /// Members whose values are blobs (base64 in JSON, byte strings in CBOR).
    static let blobMembers: Set<String> = ["Data"]
    /// Members whose values are timestamps (epoch seconds in JSON, tag 1 milliseconds in CBOR).
    static let timestampMembers: Set<String> = ["ApproximateArrivalTimestamp", "StreamCreationTimestamp", "ConsumerCreationTimestamp"]

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        let r = KinesisRequest(input: call.input, caller: call.caller, streams: streams)
        // With a data directory a change is answered once its records are stored.
        let payload = try await AWSError.storing(journaled: streams.isJournaled) { () throws(AWSError) -> JSONObject in
            try dispatch(call, r)
        }
        if call.protocol == .cbor11 {
            let body = CBORJSON.cbor(.object(payload), blobs: Self.blobMembers, timestamps: Self.timestampMembers)
            return .http(AWSResponseWriter.cbor(body, requestId: call.requestId))
        }
        return .json(.object(payload))
    }

    /// The operation's answer.
    private func dispatch(_ call: AWSCall, _ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let payload: JSONObject
        switch call.operation {
        case "CreateStream": payload = try createStream(r)
        case "DeleteStream": payload = try deleteStream(r)
        case "DescribeStream": payload = try describeStream(r)
        case "DescribeStreamSummary": payload = try describeStreamSummary(r)
        case "ListStreams": payload = try listStreams(r)
        case "ListShards": payload = try listShards(r)
        case "PutRecord": payload = try putRecord(r)
        case "PutRecords": payload = try putRecords(r)
        case "GetShardIterator": payload = try getShardIterator(r)
        case "GetRecords": payload = try getRecords(r)
        case "SplitShard": payload = try splitShard(r)
        case "MergeShards": payload = try mergeShards(r)
        case "UpdateShardCount": payload = try updateShardCount(r)
        case "IncreaseStreamRetentionPeriod": payload = try setRetention(r, increase: true)
        case "DecreaseStreamRetentionPeriod": payload = try setRetention(r, increase: false)
        case "AddTagsToStream": payload = try addTagsToStream(r)
        case "RemoveTagsFromStream": payload = try removeTagsFromStream(r)
        case "ListTagsForStream": payload = try listTagsForStream(r)
        case "TagResource": payload = try tagResource(r)
        case "UntagResource": payload = try untagResource(r)
        case "ListTagsForResource": payload = try listTagsForResource(r)
        case "RegisterStreamConsumer", "DescribeStreamConsumer", "ListStreamConsumers", "SubscribeToShard", "DeregisterStreamConsumer":
            throw Self.enhancedFanOutNotServed(call.operation)
        default:
            var error = AWSError.unknownOperation(call.operation, service: name, protocol: call.protocol)
            error.message += "; served: \(Self.operations.joined(separator: ", "))"
            throw error
        }
        return payload
    }

    /// The answer to the enhanced fan-out operations.
    static func enhancedFanOutNotServed(_ operation: String) -> AWSError {
        AWSError(code: "UnsupportedOperationException",
                 message: "\(operation) is not served: enhanced fan-out consumers read through SubscribeToShard, an HTTP/2 event stream, and EventRouter serves HTTP/1.1 only; read with GetShardIterator and GetRecords (shared throughput), or an event source mapping, instead (see docs/kinesis-on-the-wire.md)")
    }
}
