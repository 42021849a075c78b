/// The events Lambda hands a function from an event source mapping, in AWS's shapes.
public enum LambdaSourceEvent {
    /// `{"Records": [...]}` for a batch of SQS messages.
    /// - Parameters:
    ///   - messages: the batch, in receive order.
    ///   - queueArn: `eventSourceARN`; its region is `awsRegion`.
    public static func sqs(_ messages: [ReceivedMessage], queueArn: String) -> JSONValue {
        let region = ARN(queue: queueArn)?.region ?? ""
        return ["Records": .array(messages.map { sqsRecord($0, queueArn: queueArn, region: region) })]
    }

    /// One SQS record: `messageId`, `receiptHandle`, `body`, `attributes`, `messageAttributes`,
    /// `md5OfBody`, `eventSource` (`aws:sqs`), `eventSourceARN`, `awsRegion`.
    public static func sqsRecord(_ m: ReceivedMessage, queueArn: String, region: String) -> JSONValue {
        var attributes = JSONObject()
        let order = m.attributes.keys.sorted { (attributeRank($0), $0) < (attributeRank($1), $1) }
        for key in order { attributes[key] = .string(m.attributes[key] ?? "") }
        var messageAttributes = JSONObject()
        for key in m.messageAttributes.keys.sorted() {
            guard let v = m.messageAttributes[key] else { continue }
            var a = JSONObject()
            if let s = v.stringValue { a["stringValue"] = .string(s) }
            if let b = v.binaryValue { a["binaryValue"] = .string(Base64.encode(b)) }
            a["stringListValues"] = []
            a["binaryListValues"] = []
            a["dataType"] = .string(v.dataType)
            messageAttributes[key] = .object(a)
        }
        var o = JSONObject()
        o["messageId"] = .string(m.messageId)
        o["receiptHandle"] = .string(m.receiptHandle)
        o["body"] = .string(m.body)
        o["attributes"] = .object(attributes)
        o["messageAttributes"] = .object(messageAttributes)
        o["md5OfBody"] = .string(MD5.hexDigest(m.body))
        o["eventSource"] = "aws:sqs"
        o["eventSourceARN"] = .string(queueArn)
        o["awsRegion"] = .string(region)
        return .object(o)
    }

    /// The order of Lambda's SQS sample events; other attributes follow by name.
    private static let attributeOrder = [
        "ApproximateReceiveCount", "SentTimestamp", "SequenceNumber", "MessageGroupId", "SenderId",
        "MessageDeduplicationId", "ApproximateFirstReceiveTimestamp",
    ]

    private static func attributeRank(_ name: String) -> Int { attributeOrder.firstIndex(of: name) ?? attributeOrder.count }

    /// `{"Records": [...]}` for a batch of records of one shard.
    /// - Parameters:
    ///   - records: the batch, in sequence order.
    ///   - shardId: the shard they were read from (part of `eventID`).
    ///   - streamArn: `eventSourceARN`; its region and account give `awsRegion` and `invokeIdentityArn`.
    public static func kinesis(_ records: [StreamRecord], shardId: String, streamArn: String) -> JSONValue {
        let parts = streamArn.split(separator: ":", omittingEmptySubsequences: false)
        let region = parts.count > 3 ? String(parts[3]) : ""
        let account = parts.count > 4 ? String(parts[4]) : ""
        let identity = "arn:aws:iam::\(account):role/eventrouter-event-source-mapping"
        return ["Records": .array(records.map { kinesisRecord($0, shardId: shardId, streamArn: streamArn, region: region, invokeIdentityArn: identity) })]
    }

    /// One Kinesis record: `kinesis {kinesisSchemaVersion, partitionKey, sequenceNumber, data
    /// (base64), approximateArrivalTimestamp (epoch seconds)}`, `eventSource` (`aws:kinesis`),
    /// `eventVersion`, `eventID` (`shardId-…:sequenceNumber`), `eventName`, `invokeIdentityArn`,
    /// `awsRegion`, `eventSourceARN`.
    public static func kinesisRecord(_ r: StreamRecord, shardId: String, streamArn: String, region: String, invokeIdentityArn: String) -> JSONValue {
        var k = JSONObject()
        k["kinesisSchemaVersion"] = "1.0"
        k["partitionKey"] = .string(r.partitionKey)
        k["sequenceNumber"] = .string(r.sequenceNumber.description)
        k["data"] = .string(Base64.encode(r.bytes))
        k["approximateArrivalTimestamp"] = .number(JSONNumber(Double(r.approximateArrivalTimestamp.millisecondsSinceEpoch) / 1000))
        var o = JSONObject()
        o["kinesis"] = .object(k)
        o["eventSource"] = "aws:kinesis"
        o["eventVersion"] = "1.0"
        o["eventID"] = .string("\(shardId):\(r.sequenceNumber)")
        o["eventName"] = "aws:kinesis:record"
        o["invokeIdentityArn"] = .string(invokeIdentityArn)
        o["awsRegion"] = .string(region)
        o["eventSourceARN"] = .string(streamArn)
        return .object(o)
    }
}
