extension EventTarget {
    /// Delivers a function's invocation record or dead-letter message to its destination.
    /// - Returns: whether the destination accepted it (false: it does not exist or refused).
    public func send(_ message: DestinationMessage) async -> Bool {
        await deliver(TargetDelivery(destination: message)) == .success
    }
}

/// A message attribute as SQS and SNS carry it.
public struct DestinationAttribute: Sendable, Equatable {
    /// `String` or `Number`.
    public var dataType: String
    public var stringValue: String

    public init(dataType: String, stringValue: String) {
        self.dataType = dataType
        self.stringValue = stringValue
    }
}

/// One record or dead-letter message bound for a destination.
public struct DestinationMessage: Sendable, Equatable {
    /// What the message is.
    public enum Kind: String, Sendable, Equatable {
        /// An invocation record for `DestinationConfig.OnSuccess` / `OnFailure`.
        case invocationRecord
        /// The original event for `DeadLetterConfig.TargetArn`, with `RequestID`, `ErrorCode`, `ErrorMessage` attributes.
        case deadLetter
    }

    /// Record or dead-letter message.
    public var kind: Kind
    /// The destination's ARN.
    public var destinationArn: String
    /// Queue, topic, bus or function (from the ARN).
    public var destinationKind: DestinationKind?
    /// The invocation record, or the original event for a dead-letter message. For a queue this
    /// is the message body; for a topic the message; for a function the payload; for a bus the `detail`.
    public var body: JSONValue
    /// Message attributes (dead-letter messages: `RequestID`, `ErrorCode`, `ErrorMessage`).
    public var attributes: [String: DestinationAttribute]
    /// For a bus destination: the event's `source` (`lambda`).
    public var eventSource: String?
    /// For a bus destination: `Lambda Function Invocation Result - Success` or `… - Failure`.
    public var detailType: String?
    /// For a bus destination: the event's `resources` (the function ARN).
    public var resources: [String]

    public init(
        kind: Kind, destinationArn: String, body: JSONValue, attributes: [String: DestinationAttribute] = [:],
        eventSource: String? = nil, detailType: String? = nil, resources: [String] = []
    ) {
        self.kind = kind
        self.destinationArn = destinationArn
        self.destinationKind = DestinationKind(arn: destinationArn)
        self.body = body
        self.attributes = attributes
        self.eventSource = eventSource
        self.detailType = detailType
        self.resources = resources
    }
}
