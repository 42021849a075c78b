/// The JSON SNS wraps a message in when it delivers to a subscriber without raw delivery.
///
/// The router does not sign messages: `Signature` is empty and `SigningCertURL` points at a
/// placeholder, so clients that verify SNS signatures must skip verification locally.
public enum TopicEnvelope {
    /// What goes in every envelope.
    public struct Fields: Sendable, Hashable {
        public var messageId: String
        public var topicArn: String
        public var subject: String?
        public var message: String
        public var timestamp: Timestamp
        public var messageAttributes: [String: TopicMessageAttribute]
        public var sequenceNumber: String?
        public var subscriptionArn: String
        public var region: String

        public init(messageId: String, topicArn: String, subject: String?, message: String, timestamp: Timestamp,
                    messageAttributes: [String: TopicMessageAttribute], sequenceNumber: String?, subscriptionArn: String, region: String) {
            self.messageId = messageId
            self.topicArn = topicArn
            self.subject = subject
            self.message = message
            self.timestamp = timestamp
            self.messageAttributes = messageAttributes
            self.sequenceNumber = sequenceNumber
            self.subscriptionArn = subscriptionArn
            self.region = region
        }
    }

    /// The SQS message body of a notification: `Type`, `MessageId`, `SequenceNumber` (FIFO),
    /// `TopicArn`, `Subject` (when given), `Message`, `Timestamp`, `SignatureVersion`, `Signature`,
    /// `SigningCertURL`, `UnsubscribeURL`, `MessageAttributes` (when any, as `{name: {Type, Value}}`).
    public static func notification(_ f: Fields) -> JSONValue {
        var o = JSONObject()
        o["Type"] = "Notification"
        o["MessageId"] = .string(f.messageId)
        if let s = f.sequenceNumber { o["SequenceNumber"] = .string(s) }
        o["TopicArn"] = .string(f.topicArn)
        if let subject = f.subject { o["Subject"] = .string(subject) }
        o["Message"] = .string(f.message)
        o["Timestamp"] = .string(f.timestamp.iso8601Milliseconds)
        o["SignatureVersion"] = "1"
        o["Signature"] = ""
        o["SigningCertURL"] = .string(certURL(f.region))
        o["UnsubscribeURL"] = .string(unsubscribeURL(f))
        if !f.messageAttributes.isEmpty { o["MessageAttributes"] = attributes(f.messageAttributes) }
        return .object(o)
    }

    /// A notification serialized once per publish, completed per subscription: only the
    /// `UnsubscribeURL` differs between the subscriptions of one message.
    public struct NotificationText: Sendable {
        private let head: [UInt8]
        private let tail: [UInt8]
        private let urlPrefix: String

        /// Prepares the text of ``notification(_:)`` for `f` (its `subscriptionArn` is ignored).
        public init(_ f: Fields) {
            var o = JSONObject()
            o["Type"] = "Notification"
            o["MessageId"] = .string(f.messageId)
            if let s = f.sequenceNumber { o["SequenceNumber"] = .string(s) }
            o["TopicArn"] = .string(f.topicArn)
            if let subject = f.subject { o["Subject"] = .string(subject) }
            o["Message"] = .string(f.message)
            o["Timestamp"] = .string(f.timestamp.iso8601Milliseconds)
            o["SignatureVersion"] = "1"
            o["Signature"] = ""
            o["SigningCertURL"] = .string(certURL(f.region))
            var head: [UInt8] = []
            JSONSerializer.write(.object(o), into: &head)
            head.removeLast()
            head.append(contentsOf: #","UnsubscribeURL":"#.utf8)
            self.head = head
            var tail: [UInt8] = []
            if !f.messageAttributes.isEmpty {
                tail.append(contentsOf: #","MessageAttributes":"#.utf8)
                JSONSerializer.write(attributes(f.messageAttributes), into: &tail)
            }
            tail.append(UInt8(ascii: "}"))
            self.tail = tail
            self.urlPrefix = "https://sns.\(f.region).amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
        }

        /// The notification text for one subscription.
        public func body(subscriptionArn: String) -> String {
            var out = head
            JSONSerializer.writeString(urlPrefix + subscriptionArn, into: &out)
            out.append(contentsOf: tail)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The event a Lambda subscriber receives: `{"Records": [{"EventSource": "aws:sns",
    /// "EventVersion": "1.0", "EventSubscriptionArn", "Sns": {…}}]}`, where `Sns` has the
    /// notification's fields with Lambda's spelling (`SigningCertUrl`, `UnsubscribeUrl`),
    /// `Subject` null when absent and `MessageAttributes` always present.
    public static func lambdaEvent(_ f: Fields) -> JSONValue {
        var sns = JSONObject()
        sns["Type"] = "Notification"
        sns["MessageId"] = .string(f.messageId)
        sns["TopicArn"] = .string(f.topicArn)
        sns["Subject"] = f.subject.map(JSONValue.string) ?? .null
        sns["Message"] = .string(f.message)
        sns["Timestamp"] = .string(f.timestamp.iso8601Milliseconds)
        sns["SignatureVersion"] = "1"
        sns["Signature"] = ""
        sns["SigningCertUrl"] = .string(certURL(f.region))
        sns["UnsubscribeUrl"] = .string(unsubscribeURL(f))
        sns["MessageAttributes"] = attributes(f.messageAttributes)
        let record: JSONValue = [
            "EventSource": "aws:sns",
            "EventVersion": "1.0",
            "EventSubscriptionArn": .string(f.subscriptionArn),
            "Sns": .object(sns),
        ]
        return ["Records": [record]]
    }

    private static func attributes(_ a: [String: TopicMessageAttribute]) -> JSONValue {
        .object(JSONObject(a.keys.sorted().compactMap { name in
            a[name].map { JSONObject.Member(key: name, value: ["Type": .string($0.dataType), "Value": .string($0.value)]) }
        }))
    }

    private static func certURL(_ region: String) -> String {
        "https://sns.\(region).amazonaws.com/SimpleNotificationService-local-unsigned.pem"
    }

    private static func unsubscribeURL(_ f: Fields) -> String {
        "https://sns.\(f.region).amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\(f.subscriptionArn)"
    }
}
