import Synchronization

/// The queues of one registry by ARN, by name and in order of creation, under one lock.
///
/// Its own object so that queues can find their dead-letter queue through a weak reference to it
/// (``QueueRegistryLink``) while the registry itself, which hot paths retain, has none: an object
/// that is the target of a weak reference has every retain and release take the slow path.
final class QueueTable: Sendable {
    struct State: Sendable {
        var byArn: [String: MessageQueue] = [:]
        var order: [String] = []
        /// The queues in order of creation (kept beside `order` so reading them allocates nothing).
        var list: [MessageQueue] = []
        var created: UInt64 = 0
    }

    let state = Mutex(State())

    /// The queue with this ARN, if it exists.
    func queue(arn: String) -> MessageQueue? { state.withLock { $0.byArn[arn] } }
}
