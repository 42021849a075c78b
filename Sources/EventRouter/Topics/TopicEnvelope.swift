/// The JSON SNS wraps a message in for SQS (`Type: Notification`) and for Lambda (the
/// `Records[].Sns` event).
///
/// Signatures are not computed: `Signature` is the fixed placeholder ``signaturePlaceholder``
/// (a local router has no SNS signing key; consumers that verify signatures must skip it
/// locally), `SignatureVersion` is `1`, and `SigningCertURL`/`UnsubscribeURL` have SNS's shape
/// for the topic's region.
public enum TopicEnvelope {
    /// The `Signature` every local notification carries.
    public static let signaturePlaceholder = "EVENTROUTER-LOCAL-UNSIGNED"

    /// What one notification is made of.
    public struct Notification: Sendable, Hashable {
        public var messageId: String
        public var topicArn: String
        public var subject: String?
        public var message: String
        public var timestamp: Timestamp
        public var attributes: [String: MessageAttributeValue]
        /// FIFO topics: the message's sequence number.
        public var sequenceNumber: String?
        public var subscriptionArn: String

        public init(messageId: String, topicArn: String, subject: String?, message: String, timestamp: Timestamp,
                    attributes: [String: MessageAttributeValue], sequenceNumber: String?, subscriptionArn: String) {
            self.messageId = messageId
            self.topicArn = topicArn
            self.subject = subject
            self.message = message
            self.timestamp = timestamp
            self.attributes = attributes
            self.sequenceNumber = sequenceNumber
            self.subscriptionArn = subscriptionArn
        }

        var region: String { ARN(topic: topicArn)?.region ?? "us-east-1" }
        var signingCertURL: String { Self.signingCertURL(region: region) }
        /// The certificate URL of `region` (the template computes the region once per message).
        static func signingCertURL(region: String) -> String {
            "https://sns.\(region).amazonaws.com/SimpleNotificationService-eventrouter-local.pem"
        }
        var unsubscribeURL: String { "https://sns.\(region).amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\(subscriptionArn)" }
    }

    /// The SQS envelope, keys in SNS's order: `Type`, `MessageId`, `SequenceNumber` (FIFO),
    /// `TopicArn`, `Subject` (when set), `Message`, `Timestamp` (ISO-8601 with milliseconds),
    /// `SignatureVersion`, `Signature`, `SigningCertURL`, `UnsubscribeURL`, `MessageAttributes`
    /// (when any: `{"NAME": {"Type": …, "Value": …}}`, Binary values in base64).
    public static func sqsBody(_ n: Notification) -> String {
        SQSTemplate(n).body(subscriptionArn: n.subscriptionArn)
    }

    /// The SQS envelope of one message, serialised once and completed per subscription (only
    /// `UnsubscribeURL` differs between subscriptions).
    public struct SQSTemplate: Sendable {
        /// The envelope up to the subscription ARN (inside `UnsubscribeURL`'s quotes), and after it:
        /// shared by every subscription's queued message (``QueueMessageBody``).
        private let parts: QueueMessageBody.Shared
        /// Whether `head` and `tail` hold only characters SQS accepts in a body (checked once here,
        /// so that a queue need not check each subscription's copy again).
        private let plain: Bool

        /// The envelope of `n` (its `subscriptionArn` is ignored).
        public init(_ n: Notification) { self.init(n, region: n.region) }

        /// The envelope of `n` in the topic's `region` (a topic reads it from its ARN once, not per message).
        public init(_ n: Notification, region: String) { self.init(n, parts: TopicParts(topicArn: n.topicArn, region: region)) }

