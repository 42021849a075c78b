import EventRouter

/// ReceiveMessage, DeleteMessage(Batch) and ChangeMessageVisibility(Batch).
extension SQSService {
    /// The names `MessageSystemAttributeNames` (and the older `AttributeNames`) take.
    static let messageSystemAttributeNames: [String] = [
        "All", "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SequenceNumber",
        "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn",
    ]

    func receiveMessage(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let maximum = try r.input.integer("MaxNumberOfMessages") ?? 1
        let visibility = try r.input.integer("VisibilityTimeout")
        let wait = try r.input.integer("WaitTimeSeconds")
        let systemNames = (try r.input.strings("AttributeNames") ?? []) + (try r.input.strings("MessageSystemAttributeNames") ?? [])
        for name in systemNames where !Self.messageSystemAttributeNames.contains(name) && !Self.queueAttributeNames.contains(name) {
            throw Self.unknownAttribute(name, among: Self.messageSystemAttributeNames)
        }
        let attributeNames = try r.input.strings("MessageAttributeNames") ?? []
        let attempt = queue.fifo ? try r.input.string("ReceiveRequestAttemptId") : nil
        if let attempt {
            guard (1...128).contains(attempt.utf8.count), attempt.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw SQSErrors.invalid("ReceiveRequestAttemptId", attempt, "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters, 1 to 128 in length.")
            }
        }
        let messages: [ReceivedMessage]
        if let attempt, let earlier = attempts.messages(queue: queue, attempt: attempt) {
            messages = earlier
        } else {
            messages = try await SQSErrors.mapping { () async throws(QueueError) in
                try await queue.receiveMessages(maxNumberOfMessages: maximum, visibilityTimeout: visibility, waitTimeSeconds: wait)
            }
            if let attempt, !messages.isEmpty { attempts.record(messages, queue: queue, attempt: attempt) }
        }
        guard !messages.isEmpty else { return [:] }
        return ["Messages": .array(messages.map { .object(Self.reply($0, systemNames: systemNames, attributeNames: attributeNames)) })]
    }

    /// One message of a ReceiveMessage reply, with the attributes asked for and their digest.
    static func reply(_ message: ReceivedMessage, systemNames: [String], attributeNames: [String]) -> JSONObject {
        var out: JSONObject = [
            "MessageId": .string(message.messageId), "ReceiptHandle": .string(message.receiptHandle),
            "MD5OfBody": .string(SQSMessageMD5.body(message.body)), "Body": .string(message.body),
        ]
        let everything = systemNames.contains("All")
        let system = message.attributes.filter { everything || systemNames.contains($0.key) }
        if !system.isEmpty {
            var map = JSONObject()
            for key in system.keys.sorted() { map[key] = .string(system[key] ?? "") }
            out["Attributes"] = .object(map)
        }
        let selected = SQSMessageAttributes.select(message.messageAttributes, names: attributeNames)
        if let md5 = SQSMessageMD5.attributes(selected) {
            out["MD5OfMessageAttributes"] = .string(md5)
            out["MessageAttributes"] = SQSMessageAttributes.json(selected)
        }
        return out
    }

    func deleteMessage(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let handle = try r.input.string("ReceiptHandle", required: true) ?? ""
        try await SQSErrors.mapping { () async throws(QueueError) in _ = try await queue.deleteMessage(receiptHandle: handle) }
        return nil
    }

    func deleteMessageBatch(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        return try await SQSBatch.run(try r.input.structures("Entries", required: true) ?? []) { (input, _) throws(AWSError) in
            try input.string("ReceiptHandle", required: true) ?? ""
        } run: { (entries) async throws(QueueError) in
            try await queue.deleteMessageBatch(entries.map { ($0.id, $0.entry) })
        } reply: { id, _, _ in
            ["Id": .string(id)]
        }
    }

    func changeMessageVisibility(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let handle = try r.input.string("ReceiptHandle", required: true) ?? ""
        let timeout = try r.input.integer("VisibilityTimeout", required: true) ?? 0
        try await SQSErrors.mapping { () async throws(QueueError) in try await queue.changeMessageVisibility(receiptHandle: handle, visibilityTimeout: timeout) }
        return nil
    }

    func changeMessageVisibilityBatch(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        return try await SQSBatch.run(try r.input.structures("Entries", required: true) ?? []) { (input, id) throws(AWSError) in
            ChangeVisibilityBatchEntry(id: id, receiptHandle: try input.string("ReceiptHandle", required: true) ?? "",
                                       visibilityTimeout: try input.integer("VisibilityTimeout", required: true) ?? 0)
        } run: { (entries) async throws(QueueError) in
            try await queue.changeMessageVisibilityBatch(entries.map(\.entry))
        } reply: { id, _, _ in
            ["Id": .string(id)]
        }
    }
}
