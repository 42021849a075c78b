/// Delivers to Firehose delivery streams of a ``DeliveryStreamRegistry``: the shaped input
/// becomes one record (its UTF-8 bytes, without a newline added, as EventBridge sends it).
///
/// Register it as the provider for the `firehose` service, so every delivery stream of the
/// registry, including streams created later through the API, is a target.
public struct DeliveryStreamTarget: EventTarget {
    public let deliveryStreams: DeliveryStreamRegistry

    public init(deliveryStreams: DeliveryStreamRegistry) { self.deliveryStreams = deliveryStreams }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        deliverNow(delivery) ?? .success
    }

    public func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? {
        let arn = delivery.targetArn
        guard DeliveryStreamConfiguration.name(inArn: arn) != nil, let stream = deliveryStreams.stream(arn: arn.description) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "delivery stream \(arn) does not exist; declare it under DeliveryStreams")
        }
        do {
            _ = try deliveryStreams.put([Array(delivery.body.utf8)], to: stream)
            return .success
        } catch {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: "delivery stream \(arn): \(error.message)")
        }
    }
}
