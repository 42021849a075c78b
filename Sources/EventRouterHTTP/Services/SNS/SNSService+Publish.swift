import EventRouter

/// Publish and PublishBatch, through the engine's ``Topic/publish(_:)``.
extension SNSService {
    /// SNS's limit on a batch.
    static let maximumBatchEntries = 10

    /// `Publish`: the result XML, and on a standard topic the deliveries to make once it is answered.
    func publish(_ input: SNSInput) async throws(AWSError) -> (xml: String, deliveries: (@Sendable () async -> Void)?) {
        let (topic, message) = try publishRequest(input)
        let result: PublishResult
        if runtime.queues.isJournaled {
            result = try await publishStored(message, to: topic)  // with a data directory: SNSService+PublishStored.swift
        } else if let answered = try publishAtOnce(message, to: topic) {
            return answered
        } else {
            // A FIFO topic (groups keep their order: fan out before the next message is accepted),
            // or one whose recovered state waits to be adopted.
            result = try await publish(message, to: topic)
        }
        return (Self.publishXML(result), nil)
    }

    /// `Publish` answered at once (``AWSService/answerAtOnce(_:)``): a standard topic without a
    /// data directory accepts the message on the calling thread; `nil` otherwise.
    func publishAtOnce(_ input: SNSInput) throws(AWSError) -> (xml: String, deliveries: (@Sendable () async -> Void)?)? {
        guard !runtime.queues.isJournaled else { return nil }
        let (topic, message) = try publishRequest(input)
        return try publishAtOnce(message, to: topic)
    }

    /// A standard topic answers once the message is accepted and delivers after the answer
    /// (`AWSReply.then`): the publisher's client reads the answer while the deliveries are made.
    private func publishAtOnce(_ message: TopicMessage, to topic: Topic) throws(AWSError) -> (xml: String, deliveries: (@Sendable () async -> Void)?)? {
        let accepted: AcceptedPublish
        do {
            guard let now = try topic.acceptStandard(message) else { return nil }
            accepted = now
        } catch { throw SNSErrors.error(error) }
        let wake = runtime.driver.wake
        return (Self.publishXML(accepted.result), {
            let delivered = await topic.fanOut(accepted)
            if delivered.deliveries.contains(where: { $0.status == .retrying }) { wake.signal() }
        })
    }

    /// The topic and message of a `Publish` call.
    private func publishRequest(_ input: SNSInput) throws(AWSError) -> (Topic, TopicMessage) {
        if try input.string("PhoneNumber") != nil {
            throw SNSErrors.invalidParameter("PhoneNumber Reason: EventRouter does not send SMS: publish to a topic (TopicArn).")
        }
        let parameter = input.values["TopicArn"] != nil ? "TopicArn" : "TargetArn"
        guard input.values[parameter].map({ !$0.isEmpty }) ?? false else {
            throw SNSErrors.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter: give the ARN of the topic to publish to.")
        }
        return (try topic(input, parameter), try Self.message(input))
    }

    private static func publishXML(_ result: PublishResult) -> String {
        var xml = ""
        xml.reserveCapacity(64 + result.messageId.utf8.count)
        xml += "<MessageId>"
        xml += XMLText.escape(result.messageId)
        xml += "</MessageId>"
        if let sequence = result.sequenceNumber { xml += XMLText.element("SequenceNumber", sequence) }
        return xml
    }

