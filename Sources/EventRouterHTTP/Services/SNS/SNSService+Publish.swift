import EventRouter

/// Publish and PublishBatch, through the engine's ``Topic/publish(_:)``.
extension SNSService {
    /// SNS's limit on a batch.
    static let maximumBatchEntries = 10

    /// `Publish`: the result XML, and on a standard topic the deliveries to make once it is answered.
    func publish(_ input: SNSInput) async throws(AWSError) -> (xml: String, deliveries: (@Sendable () async -> Void)?) {
        if try input.string("PhoneNumber") != nil {
            throw SNSErrors.invalidParameter("PhoneNumber Reason: EventRouter does not send SMS: publish to a topic (TopicArn).")
        }
        let parameter = input.values["TopicArn"] != nil ? "TopicArn" : "TargetArn"
        guard input.values[parameter].map({ !$0.isEmpty }) ?? false else {
            throw SNSErrors.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter: give the ARN of the topic to publish to.")
        }
        let topic = try topic(input, parameter)
        let message = try Self.message(input)
        let result: PublishResult
        var work: (@Sendable () async -> Void)?
        if runtime.queues.isJournaled {
            result = try await publishStored(message, to: topic)  // with a data directory: SNSService+PublishStored.swift
        } else if topic.configuration.fifo {
            result = try await publish(message, to: topic)  // groups keep their order: fan out before the next message is accepted
        } else {
            // A standard topic answers once the message is accepted and delivers after the answer
            // (AWSReply.then): the publisher's client reads the answer while the deliveries are made.
            let accepted: AcceptedPublish
            do {
                // On the thread that read the request when it can be (no hop into the topic's actor and back).
                if let now = try topic.acceptStandard(message) { accepted = now } else { accepted = try await topic.accept(message) }
            } catch { throw SNSErrors.error(error) }
            result = accepted.result
            let wake = runtime.driver.wake
            work = {
                let delivered = await topic.fanOut(accepted)
                if delivered.deliveries.contains(where: { $0.status == .retrying }) { wake.signal() }
            }
        }
        let xml = XMLText.element("MessageId", result.messageId) + (result.sequenceNumber.map { XMLText.element("SequenceNumber", $0) } ?? "")
        return (xml, work)
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