        /// The envelope of `n`, whose topic's own parts are `parts` (a topic writes them once).
        /// The bytes are written directly, key by key, as ``JSONSerializer`` writes the same object.
        init(_ n: Notification, parts: TopicParts) {
            var head: [UInt8] = []
            head.reserveCapacity(n.message.utf8.count + parts.count + 200)
            head.append(contentsOf: #"{"Type":"Notification","MessageId":"#.utf8)
            JSONSerializer.writeString(n.messageId, into: &head)
            if let s = n.sequenceNumber {
                head.append(contentsOf: #","SequenceNumber":"#.utf8)
                JSONSerializer.writeString(s, into: &head)
            }
            head.append(contentsOf: #","TopicArn":"#.utf8)
            head.append(contentsOf: parts.topicArn)
            if let s = n.subject {
                head.append(contentsOf: #","Subject":"#.utf8)
                JSONSerializer.writeString(s, into: &head)
            }
            head.append(contentsOf: #","Message":"#.utf8)
            JSONSerializer.writeString(n.message, into: &head)
            head.append(contentsOf: #","Timestamp":"#.utf8)
            JSONSerializer.writeString(n.timestamp.iso8601Milliseconds, into: &head)
            head.append(contentsOf: #","SignatureVersion":"1","Signature":"#.utf8)
            JSONSerializer.writeString(signaturePlaceholder, into: &head)
            head.append(contentsOf: #","SigningCertURL":"#.utf8)
            head.append(contentsOf: parts.signingCertURL)
            head.append(contentsOf: #","UnsubscribeURL":"#.utf8)
            head.append(contentsOf: parts.unsubscribePrefix)   // open: the subscription ARN follows
            var tail: [UInt8] = [UInt8(ascii: "\"")]
            if !n.attributes.isEmpty {
                tail.append(contentsOf: #","MessageAttributes":"#.utf8)
                writeAttributes(n.attributes, into: &tail)
            }
            tail.append(UInt8(ascii: "}"))
            self.plain = head.withUnsafeBufferPointer(QueueStateMachine.bytesArePlainText)
                && tail.withUnsafeBufferPointer(QueueStateMachine.bytesArePlainText)
            self.parts = QueueMessageBody.Shared(head: String(decoding: head, as: UTF8.self), tail: String(decoding: tail, as: UTF8.self))
        }

        /// The envelope for the subscription `subscriptionArn`.
        public func body(subscriptionArn: String) -> String {
            let quoted = Self.quoted(subscriptionArn: subscriptionArn)
            return body(quotedSubscriptionArn: quoted.text, plain: quoted.plain).body.string
        }

        /// `subscriptionArn` as the envelope writes it (JSON-escaped, without quotes), and whether
        /// that is plain text (``QueueStateMachine/bodyIsPlainText(_:)``); a topic keeps it per subscription.
        static func quoted(subscriptionArn: String) -> (text: String, plain: Bool) {
            let text = needsNoEscape(subscriptionArn) ? subscriptionArn : escaped(subscriptionArn)
            return (text, QueueStateMachine.bodyIsPlainText(text))
        }

        /// The envelope for the subscription whose ARN ``quoted(subscriptionArn:)`` gave as
        /// `quotedSubscriptionArn` and `plain`, and whether the envelope is known to hold only
        /// characters SQS accepts in a body (`false`: not known). Nothing is copied: the body is
        /// the template's head and tail (shared by every subscription) around `quoted` (which the
        /// subscription's route keeps); ``QueueMessageBody/string`` joins them when a String is needed.
        func body(quotedSubscriptionArn quoted: String, plain quotedIsPlain: Bool) -> (body: QueueMessageBody, plain: Bool) {
            (QueueMessageBody(parts, middle: quoted), plain && quotedIsPlain)
        }

        /// Whether `text` is its own JSON string content: no `"`, `\` or control character.
        private static func needsNoEscape(_ text: String) -> Bool {
            var copy = text
            return copy.withUTF8 { bytes in
                for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
                return true
            }
        }

        /// `text` escaped as ``JSONSerializer/writeString(_:into:)`` escapes it, without the quotes.
        private static func escaped(_ text: String) -> String {
            var out: [UInt8] = []
            JSONSerializer.writeString(text, into: &out)
            return String(decoding: out.dropFirst().dropLast(), as: UTF8.self)
        }
    }

    /// The parts of an SQS envelope that depend only on the topic (its ARN and region), as JSON.
    struct TopicParts: Sendable {
        /// The topic ARN, quoted.
        let topicArn: [UInt8]
        /// The signing certificate URL of the region, quoted.
        let signingCertURL: [UInt8]
        /// The region's unsubscribe URL up to the subscription ARN: an opening quote, no closing one.
        let unsubscribePrefix: [UInt8]

        init(topicArn arn: String, region: String) {
            var quoted: [UInt8] = []
            JSONSerializer.writeString(arn, into: &quoted)
            topicArn = quoted
            quoted = []
            JSONSerializer.writeString(Notification.signingCertURL(region: region), into: &quoted)
            signingCertURL = quoted
            quoted = []
            JSONSerializer.writeString("https://sns.\(region).amazonaws.com/?Action=Unsubscribe&SubscriptionArn=", into: &quoted)
            quoted.removeLast()
            unsubscribePrefix = quoted
        }

        /// Their bytes together.
        var count: Int { topicArn.count + signingCertURL.count + unsubscribePrefix.count }
    }

    /// The Lambda event: `{"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
    /// "EventSubscriptionArn", "Sns": {…}}]}` with Lambda's spelling (`SigningCertUrl`,
    /// `UnsubscribeUrl`, `Subject` null when not set).
    public static func lambdaEvent(_ n: Notification) -> String {
        var sns = JSONObject()
        sns["Type"] = "Notification"
        sns["MessageId"] = .string(n.messageId)
        sns["TopicArn"] = .string(n.topicArn)
        sns["Subject"] = n.subject.map { .string($0) } ?? .null
        sns["Message"] = .string(n.message)
        sns["Timestamp"] = .string(n.timestamp.iso8601Milliseconds)
        sns["SignatureVersion"] = "1"
        sns["Signature"] = .string(signaturePlaceholder)
        sns["SigningCertUrl"] = .string(n.signingCertURL)
        sns["UnsubscribeUrl"] = .string(n.unsubscribeURL)
        sns["MessageAttributes"] = attributesJSON(n.attributes)
        var record = JSONObject()
        record["EventSource"] = "aws:sns"
        record["EventVersion"] = "1.0"
        record["EventSubscriptionArn"] = .string(n.subscriptionArn)
        record["Sns"] = .object(sns)
        let event: JSONValue = ["Records": .array([.object(record)])]
        return event.jsonText
    }

    /// The bytes of ``attributesJSON(_:)``, written directly.
    static func writeAttributes(_ attributes: [String: MessageAttributeValue], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for name in attributes.keys.sorted() {
            guard let a = attributes[name] else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONSerializer.writeString(name, into: &out)
            out.append(contentsOf: #":{"Type":"#.utf8)
            JSONSerializer.writeString(a.dataType, into: &out)
            out.append(contentsOf: #","Value":"#.utf8)
            JSONSerializer.writeString(a.binaryValue.map { Base64.encode($0) } ?? a.stringValue ?? "", into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `{"NAME": {"Type": "String", "Value": "…"}}`, names sorted.
    static func attributesJSON(_ attributes: [String: MessageAttributeValue]) -> JSONValue {
        var o = JSONObject()
        for name in attributes.keys.sorted() {
            guard let a = attributes[name] else { continue }
            let value = a.binaryValue.map { Base64.encode($0) } ?? a.stringValue ?? ""
            o[name] = ["Type": .string(a.dataType), "Value": .string(value)]
        }
        return .object(o)
    }
}