    func publishBatch(_ input: SNSInput) async throws(AWSError) -> String {
        let topic = try topic(input)
        let entries = try input.members("PublishBatchRequestEntries")
        guard !entries.isEmpty else {
            throw SNSErrors.batch("EmptyBatchRequest", "The batch request doesn't contain any entries: give 1 to \(Self.maximumBatchEntries) PublishBatchRequestEntries.")
        }
        guard entries.count <= Self.maximumBatchEntries else {
            throw SNSErrors.batch("TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible: \(entries.count) entries, at most \(Self.maximumBatchEntries); split it into several batches.")
        }
        var seen: Set<String> = []
        var size = 0
        for entry in entries {
            let id = entry.input.values["Id"] ?? ""
            guard Self.isValidBatchId(id) else {
                throw SNSErrors.batch("InvalidBatchEntryId", "The Id of a batch entry in a batch request doesn't abide by the specification: '\(id.prefix(100))' (entry \(entry.index)) must be 1 to 80 letters, digits, hyphens or underscores.")
            }
            guard seen.insert(id).inserted else {
                throw SNSErrors.batch("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id: '\(id)'; give each entry its own Id.")
            }
            size += entry.input.values["Message"]?.utf8.count ?? 0
        }
        guard size <= TopicMessage.maximumSize else {
            throw SNSErrors.batch("BatchRequestTooLong", "The length of all the messages put together is more than the limit: \(size) bytes, at most \(TopicMessage.maximumSize) (256 KB); send fewer or smaller messages per batch.")
        }
        var successful: [String] = []
        var failed: [String] = []
        for entry in entries {
            let id = entry.input.values["Id"] ?? ""
            do throws(AWSError) {
                let message = try Self.message(entry.input)
                let result = runtime.queues.isJournaled ? try await publishStored(message, to: topic) : try await publish(message, to: topic)
                successful.append(XMLText.element("Id", id) + XMLText.element("MessageId", result.messageId)
                    + (result.sequenceNumber.map { XMLText.element("SequenceNumber", $0) } ?? ""))
            } catch {
                failed.append(XMLText.element("Id", id) + XMLText.element("Code", error.code) + XMLText.element("Message", error.message)
                    + XMLText.element("SenderFault", String(error.senderFault)))
            }
        }
        return SNSXML.list("Successful", successful) + SNSXML.list("Failed", failed)
    }

    /// Publishes `message`; wakes the router's driver when a delivery waits for a retry, so the
    /// retry runs on time.
    func publish(_ message: TopicMessage, to topic: Topic) async throws(AWSError) -> PublishResult {
        let result: PublishResult
        do { result = try await topic.publish(message) } catch { throw SNSErrors.error(error) }
        if result.deliveries.contains(where: { $0.status == .retrying }) { runtime.driver.wake.signal() }
        return result
    }

    /// The message of a `Publish` call or a batch entry: `Message` (`MessageStructure: json`
    /// splits it by protocol), `Subject`, `MessageAttributes`, `MessageGroupId`, `MessageDeduplicationId`.
    static func message(_ input: SNSInput) throws(AWSError) -> TopicMessage {
        guard let text = input.values["Message"], !text.isEmpty else {
            throw SNSErrors.invalidParameter("Message Reason: Empty message: give a Message of at least one character.")
        }
        guard text.utf8.count <= TopicMessage.maximumSize else {
            throw SNSErrors.invalidParameter("Message too long: \(text.utf8.count) bytes, at most \(TopicMessage.maximumSize) (256 KB): shorten the message.")
        }
        var message = TopicMessage(message: text, subject: input.values["Subject"], attributes: try input.messageAttributes(),
                                   groupId: input.values["MessageGroupId"], deduplicationId: input.values["MessageDeduplicationId"])
        switch input.values["MessageStructure"] {
        case nil:
            break
        case "json":
            guard let object = (try? JSONParser.parse(text))?.objectValue else {
                throw SNSErrors.invalidParameter("Message Structure - JSON message body failed to parse: with MessageStructure json the Message is a JSON object such as {\"default\": \"text\", \"sqs\": \"text for queues\"}.")
            }
            guard let fallback = object["default"]?.stringValue else {
                throw SNSErrors.invalidParameter("Message Structure - No default entry in JSON message body: add a \"default\" string.")
            }
            message.message = fallback
            for member in object.members {
                guard let value = member.value.stringValue else {
                    throw SNSErrors.invalidParameter("Message Structure - the value of \"\(member.key)\" must be a string.")
                }
                if member.key != "default" { message.protocolMessages[member.key] = value }
            }
        case let other?:
            throw SNSErrors.invalidParameter("MessageStructure Reason: must be json, got '\(other)'.")
        }
        return message
    }

    /// Batch entry ids: 1–80 of `A–Z a–z 0–9 - _`.
    static func isValidBatchId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 80 && id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }
}
