import EventRouter

/// CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary, ListStreams and the
/// retention period.
extension KinesisService {
    func createStream(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        guard let name = try r.input.string("StreamName", required: true) else { return [:] }
        let modeName = try r.input.structure("StreamModeDetails")?.string("StreamMode", required: true) ?? StreamMode.provisioned.rawValue
        guard let mode = StreamMode(rawValue: modeName) else {
            throw KinesisRequest.invalid("StreamModeDetails.StreamMode must be PROVISIONED or ON_DEMAND, got '\(modeName)'")
        }
        let shardCount: Int
        switch (mode, try r.input.integer("ShardCount")) {
        case (.provisioned, let count?): shardCount = count
        case (.provisioned, nil):
            throw KinesisRequest.invalid("CreateStream \(name): ShardCount is required for a PROVISIONED stream; give 1 to \(StreamConfiguration.maximumShardCount), or StreamModeDetails {\"StreamMode\": \"ON_DEMAND\"}")
        case (.onDemand, nil): shardCount = StreamMode.onDemandShardCount
        case (.onDemand, _?):
            throw KinesisRequest.invalid("CreateStream \(name): ShardCount must not be given for an ON_DEMAND stream (it starts with \(StreamMode.onDemandShardCount) shards' capacity)")
        }
        let tags = try r.stringMap("Tags", required: false) ?? [:]
        try KinesisRequest.map { () throws(StreamError) in
            try StreamConfiguration.validate(name: name, context: "StreamName")
            let configuration = try StreamConfiguration(name: name, shardCount: shardCount, account: r.caller.account, region: r.region)
            let stream = streams.makeStream(configuration)
            try stream.update { (s: inout DataStreamState, _) throws(StreamError) in
                s.setMode(mode)
                try s.addTags(tags)
            }
            try streams.add(stream)
        }
        return [:]
    }

    func deleteStream(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let arn = try r.streamARN()
        try KinesisRequest.map { () throws(StreamError) in try streams.remove(arn) }
        return [:]
    }

    func describeStream(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let state = try r.stream().snapshot
        let limit = try r.integer("Limit", in: 1...10_000, default: 100) ?? 100
        let after = try r.input.string("ExclusiveStartShardId").map { id throws(AWSError) -> Int in try Self.shardIndex(id, member: "ExclusiveStartShardId") }
        let remaining = state.shards.filter { after == nil || $0.index > after! }
        var description = Self.summary(state)
        description["Shards"] = .array(remaining.prefix(limit).map(\.jsonValue))
        description["HasMoreShards"] = .bool(remaining.count > limit)
        return ["StreamDescription": .object(description)]
    }

    func describeStreamSummary(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let state = try r.stream().snapshot
        var summary = Self.summary(state)
        summary["OpenShardCount"] = .number(JSONNumber(state.openShardIds.count))
        summary["ConsumerCount"] = 0
        return ["StreamDescriptionSummary": .object(summary)]
    }

    /// The members DescribeStream and DescribeStreamSummary share.
    static func summary(_ s: DataStreamState) -> JSONObject {
        var o = JSONObject()
        o["StreamName"] = .string(s.configuration.name)
        o["StreamARN"] = .string(s.configuration.arn)
        o["StreamStatus"] = "ACTIVE"
        o["StreamModeDetails"] = ["StreamMode": .string(s.mode.rawValue)]
        o["RetentionPeriodHours"] = .number(JSONNumber(s.configuration.retentionPeriodHours))
        o["StreamCreationTimestamp"] = .number(JSONNumber(Double(s.createdAt.millisecondsSinceEpoch) / 1000))
        o["EnhancedMonitoring"] = [["ShardLevelMetrics": []]]
        o["EncryptionType"] = "NONE"
        return o
    }

    func listStreams(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let limit = try r.integer("Limit", in: 1...10_000, default: 100) ?? 100
        var after = try r.input.string("ExclusiveStartStreamName")
        if let token = try r.input.string("NextToken") {
            guard after == nil else {
                throw KinesisRequest.invalid("ListStreams takes NextToken or ExclusiveStartStreamName, not both")
            }
            after = try KinesisPageToken(token, kind: "streams", now: streams.clock.now).after
        }
        let mine = streams.all.filter { $0.arn.hasPrefix("arn:aws:kinesis:\(r.region):\(r.caller.account):stream/") }
        let remaining = mine.map(\.snapshot).sorted { $0.configuration.name < $1.configuration.name }
            .filter { after == nil || $0.configuration.name > after! }
        let page = Array(remaining.prefix(limit))
        var o: JSONObject = [
            "StreamNames": .array(page.map { .string($0.configuration.name) }),
            "HasMoreStreams": .bool(remaining.count > limit),
            "StreamSummaries": .array(page.map { s in
                [
                    "StreamName": .string(s.configuration.name), "StreamARN": .string(s.configuration.arn), "StreamStatus": "ACTIVE",
                    "StreamModeDetails": ["StreamMode": .string(s.mode.rawValue)],
                    "StreamCreationTimestamp": .number(JSONNumber(Double(s.createdAt.millisecondsSinceEpoch) / 1000)),
                ]
            }),
        ]
        if remaining.count > limit, let last = page.last {
            o["NextToken"] = .string(KinesisPageToken(kind: "streams", scope: "", after: last.configuration.name, issuedAt: streams.clock.now).text)
        }
        return o
    }

    func setRetention(_ r: KinesisRequest, increase: Bool) throws(AWSError) -> JSONObject {
        let stream = try r.stream()
        guard let hours = try r.input.integer("RetentionPeriodHours", required: true) else { return [:] }
        try KinesisRequest.map { () throws(StreamError) in
            try stream.update { (s: inout DataStreamState, _) throws(StreamError) in try s.setRetentionPeriod(hours: hours, increase: increase) }
        }
        return [:]
    }

    /// The index of shard id `id` in member `member`.
    /// - Throws: `InvalidArgumentException` when it is not a shard id.
    static func shardIndex(_ id: String, member: String) throws(AWSError) -> Int {
        guard let index = StreamShard.index(ofShardId: id) else {
            throw KinesisRequest.invalid("\(member) '\(id.prefix(64))' is not a shard id; use an id like shardId-000000000000 from ListShards")
        }
        return index
    }
}
