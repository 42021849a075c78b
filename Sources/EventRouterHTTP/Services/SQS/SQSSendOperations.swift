import EventRouter

/// SendMessage and SendMessageBatch.
extension SQSService {
    /// One message to send, read from a request or a batch entry.
    struct OutgoingMessage: Sendable {
        var id: String
        var body: String
        var attributes: [String: MessageAttributeValue]
        var systemAttributes: [String: MessageAttributeValue]
        var delaySeconds: Int?
        var groupId: String?
        var deduplicationId: String?

        /// Reads the members SendMessage and a SendMessageBatch entry share.
        init(_ input: SQSInput, id: String = "") throws(AWSError) {
            self.id = id
            body = try input.string("MessageBody", required: true) ?? ""
            delaySeconds = try input.integer("DelaySeconds")
            attributes = try SQSMessageAttributes.read(input, "MessageAttributes")
            systemAttributes = try SQSMessageAttributes.read(input, "MessageSystemAttributes")
            for (name, value) in systemAttributes where name != "AWSTraceHeader" || value.dataType != "String" {
                throw SQSErrors.error("InvalidParameterValue", "Message system attribute '\(name)' (\(value.dataType)) is not supported: the only message system attribute is AWSTraceHeader, a String.")
            }
            groupId = try input.string("MessageGroupId")
            deduplicationId = try input.string("MessageDeduplicationId")
        }

        /// The digests and ids of a reply.
        func reply(_ result: SendMessageResult) -> JSONObject {
            var out: JSONObject = [:]
            if !id.isEmpty { out["Id"] = .string(id) }
            out["MessageId"] = .string(result.messageId)
            out["MD5OfMessageBody"] = .string(SQSMessageMD5.body(body))
            if let md5 = SQSMessageMD5.attributes(attributes) { out["MD5OfMessageAttributes"] = .string(md5) }
            if let md5 = SQSMessageMD5.attributes(systemAttributes) { out["MD5OfMessageSystemAttributes"] = .string(md5) }
            if let sequence = result.sequenceNumber { out["SequenceNumber"] = .string(sequence) }
            return out
        }
    }

    func sendMessage(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let message = try OutgoingMessage(r.input)
        let result = try await SQSErrors.mapping { () async throws(QueueError) in
            try await queue.sendMessage(body: message.body, attributes: message.attributes, delaySeconds: message.delaySeconds,
                                        groupId: message.groupId, deduplicationId: message.deduplicationId)
        }
        return message.reply(result)
    }

    func sendMessageBatch(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let entries = try r.input.structures("Entries", required: true) ?? []
        let ids = try Self.batchIds(entries)
        var failed: [JSONValue] = []
        var valid: [OutgoingMessage] = []
        for (entry, id) in zip(entries, ids) {
            do throws(AWSError) {
                valid.append(try OutgoingMessage(entry, id: id))
            } catch {
                failed.append(Self.failure(id, error.queryCode ?? error.code, error.message))
            }
        }
        var successful: [JSONValue] = []
        if !valid.isEmpty {
            let batch = valid.map {
                SendMessageBatchEntry(id: $0.id, body: $0.body, messageAttributes: $0.attributes, delaySeconds: $0.delaySeconds,
                                      messageGroupId: $0.groupId, messageDeduplicationId: $0.deduplicationId)
            }
            let result = try await SQSErrors.mapping { () async throws(QueueError) in try await queue.sendMessageBatch(batch) }
            let byId = Dictionary(valid.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for (id, sent) in result.successful { if let message = byId[id] { successful.append(.object(message.reply(sent))) } }
            failed += result.failed.map { Self.failure($0.id, $0.code, $0.message) }
        }
        return ["Successful": .array(successful), "Failed": .array(failed)]
    }

    /// The `Id` of every entry, after the checks of the batch as a whole.
    /// - Throws: ``AWSError`` `MissingParameter`, `EmptyBatchRequest`, `TooManyEntriesInBatchRequest`,
    ///   `InvalidBatchEntryId`, `BatchEntryIdsNotDistinct`.
    static func batchIds(_ entries: [SQSInput]) throws(AWSError) -> [String] {
        var ids: [String] = []
        for entry in entries { ids.append(try entry.string("Id", required: true) ?? "") }
        try SQSErrors.mapping { () throws(QueueError) in try BatchValidation.check(ids: ids) }
        return ids
    }

    /// A `Failed` entry of a batch reply.
    static func failure(_ id: String, _ code: String, _ message: String) -> JSONValue {
        ["Id": .string(id), "SenderFault": true, "Code": .string(code), "Message": .string(message)]
    }
}
