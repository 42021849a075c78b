import Synchronization

/// A ``SubscriptionSink`` test double: records every delivery and answers from a script per
/// endpoint (then ``DeliveryResult/delivered`` once the script is used up).
public final class RecordingSubscriptionSink: SubscriptionSink {
    /// One recorded delivery.
    public struct Delivery: Sendable, Hashable {
        public var endpoint: String
        public var body: String
        public var attributes: [String: MessageAttributeValue]
        public var groupId: String?
        public var dedupId: String?
        /// What the sink answered.
        public var result: DeliveryResult
    }

    private struct State {
        var deliveries: [Delivery] = []
        var scripts: [String: [DeliveryResult]] = [:]
        var always: [String: DeliveryResult] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    /// Answers the next deliveries to `endpoint` with `results`, in order.
    public func script(_ endpoint: String, _ results: [DeliveryResult]) {
        state.withLock { $0.scripts[endpoint, default: []].append(contentsOf: results) }
    }

    /// Answers every delivery to `endpoint` with `result` (after any script).
    public func always(_ endpoint: String, _ result: DeliveryResult) {
        state.withLock { $0.always[endpoint] = result }
    }

    /// Every delivery so far, in order.
    public var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// The deliveries to `endpoint`.
    public func deliveries(to endpoint: String) -> [Delivery] { deliveries.filter { $0.endpoint == endpoint } }

    public func deliver(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) async -> DeliveryResult {
        state.withLock { s in
            var result = s.always[endpoint] ?? .delivered
            if var script = s.scripts[endpoint], !script.isEmpty {
                result = script.removeFirst()
                s.scripts[endpoint] = script
            }
            s.deliveries.append(Delivery(endpoint: endpoint, body: body, attributes: attributes, groupId: groupId, dedupId: dedupId, result: result))
            return result
        }
    }
}
