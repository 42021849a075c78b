import Testing
@testable import EventRouter

/// One test per SQS error code, asserting the message says what to change.
@Suite struct QueueErrorTests {
    func error(_ f: QueueFixture, _ body: (MessageQueue) async throws(QueueError) -> Void) async -> QueueError? {
        await queueError { () async throws(QueueError) in try await body(f.queue) }
    }

    @Test func invalidParameterValue() async throws {
        let f = try QueueFixture()
        let e = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "x", delaySeconds: 901) }
        #expect(e?.description == "InvalidParameterValue: Value 901 for parameter DelaySeconds is invalid. Reason: must be between 0 and 900 seconds (15 minutes).")
        let big = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: String(repeating: "x", count: 262_145)) }
        #expect(big?.message.hasPrefix("One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes (this one is 262145 bytes") == true)
        let count = await error(f) { q throws(QueueError) in _ = try await q.receiveMessages(maxNumberOfMessages: 11) }
        #expect(count?.message == "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: must be between 1 and 10, if provided.")
        let wait = await error(f) { q throws(QueueError) in _ = try await q.receiveMessages(waitTimeSeconds: 21) }
        #expect(wait?.message == "Value 21 for parameter WaitTimeSeconds is invalid. Reason: must be between 0 and 20 seconds, if provided.")
        let dedup = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "x", deduplicationId: "d") }
        #expect(dedup?.message.contains("only FIFO queues take a MessageDeduplicationId") == true)
        let attr = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "x", attributes: ["AWS.x": .string("1")]) }
        #expect(attr?.message.hasPrefix("Message attribute name 'AWS.x' is invalid") == true)
        let dots = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "x", attributes: ["a..b": .string("1")]) }
        #expect(dots?.message.hasPrefix("Message attribute name 'a..b' is invalid") == true)
        let dot = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "x", attributes: ["a.b": .string("1")]) }
        #expect(dot == nil)
        let number = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "x", attributes: ["n": .number("abc")]) }
        #expect(number?.message == "Message attribute 'n' has the invalid Number value 'abc': write a decimal number such as 42 or -1.5e3.")
        let eleven = Dictionary(uniqueKeysWithValues: (0..<11).map { ("a\($0)", MessageAttributeValue.string("v")) })
        let tooMany = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "x", attributes: eleven) }
        #expect(tooMany?.message.hasPrefix("Number of message attributes [11] exceeds the allowed maximum [10]") == true)
    }

    @Test func missingParameter() async throws {
        let f = try QueueFixture()
        let e = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "") }
        #expect(e?.description == "MissingParameter: The request must contain the parameter MessageBody: send a non-empty body.")
    }

    @Test func invalidMessageContents() async throws {
        let f = try QueueFixture()
        let e = await error(f) { q throws(QueueError) in _ = try await q.sendMessage(body: "a\u{1}b") }
        #expect(e?.code == .invalidMessageContents)
        #expect(e?.message.hasPrefix("Invalid binary character '#x1' was found in the message body") == true)
    }

    @Test func receiptHandleIsInvalid() async throws {
        let f = try QueueFixture()
        let e = await error(f) { q throws(QueueError) in _ = try await q.deleteMessage(receiptHandle: "garbage") }
        #expect(e?.description == "ReceiptHandleIsInvalid: The input receipt handle \"garbage\" is not a valid receipt handle: use the ReceiptHandle that ReceiveMessage returned.")
        let other = try f.registry.createQueue(QueueConfiguration(name: "other"))
        _ = try await other.sendMessage(body: "x")
        let handle = try #require(try await other.receiveMessages().first?.receiptHandle)
        let foreign = await error(f) { q throws(QueueError) in _ = try await q.deleteMessage(receiptHandle: handle) }
        #expect(foreign?.message.contains("belongs to another queue, not orders") == true)
    }

    @Test func staleHandleCannotChangeVisibility() async throws {
        let f = try QueueFixture()
        _ = try await f.queue.sendMessage(body: "x")
        let old = try #require(try await f.queue.receiveMessages(visibilityTimeout: 0).first)
        _ = try await f.queue.receiveMessages()
        let e = await error(f) { q throws(QueueError) in try await q.changeMessageVisibility(receiptHandle: old.receiptHandle, visibilityTimeout: 10) }
        #expect(e?.code == .receiptHandleIsInvalid)
        #expect(e?.message.hasSuffix("use the ReceiptHandle of the most recent receive.") == true)
    }

    @Test func messageNotInflight() async throws {
        let f = try QueueFixture()
        _ = try await f.queue.sendMessage(body: "x")
        let m = try #require(try await f.queue.receiveMessages().first)
        f.advance(seconds: 30)
        let e = await error(f) { q throws(QueueError) in try await q.changeMessageVisibility(receiptHandle: m.receiptHandle, visibilityTimeout: 10) }
        #expect(e?.description == "MessageNotInflight: The message is not in flight (its visibility timeout expired): receive it again before changing its visibility.")
    }

    @Test func queueDoesNotExist() throws {
        let f = try QueueFixture()
        let e = #expect(throws: QueueError.self) { _ = try f.registry.queue(named: "missing") }
        #expect(e?.description == "QueueDoesNotExist: The specified queue 'missing' does not exist (known queues: arn:aws:sqs:us-east-1:123456789012:orders): check the name or ARN.")
    }

    @Test func queueNameExists() throws {
        let f = try QueueFixture()
        #expect(try f.registry.createQueue(QueueConfiguration(name: "orders")) === f.queue)
        let e = #expect(throws: QueueError.self) { try f.registry.createQueue(QueueConfiguration(name: "orders", visibilityTimeout: 5)) }
        #expect(e?.code == .queueNameExists)
        #expect(e?.message.hasSuffix("with different attributes: use the same attributes, another name, or delete the queue first.") == true)
    }

    @Test func batchErrors() async throws {
        let f = try QueueFixture()
        let empty = await error(f) { q throws(QueueError) in _ = try await q.sendMessageBatch([]) }
        #expect(empty?.description == "EmptyBatchRequest: The batch request doesn't contain any entries: send 1 to 10 entries.")
        let eleven = (0..<11).map { SendMessageBatchEntry(id: "e\($0)", body: "x") }
        let many = await error(f) { q throws(QueueError) in _ = try await q.sendMessageBatch(eleven) }
        #expect(many?.description == "TooManyEntriesInBatchRequest: The batch request contains 11 entries: send at most 10 entries per batch.")
        let dup = await error(f) { q throws(QueueError) in _ = try await q.sendMessageBatch([.init(id: "a", body: "1"), .init(id: "a", body: "2")]) }
        #expect(dup?.description == "BatchEntryIdsNotDistinct: Two or more batch entries have the id 'a': give every entry a distinct Id.")
        let badId = await error(f) { q throws(QueueError) in _ = try await q.sendMessageBatch([.init(id: "a b", body: "1")]) }
        #expect(badId?.description == "InvalidBatchEntryId: The batch entry id 'a b' is invalid: use 1 to 80 characters from letters, digits, '-' and '_'.")
        let body = String(repeating: "x", count: 100_000)
        let long = await error(f) { q throws(QueueError) in _ = try await q.sendMessageBatch((0..<3).map { .init(id: "e\($0)", body: body) }) }
        #expect(long?.description == "BatchRequestTooLong: Batch requests cannot be longer than 262144 bytes; this one is 300000 bytes: split it into smaller batches.")
    }

    @Test func overLimit() async throws {
        let f = try QueueFixture(QueueConfiguration(name: "one", maximumInFlightMessages: 1))
        _ = try await f.queue.sendMessage(body: "x")
        _ = try await f.queue.receiveMessages()
        let e = await error(f) { q throws(QueueError) in _ = try await q.receiveMessages() }
        #expect(e?.description == "OverLimit: Queue one has 1 messages in flight, its maximum (1): delete received messages or let their visibility timeout expire before receiving more.")
    }

    @Test func purgeQueueInProgress() async throws {
        let f = try QueueFixture()
        try await f.queue.purge()
        f.advance(seconds: 10)
        let e = await error(f) { q throws(QueueError) in try await q.purge() }
        #expect(e?.description == "PurgeQueueInProgress: Only one PurgeQueue operation on orders is allowed every 60 seconds: try again in 50 s.")
    }

    @Test func resourceNotFound() async throws {
        let f = try QueueFixture()
        let e = await queueError { () async throws(QueueError) in _ = try await f.registry.startMessageMoveTask(sourceArn: "arn:aws:sqs:us-east-1:123456789012:nope") }
        #expect(e?.description == "ResourceNotFoundException: The source queue 'arn:aws:sqs:us-east-1:123456789012:nope' of the message move task does not exist: name an existing dead-letter queue.")
    }

    @Test func invalidAttributeNameAndValue() throws {
        let name = #expect(throws: QueueError.self) {
            _ = try QueueConfiguration(json: JSONObject([.init(key: "QueueName", value: "q"), .init(key: "Bogus", value: 1)]), account: "1", region: "r")
        }
        #expect(name?.code == .invalidAttributeName)
        let value = #expect(throws: QueueError.self) { try QueueConfiguration(name: "q", visibilityTimeout: -1).validate() }
        #expect(value?.description == "InvalidAttributeValue: VisibilityTimeout: 'VisibilityTimeout' must be between 0 and 43200, got -1")
    }
}
