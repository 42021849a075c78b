/// A message as published to a topic (`Publish`), validated with SNS's rules.
public struct TopicMessage: Sendable, Hashable {
    /// `Message`: 1 byte up to 256 KB (together with the attributes).
    public var message: String
    /// `Subject`: optional; ASCII, no line breaks, under 100 characters.
    public var subject: String?
    /// `MessageAttributes`: `String`, `String.Array` (a JSON array), `Number` or `Binary`.
    public var attributes: [String: MessageAttributeValue]
    /// `MessageGroupId` (FIFO topics: required).
    public var groupId: String?
    /// `MessageDeduplicationId` (FIFO topics; else `ContentBasedDeduplication` is required).
    public var deduplicationId: String?
    /// `MessageStructure: json`: the message for each protocol (`sqs`, `lambda`, `http`,
    /// `https`) that has its own; the others get ``message`` (the `default` key).
    public var protocolMessages: [String: String] = [:]

    public init(message: String, subject: String? = nil, attributes: [String: MessageAttributeValue] = [:],
                groupId: String? = nil, deduplicationId: String? = nil) {
        self.message = message
        self.subject = subject
        self.attributes = attributes
        self.groupId = groupId
        self.deduplicationId = deduplicationId
    }

    /// SNS's limit on a message with its attributes (256 KB).
    public static let maximumSize = 262_144

    /// Checks the message for a topic of the given kind.
    /// - Throws: ``TopicError`` (`InvalidParameter` or `InvalidParameterValue`) saying what to change.
    public func validate(fifo: Bool, contentBasedDeduplication: Bool) throws(TopicError) {
        if message.isEmpty {
            throw TopicError.invalidParameter("Empty message: give a Message of at least one character.")
        }
        var size = message.utf8.count
        for (name, a) in attributes { size += name.utf8.count + a.sizeInBytes }
        if size > Self.maximumSize {
            throw TopicError.invalidParameter("Message too long: \(size) bytes with attributes, at most \(Self.maximumSize) (256 KB): shorten the message or its attributes.")
        }
        if let subject {
            if subject.isEmpty || subject.utf8.count >= 100 || !subject.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                throw TopicError.invalidParameter("Subject must be ASCII text that begins with a letter, number, or punctuation mark; must not include line breaks or control characters; and must be less than 100 characters long (got \(subject.utf8.count) bytes).")
            }
        }
        for name in attributes.keys.sorted() { try Self.validateAttribute(name, attributes[name] ?? .string("")) }
        if fifo {
            guard let groupId, !groupId.isEmpty else {
                throw TopicError.invalidParameter("The MessageGroupId parameter is required for FIFO topics: pass --group-id (MessageGroupId).")
            }
            try Self.checkId(groupId, "MessageGroupId")
            if let deduplicationId { try Self.checkId(deduplicationId, "MessageDeduplicationId") }
            if deduplicationId == nil && !contentBasedDeduplication {
                throw TopicError.invalidParameter("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly: pass --dedup-id or set \"ContentBasedDeduplication\": true on the topic.")
            }
        } else {
            if deduplicationId != nil {
                throw TopicError.invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type: drop it, or publish to a FIFO topic.")
            }
            if groupId != nil {
                throw TopicError.invalidParameter("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type: drop it, or publish to a FIFO topic.")
            }
        }
    }

    /// Group and deduplication ids: 1–128 characters from `a–z A–Z 0–9` and punctuation.
    static func checkId(_ id: String, _ parameter: String) throws(TopicError) {
        guard !id.isEmpty, id.utf8.count <= 128, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw TopicError.invalidParameter("\(parameter) Reason: '\(id)' must be 1-128 characters of letters, digits and punctuation (no spaces).")
        }
    }

    static func validateAttribute(_ name: String, _ a: MessageAttributeValue) throws(TopicError) {
        let validName = !name.isEmpty && name.utf8.count <= 256 && name.utf8.first != 0x2E && name.utf8.last != 0x2E
            && !MessageAttributeValue.hasDoubleDot(name)  // no "..": bytes, not Foundation's contains
            && !MessageAttributeValue.hasPrefixIgnoringASCIICase(name, "aws.") && !MessageAttributeValue.hasPrefixIgnoringASCIICase(name, "amazon.")
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F || c == 0x2E
            }
        guard validName else {
            throw TopicError(.invalidParameterValue, "The message attribute name '\(name)' is invalid: use up to 256 letters, digits, '-', '_' and '.', not starting or ending with '.', without '..', and not starting with AWS. or Amazon.")
        }
        switch a.dataType {
        case "String.Array":
            guard let text = a.stringValue, case .array? = try? JSONParser.parse(text) else {
                throw TopicError(.invalidParameterValue, "The message attribute '\(name)' with type 'String.Array' has an invalid value \(a.stringValue.map { "'\($0)'" } ?? "(none)"): write a JSON array such as [\"a\", 1, true].")
            }
        default:
            switch a.baseType {
            case "String":
                guard a.stringValue != nil else {
                    throw TopicError(.invalidParameterValue, "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type 'String'.")
                }
            case "Number":
                guard let text = a.stringValue, number(text) != nil else {
                    throw TopicError(.invalidParameterValue, "The message attribute '\(name)' with type 'Number' has an invalid value \(a.stringValue.map { "'\($0)'" } ?? "(none)"): write a number such as 42 or -1.5e3.")
                }
            case "Binary":
                guard a.binaryValue != nil else {
                    throw TopicError(.invalidParameterValue, "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type 'Binary'.")
                }
            default:
                throw TopicError(.invalidParameterValue, "The message attribute '\(name)' has an invalid message attribute type '\(a.dataType)': use String, String.Array, Number or Binary.")
            }
        }
    }

    /// The number in a `Number` attribute's text (JSON syntax, or a plain decimal like `+1`, `.5`).
    static func number(_ text: String) -> JSONNumber? {
        if case .number(let n)? = try? JSONParser.parse(text) { return n }
        let trimmed = text
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }),
              let d = Double(trimmed), d.isFinite else { return nil }
        return JSONNumber(d)
    }
}
