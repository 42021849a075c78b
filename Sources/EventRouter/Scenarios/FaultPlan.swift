import Synchronization

/// Failures a scenario injects (`eventrouter test`): consulted at the one delivery seam (the
/// ``TargetRegistry`` wraps what it resolves in a ``FaultingTarget``) and at a function's
/// admission and invocation (``FunctionRuntime``). Production runtimes have none (`nil`), so the
/// cost there is one nil check.
public final class FaultPlan: Sendable {
    /// When a fault applies.
    public enum When: Sendable, Equatable {
        /// Every attempt.
        case always
        /// The first `n` attempts that reach the resource.
        case first(Int)
        /// Attempts made at `from ≤ now < to` (virtual time).
        case window(from: Timestamp, to: Timestamp)
    }

    /// What fails.
    public enum Effect: Sendable, Equatable {
        /// A delivery to a target ARN (optionally only from one rule) answers an EventBridge error code.
        case delivery(code: String, message: String)
        /// A function invocation fails with this error type and message.
        case functionError(type: String, message: String)
        /// A function invocation times out.
        case functionTimeout
        /// A function invocation is throttled (refused before it runs).
        case functionThrottle
        /// An event source mapping's consumer reports these records of its batch as failed
        /// (`{"batchItemFailures": [...]}`) without running: the first `count` of them, or
        /// those whose body (SQS) or data (Kinesis) matches `pattern`.
        case batchItemFailures(count: Int?, pattern: EventPattern?)
    }

    /// One fault.
    public struct Fault: Sendable, Equatable {
        /// The target ARN (delivery faults) or function ARN (function faults).
        public var arn: String
        /// Only deliveries of this rule ARN (delivery faults); `nil`: any sender.
        public var ruleArn: String?
        public var effect: Effect
        public var when: When

        public init(arn: String, ruleArn: String? = nil, effect: Effect, when: When) {
            self.arn = arn
            self.ruleArn = ruleArn
            self.effect = effect
            self.when = when
        }
    }

    /// The faults, in the scenario's order (the first that applies wins).
    public let faults: [Fault]
    private let clock: any EventClock
    /// How often each fault fired, by index.
    private let fired: Mutex<[Int]>

    public init(faults: [Fault], clock: any EventClock) {
        self.faults = faults
        self.clock = clock
        self.fired = Mutex(Array(repeating: 0, count: faults.count))
    }

    /// How often each fault fired, in ``faults`` order.
    public var firedCounts: [Int] { fired.withLock { $0 } }

    /// Whether some delivery fault names `arn` (so the registry wraps its target).
    func coversTarget(_ arn: String) -> Bool {
        faults.contains { if case .delivery = $0.effect { return $0.arn == arn } else { return false } }
    }

    private func fire(_ matches: (Fault) -> Bool) -> Fault? {
        let now = clock.now
        return fired.withLock { counts -> Fault? in
            for (i, f) in faults.enumerated() where matches(f) {
                switch f.when {
                case .always: break
                case .first(let n): if counts[i] >= n { continue }
                case .window(let from, let to): if now < from || now >= to { continue }
                }
                counts[i] += 1
                return f
            }
            return nil
        }
    }

    /// The injected outcome of a delivery attempt, or `nil` to deliver normally.
    func deliveryFault(_ delivery: TargetDelivery) -> DeliveryOutcome? {
        let arn = delivery.targetArn.description
        guard let fault = fire({ f in
            guard case .delivery = f.effect, f.arn == arn else { return false }
            return f.ruleArn == nil || f.ruleArn == delivery.ruleArn
        }), case .delivery(let code, let message) = fault.effect else { return nil }
        return Self.retriableCodes.contains(code) ? .retriable(code: code, message: message) : .nonRetriable(code: code, message: message)
    }

    /// EventBridge's retriable error codes; the others are dead-lettered at once.
    public static let retriableCodes: Set<String> = [
        DeliveryOutcome.Code.throttling, DeliveryOutcome.Code.timeout, DeliveryOutcome.Code.connectionFailure,
        DeliveryOutcome.Code.internalFailure, "SERVICE_UNAVAILABLE",
    ]

    /// Whether this admission of function `arn` is throttled by a fault.
    func throttles(function arn: String) -> Bool {
        fire { $0.arn == arn && $0.effect == .functionThrottle } != nil
    }

    /// The injected result of an invocation of function `arn` with `payload` (`timeoutSeconds`:
    /// its timeout), if any. Batch item failures apply to batches of an event source mapping only.
    func invocationFault(function arn: String, payload: [UInt8], timeoutSeconds: Int) -> InvocationResult? {
        var records: [JSONValue]?
        guard let fault = fire({ f in
            guard f.arn == arn else { return false }
            switch f.effect {
            case .functionError, .functionTimeout: return true
            case .batchItemFailures:
                if records == nil { records = (try? JSONValue(parsing: String(decoding: payload, as: UTF8.self)))?["Records"]?.arrayValue ?? [] }
                return records?.isEmpty == false
            default: return false
            }
        }) else { return nil }
        switch fault.effect {
        case .functionError(let type, let message): return .functionError(FunctionError(type: type, message: message))
        case .batchItemFailures(let count, let pattern):
            var failed: [JSONValue] = []
            for record in records ?? [] {
                if let count, failed.count >= count { break }
                let id: String?, body: String?
                if let kinesis = record["kinesis"] {
                    id = kinesis["sequenceNumber"]?.stringValue
                    body = kinesis["data"]?.stringValue.flatMap(Base64.decode).map { String(decoding: $0, as: UTF8.self) }
                } else {
                    id = record["messageId"]?.stringValue
                    body = record["body"]?.stringValue
                }
                guard let id else { continue }
                if let pattern {
                    guard let body, let value = try? JSONValue(parsing: body), pattern.matches(value) else { continue }
                }
                failed.append(["itemIdentifier": .string(id)])
            }
            return .success(["batchItemFailures": .array(failed)])
        default: return .functionError(.timeout(seconds: timeoutSeconds))
        }
    }
}
