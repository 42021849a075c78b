import EventRouter

/// CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue and ListDeadLetterSourceQueues.
extension SQSService {
    func createQueue(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let name = try r.input.string("QueueName", required: true) ?? ""
        let attributes = try r.input.stringMap("Attributes") ?? []
        let tags = try r.input.stringMap("tags") ?? []
        let base = QueueConfiguration(name: name, account: r.call.caller.account, region: r.call.caller.region)
        let limit = r.queues.maximumMessageSizeLimit
        if let existing = r.queues.queue(arn: base.arn) {
            let current = existing.configuration
            let wanted = try SQSErrors.mapping { () throws(QueueError) in try current.applying(attributes: attributes, maximumMessageSizeLimit: limit) }
            guard wanted == current else {
                let have = Dictionary(current.sqsAttributes.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                let differing = wanted.sqsAttributes.filter { have[$0.name] != $0.value }.map(\.name)
                throw SQSErrors.error("QueueNameExists", "A queue already exists with the same name and a different value for attribute\(differing.count == 1 ? "" : "s") \(differing.joined(separator: ", ")): use the queue's current attributes, another name, or SetQueueAttributes.")
            }
            return ["QueueUrl": .string(r.url(of: existing))]
        }
        let configuration = try SQSErrors.mapping { () throws(QueueError) in try base.applying(attributes: attributes, maximumMessageSizeLimit: limit) }
        try SQSErrors.mapping { () throws(QueueError) in try r.queues.checkRedrive(of: configuration) }
        let queue = try SQSErrors.mapping { () throws(QueueError) in try r.queues.createQueue(configuration) }
        if !tags.isEmpty {
            let map = Dictionary(tags.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })
            try SQSErrors.mapping { () throws(QueueError) in try queue.tag(map) }
        }
        return ["QueueUrl": .string(r.url(of: queue))]
    }

    func getQueueUrl(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let name = try r.input.string("QueueName", required: true) ?? ""
        let owner = try r.input.string("QueueOwnerAWSAccountId") ?? r.call.caller.account
        let queue = try r.queue(url: "/\(owner)/\(name)", parameter: "QueueName")
        return ["QueueUrl": .string(r.url(of: queue))]
    }

    func listQueues(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let prefix = try r.input.string("QueueNamePrefix") ?? ""
        let scope = "arn:aws:sqs:\(r.call.caller.region):\(r.call.caller.account):"
        let queues = r.queues.queues.filter { $0.arn.hasPrefix(scope) && $0.name.hasPrefix(prefix) }
        let page = try Self.page(queues, r)
        var result: JSONObject = ["QueueUrls": .array(page.items.map { .string(r.url(of: $0)) })]
        if let token = page.nextToken { result["NextToken"] = .string(token) }
        return result
    }

    func deleteQueue(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        try SQSErrors.mapping { () throws(QueueError) in try r.queues.deleteQueue(queue.arn) }
        return nil
    }

    func purgeQueue(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        try await SQSErrors.mapping { () async throws(QueueError) in try await queue.purge() }
        return nil
    }

    func listDeadLetterSourceQueues(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let dlq = try r.queue()
        let sources = r.queues.queues.filter { $0.configuration.redrivePolicy?.deadLetterTargetArn == dlq.arn }
        let page = try Self.page(sources, r)
        var result: JSONObject = ["queueUrls": .array(page.items.map { .string(r.url(of: $0)) })]
        if let token = page.nextToken { result["NextToken"] = .string(token) }
        return result
    }

    /// A page of `queues` ordered by name: `MaxResults` (1–1000) of them after the queue that
    /// `NextToken` names; a token only when `MaxResults` was given and more follow.
    static func page(_ queues: [MessageQueue], _ r: SQSRequest) throws(AWSError) -> (items: [MessageQueue], nextToken: String?) {
        let maximum = try r.input.integer("MaxResults")
        if let maximum, !(1...1000).contains(maximum) {
            throw SQSErrors.invalid("MaxResults", String(maximum), "must be between 1 and 1000.")
        }
        var sorted = queues.sorted { $0.arn < $1.arn }
        if let token = try r.input.string("NextToken") {
            guard let after = Base64.decode(token).flatMap({ String(validating: $0, as: UTF8.self) }), after.hasPrefix("arn:aws:sqs:") else {
                throw SQSErrors.invalid("NextToken", token, "Invalid NextToken value: pass the NextToken of the previous page unchanged.")
            }
            sorted = sorted.filter { $0.arn > after }
        }
        guard let maximum, sorted.count > maximum else { return (Array(sorted.prefix(maximum ?? 1000)), nil) }
        let items = Array(sorted.prefix(maximum))
        return (items, items.last.map { Base64.encode(Array($0.arn.utf8)) })
    }
}
