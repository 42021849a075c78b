import EventRouter

/// AddTagsToStream, RemoveTagsFromStream, ListTagsForStream, and their ARN-based forms
/// TagResource, UntagResource and ListTagsForResource.
extension KinesisService {
    func addTagsToStream(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        try addTags(try r.stream(), try r.stringMap("Tags", required: true) ?? [:])
    }

    func tagResource(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        try addTags(try resource(r), try r.stringMap("Tags", required: true) ?? [:])
    }

    private func addTags(_ stream: DataStream, _ tags: [String: String]) throws(AWSError) -> JSONObject {
        try KinesisRequest.map { () throws(StreamError) in
            try stream.update { (s: inout DataStreamState, _) throws(StreamError) in try s.addTags(tags) }
        }
        return [:]
    }

    func removeTagsFromStream(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        try removeTags(try r.stream(), try r.strings("TagKeys", required: true))
    }

    func untagResource(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        try removeTags(try resource(r), try r.strings("TagKeys", required: true))
    }

    private func removeTags(_ stream: DataStream, _ keys: [String]) throws(AWSError) -> JSONObject {
        try KinesisRequest.map { () throws(StreamError) in
            try stream.update { (s: inout DataStreamState, _) in s.removeTags(keys) }
        }
        return [:]
    }

    func listTagsForStream(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let tags = try r.stream().snapshot.tags
        let limit = try r.integer("Limit", in: 1...50, default: 50) ?? 50
        let after = try r.input.string("ExclusiveStartTagKey")
        let keys = tags.keys.sorted().filter { after == nil || $0 > after! }
        return ["Tags": Self.tagList(keys.prefix(limit), tags), "HasMoreTags": .bool(keys.count > limit)]
    }

    func listTagsForResource(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let tags = try resource(r).snapshot.tags
        return ["Tags": Self.tagList(tags.keys.sorted()[...], tags)]
    }

    /// `[{"Key", "Value"}, …]`.
    private static func tagList(_ keys: ArraySlice<String>, _ tags: [String: String]) -> JSONValue {
        .array(keys.map { ["Key": .string($0), "Value": .string(tags[$0] ?? "")] })
    }

    /// The stream `ResourceARN` names.
    /// - Throws: `InvalidArgumentException` for an ARN that is not a stream's (consumers are not served).
    private func resource(_ r: KinesisRequest) throws(AWSError) -> DataStream {
        guard let arn = try r.input.string("ResourceARN", required: true) else { throw KinesisRequest.invalid("ResourceARN is required") }
        if arn.contains("/consumer/") { throw Self.enhancedFanOutNotServed("tagging a consumer") }
        try KinesisRequest.map { () throws(StreamError) in _ = try DataStreamState.parseARN(arn) }
        return try KinesisRequest.map { () throws(StreamError) in try streams.stream(arn) }
    }
}
