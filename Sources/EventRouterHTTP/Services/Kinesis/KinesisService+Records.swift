import EventRouter

/// PutRecord, PutRecords, GetShardIterator and GetRecords.
extension KinesisService {
    func putRecord(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let stream = try r.stream()
        let entry = try Self.entry(r.input, r, at: "")
        if let ordering = try r.input.string("SequenceNumberForOrdering"),
            ordering.isEmpty || ordering.utf8.count > 128 || !ordering.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw KinesisRequest.invalid("SequenceNumberForOrdering '\(ordering.prefix(64))' must be a sequence number (decimal digits) that PutRecord returned")
        }
        try Self.refuseDryRun(r, "PutRecord")
        let result = try KinesisRequest.map { () throws(StreamError) in try stream.putRecord(entry) }
        return ["ShardId": .string(result.shardId), "SequenceNumber": .string(result.sequenceNumber), "EncryptionType": "NONE"]
    }

    func putRecords(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let stream = try r.stream()
        let list = try r.input.list("Records", required: true) ?? []
        var entries: [PutRecordsEntry] = []
        entries.reserveCapacity(list.count)
        for (i, value) in list.enumerated() {
            guard let object = value.objectValue else { throw .serialization("member 'Records[\(i)]' must be an object, not \(value.kindName)") }
            entries.append(try Self.entry(JSONInput(object: object), r, at: "Records[\(i)]."))
        }
        let result = try KinesisRequest.map { () throws(StreamError) in try stream.putRecords(entries) }
        return ["FailedRecordCount": .number(JSONNumber(result.failedRecordCount)),
                "Records": .array(result.records.map(\.jsonValue)), "EncryptionType": "NONE"]
    }

    /// One record to write from `Data`, `PartitionKey` and `ExplicitHashKey`.
    static func entry(_ input: JSONInput, _ r: KinesisRequest, at path: String) throws(AWSError) -> PutRecordsEntry {
        let bytes = try r.blob("Data", in: input, at: path + "Data")
        guard let key = try input.string("PartitionKey") else {
            throw .validation("1 validation error detected: Value null at '\(path)partitionKey' failed to satisfy constraint: Member must not be null")
        }
        return PutRecordsEntry(bytes: bytes, partitionKey: key, explicitHashKey: try input.string("ExplicitHashKey"))
    }

    /// `DryRunOperationException` when `DryRun` is true: the request was valid and nothing was done.
    static func refuseDryRun(_ r: KinesisRequest, _ operation: String) throws(AWSError) {
        if try r.input.boolean("DryRun") == true {
            throw AWSError(code: "DryRunOperationException", message: "\(operation) would have succeeded (DryRun is set, so nothing was done)")
        }
    }

    func getShardIterator(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let stream = try r.stream()
        guard let shardId = try r.input.string("ShardId", required: true),
            let typeName = try r.input.string("ShardIteratorType", required: true)
        else { return [:] }
        guard let type = ShardIteratorType(rawValue: typeName) else {
            throw KinesisRequest.invalid("ShardIteratorType must be one of \(ShardIteratorType.allCases.map(\.rawValue).joined(separator: ", ")); got '\(typeName)'")
        }
        _ = try Self.shardIndex(shardId, member: "ShardId")
        let sequence = try r.input.string("StartingSequenceNumber")
        let timestamp = try r.timestamp("Timestamp")
        if type == .atTimestamp && timestamp == nil {
            throw KinesisRequest.invalid("ShardIteratorType AT_TIMESTAMP needs a Timestamp (epoch seconds) to start reading from")
        }
        try Self.refuseDryRun(r, "GetShardIterator")
        let iterator = try KinesisRequest.map { () throws(StreamError) in
            try stream.shardIterator(shardId: shardId, type: type, sequenceNumber: sequence, timestamp: timestamp)
        }
        return ["ShardIterator": .string(iterator)]
    }

    func getRecords(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        guard let token = try r.input.string("ShardIterator", required: true) else { return [:] }
        let limit = try r.integer("Limit", in: 1...StreamLimits.maximumGetRecordsLimit)
        let stream: DataStream
        if r.input.object["StreamARN"].map({ !$0.isNull }) == true {
            stream = try r.stream()
        } else {
            stream = try KinesisRequest.map { () throws(StreamError) in try streams.stream(forIterator: token, account: r.caller.account, region: r.region) }
        }
        try Self.refuseDryRun(r, "GetRecords")
        let result = try KinesisRequest.map { () throws(StreamError) in try stream.getRecords(shardIterator: token, limit: limit) }
        var o = JSONObject()
        o["Records"] = .array(result.records.map { record in
            [
                "SequenceNumber": .string(record.sequenceNumber.description),
                "ApproximateArrivalTimestamp": .number(JSONNumber(Double(record.approximateArrivalTimestamp.millisecondsSinceEpoch) / 1000)),
                "Data": .string(Base64.encode(record.bytes)),
                "PartitionKey": .string(record.partitionKey),
            ]
        })
        if let next = result.nextShardIterator { o["NextShardIterator"] = .string(next) }
        o["MillisBehindLatest"] = .number(JSONNumber(Int(result.millisBehindLatest)))
        if result.nextShardIterator == nil || !result.childShards.isEmpty {
            o["ChildShards"] = result.jsonValue["ChildShards"] ?? []
        }
        return o
    }
}
