import EventRouter

/// TagQueue, UntagQueue and ListQueueTags.
extension SQSService {
    func tagQueue(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let tags = try r.input.stringMap("Tags", required: true) ?? []
        let map = Dictionary(tags.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })
        try SQSErrors.mapping { () throws(QueueError) in try queue.tag(map) }
        return nil
    }

    func untagQueue(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        queue.untag(try r.input.strings("TagKeys", required: true) ?? [])
        return nil
    }

    func listQueueTags(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let tags = try r.queue().currentMetadata.tags
        guard !tags.isEmpty else { return [:] }
        var map = JSONObject()
        for key in tags.keys.sorted() { map[key] = .string(tags[key] ?? "") }
        return ["Tags": .object(map)]
    }
}
