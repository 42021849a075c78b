import Synchronization

/// A target for topic tests: records every subscription delivery and answers from a script per
/// endpoint (then ``DeliveryOutcome/success`` once the script is used up). Register it in the
/// ``TargetRegistry`` the topics deliver through.
public final class RecordingSubscriptionSink: EventTarget {
    /// One recorded delivery.
    public struct Delivery: Sendable, Hashable {
        public var endpoint: String
        public var body: String
        public var attributes: [String: MessageAttributeValue]
        public var groupId: String?
        public var dedupId: String?
        /// What the sink answered.
        public var result: DeliveryOutcome
    }

    private struct State {
        var deliveries: [Delivery] = []
        var scripts: [String: [DeliveryOutcome]] = [:]
        var always: [String: DeliveryOutcome] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    /// Answers the next deliveries to `endpoint` with `results`, in order.
    public func script(_ endpoint: String, _ results: [DeliveryOutcome]) {
        state.withLock { $0.scripts[endpoint, default: []].append(contentsOf: results) }
    }

    /// Answers every delivery to `endpoint` with `result` (after any script).
    public func always(_ endpoint: String, _ result: DeliveryOutcome) {
        state.withLock { $0.always[endpoint] = result }
    }

    /// Every delivery so far, in order.
    public var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// The deliveries to `endpoint`.
    public func deliveries(to endpoint: String) -> [Delivery] { deliveries.filter { $0.endpoint == endpoint } }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let endpoint = delivery.targetArn.description
        return state.withLock { s in
            var result = s.always[endpoint] ?? .success
            if var script = s.scripts[endpoint], !script.isEmpty {
                result = script.removeFirst()
                s.scripts[endpoint] = script
            }
            s.deliveries.append(Delivery(endpoint: endpoint, body: delivery.body, attributes: delivery.attributes, groupId: delivery.messageGroupId,
                                         dedupId: delivery.deduplicationId, result: result))
            return result
        }
    }
}
