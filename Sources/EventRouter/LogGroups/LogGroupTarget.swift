/// Delivers to CloudWatch Logs log groups of a ``LogGroupRegistry``, as EventBridge does: each
/// event is one log event in a log stream named after the event's id (created on delivery),
/// with the event's time as its timestamp and the shaped input as its message. A shaped input
/// that is a JSON object of exactly `timestamp` and `message` (what an InputTransformer for a
/// log group target produces, e.g. CDK's `LogGroupTargetInput`) gives the log event's
/// timestamp (an ISO 8601 time or milliseconds) and message instead.
///
/// The group must exist (declared under `LogGroups` or created with CreateLogGroup), as in AWS:
/// a missing group fails without retries (`NO_RESOURCE`); a file that cannot be written is
/// retried (`INTERNAL_FAILURE`).
///
/// Register it as the provider for the `logs` service.
public struct LogGroupTarget: EventTarget {
    public let logGroups: LogGroupRegistry

    public init(logGroups: LogGroupRegistry) { self.logGroups = logGroups }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let request: Request
        switch Self.request(for: delivery) {
        case .success(let r): request = r
        case .failure(let outcome): return outcome
        }
        do {
            try await logGroups.put([(request.timestamp, request.message)], group: request.group, stream: request.stream, createStream: true)
            return .success
        } catch {
            return Self.outcome(error)
        }
    }

    public func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? {
        guard logGroups.files == nil else { return nil }
        switch Self.request(for: delivery) {
        case .failure(let outcome): return outcome
        case .success(let r):
            switch logGroups.putInMemory([(r.timestamp, r.message)], group: r.group, stream: r.stream, createStream: true) {
            case .success?: return .success
            case .failure(let error)?: return Self.outcome(error)
            case nil: return nil
            }
        }
    }

    enum Prepared {
        case success(Request)
        case failure(DeliveryOutcome)
    }

    struct Request {
        var group: String
        var stream: String
        var timestamp: Int64
        var message: String
    }

    private static func outcome(_ error: LogGroupError) -> DeliveryOutcome {
        switch error.code {
        case .resourceNotFound: return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: error.message)
        case .invalidParameter, .resourceAlreadyExists: return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: error.message)
        case .serviceUnavailable: return .retriable(code: DeliveryOutcome.Code.internalFailure, message: error.message)
        }
    }

    static func request(for delivery: TargetDelivery) -> Prepared {
        guard let group = LogGroupName.group(ofArn: delivery.targetArn) else {
            return .failure(.nonRetriable(code: DeliveryOutcome.Code.noResource,
                                          message: "\(delivery.targetArn) is not a log group ARN; write arn:aws:logs:REGION:ACCOUNT:log-group:NAME"))
        }
        let eventTime = delivery.event?.time
        var timestamp = eventTime?.millisecondsSinceEpoch ?? 0
        var message = delivery.body
        if case .object(let o)? = try? JSONParser.parse(delivery.body), o.count == 2, let t = o["timestamp"], let m = o["message"] {
            message = m.stringValue ?? m.jsonText
            if let ms = t.intValue {
                timestamp = Int64(ms)
            } else if let text = t.stringValue, let parsed = Timestamp(iso8601: text) {
                timestamp = parsed.millisecondsSinceEpoch
            } else {
                return .failure(.nonRetriable(code: DeliveryOutcome.Code.invalidInput,
                                              message: "the input for log group '\(group)' has \"timestamp\": \(t.jsonText), which is neither an ISO 8601 time nor milliseconds since the epoch"))
            }
        }
        return .success(Request(group: group, stream: delivery.event?.id ?? "eventrouter", timestamp: timestamp, message: message))
    }
}
