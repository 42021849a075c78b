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
        return try await SQSBatch.run(try r.input.structures("Entries", required: true) ?? []) { (input, id) throws(AWSError) in
            try OutgoingMessage(input, id: id)
        } run: { (entries) async throws(QueueError) in
            try await queue.sendMessageBatch(entries.map {
                SendMessageBatchEntry(id: $0.id, body: $0.entry.body, messageAttributes: $0.entry.attributes, delaySeconds: $0.entry.delaySeconds,
                                      messageGroupId: $0.entry.groupId, messageDeduplicationId: $0.entry.deduplicationId)
            })
        } reply: { _, message, sent in
            message.reply(sent)
        }
    }
}
