import EventRouter
import Synchronization

/// FIFO `ReceiveRequestAttemptId`s: a receive retried with the same id within 5 minutes gets
/// the same messages and receipt handles again, as long as they are still in flight (not
/// deleted, not visible again), so a client that lost a reply loses no messages.
final class SQSReceiveAttempts: Sendable {
    private struct Attempt {
        var at: Timestamp
        var messages: [ReceivedMessage]
    }

    static let window: Duration = .seconds(300)
    private let attempts = Mutex<[String: Attempt]>([:])

    /// The messages an earlier receive with `attempt` returned, if they are all still in flight.
    func messages(queue: MessageQueue, attempt: String) -> [ReceivedMessage]? {
        let now = queue.currentTime
        let key = queue.arn + "\n" + attempt
        guard let earlier = attempts.withLock({ $0[key] }), earlier.at + Self.window > now else { return nil }
        return queue.areInFlight(receiptHandles: earlier.messages.map(\.receiptHandle)) ? earlier.messages : nil
    }

    /// Remembers what a receive with `attempt` returned (and forgets attempts older than 5 minutes).
    func record(_ messages: [ReceivedMessage], queue: MessageQueue, attempt: String) {
        let now = queue.currentTime
        attempts.withLock { all in
            all = all.filter { $0.value.at + Self.window > now }
            all[queue.arn + "\n" + attempt] = Attempt(at: now, messages: messages)
        }
    }
}
