/// Delivers to Kinesis data streams of a ``StreamRegistry``: the shaped input becomes the
/// record's data, the partition key comes from the target's `KinesisParameters.PartitionKeyPath`
/// resolved on the event (not on the shaped input), or is the event's `id` without one.
///
/// A shard over its write limit is a retriable `THROTTLING` failure, so a burst is delivered
/// later by the delivery engine's backoff instead of being lost. A partition-key path that
/// selects nothing (or an object or array) can never succeed: it fails without retries.
///
/// Register it as the provider for the `kinesis` service so every stream of the registry,
/// including streams created later, is a target.
public struct StreamTarget: EventTarget {
    public let streams: StreamRegistry

    public init(streams: StreamRegistry) { self.streams = streams }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let stream: DataStream
        do { stream = try streams.stream(delivery.targetArn.description) } catch {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: error.message)
        }
        let partitionKey: String
        switch Self.partitionKey(for: delivery) {
        case .success(let key): partitionKey = key
        case .failure(let failure): return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: failure.message)
        }
        switch stream.putRecordForTarget(data: delivery.body, partitionKey: partitionKey) {
        case .success: return .success
        case .throttled(_, let message): return .retriable(code: DeliveryOutcome.Code.throttling, message: message)
        case .failed(let code, let message):
            return .nonRetriable(code: code == "ResourceNotFoundException" ? DeliveryOutcome.Code.noResource : code, message: message)
        }
    }

    /// A reason a partition key could not be made.
    public struct PartitionKeyError: Error, Sendable, Hashable {
        public var message: String
    }

    /// The partition key of a delivery: `PartitionKeyPath` on the event (strings as they are,
    /// numbers and booleans as their JSON text), or the event id without a path.
    public static func partitionKey(for delivery: TargetDelivery) -> Result<String, PartitionKeyError> {
        guard let event = delivery.event else {
            return .failure(PartitionKeyError(message: "stream \(delivery.targetArn) takes deliveries from rules only (they carry the event the partition key comes from)"))
        }
        guard let text = delivery.partitionKeyPath else { return .success(event.id) }
        let path: JSONPath
        do { path = try JSONPath(parsing: text) } catch {
            return .failure(PartitionKeyError(message: "KinesisParameters.PartitionKeyPath: \(error.message)"))
        }
        guard let value = path.select(in: event.json) else {
            return .failure(PartitionKeyError(message: "KinesisParameters.PartitionKeyPath '\(text)' selects nothing in event \(event.id); every event this rule matches needs a value there (or drop PartitionKeyPath to use the event id)"))
        }
        switch value {
        case .string(let s):
            guard !s.isEmpty else {
                return .failure(PartitionKeyError(message: "KinesisParameters.PartitionKeyPath '\(text)' selects an empty string in event \(event.id); a partition key must not be empty"))
            }
            return .success(s)
        case .number, .bool: return .success(value.jsonText)
        case .null, .array, .object:
            return .failure(PartitionKeyError(message: "KinesisParameters.PartitionKeyPath '\(text)' selects \(value.kindName == "null" ? "null" : "an \(value.kindName)") in event \(event.id); it must select a string or a number"))
        }
    }
}
