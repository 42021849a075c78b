import Synchronization

/// A long poll on a virtual clock, as a ``TimedComponent``: each round it tries to receive, and
/// until it has messages its next deadline is the queue's next visibility change, so a
/// ``TimeDriver`` jumps the clock from one change to the next within the wait.
final class LongPollOnVirtualTime: TimedComponent {
    private struct State {
        var received: [ReceivedMessage]?
        var error: QueueError?
    }

    private let queue: MessageQueue
    private let maximumMessages: Int
    private let visibilityTimeout: Int?
    private let state = Mutex(State())

    init(queue: MessageQueue, maximumMessages: Int, visibilityTimeout: Int?) {
        self.queue = queue
        self.maximumMessages = maximumMessages
        self.visibilityTimeout = visibilityTimeout
    }

    /// Receives on `clock` for up to `wait` seconds of its time; the clock ends at the end of the
    /// wait when nothing arrived.
    static func receive(_ queue: MessageQueue, on clock: ManualClock, maximumMessages: Int, visibilityTimeout: Int?,
                        waitSeconds: Int) async throws(QueueError) -> [ReceivedMessage] {
        let poll = LongPollOnVirtualTime(queue: queue, maximumMessages: maximumMessages, visibilityTimeout: visibilityTimeout)
        let deadline = clock.now + .seconds(waitSeconds)
        _ = await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [poll])
            .settle(limits: SettleLimits(maximumVirtualTime: .seconds(waitSeconds)))
        let (received, error) = poll.state.withLock { ($0.received, $0.error) }
        if let error { throw error }
        if let received, !received.isEmpty { return received }
        if clock.now < deadline { clock.advance(to: deadline) }
        return []
    }

    var timedRole: TimedRole { .scheduled }

    func runDue(at now: Timestamp) async -> Int {
        guard state.withLock({ $0.received == nil && $0.error == nil }) else { return 0 }
        do {
            let got = try await queue.receiveMessages(maxNumberOfMessages: maximumMessages, visibilityTimeout: visibilityTimeout, waitTimeSeconds: 0)
            if !got.isEmpty { state.withLock { $0.received = got } }
            return got.count
        } catch {
            state.withLock { $0.error = error }
            return 0
        }
    }

    /// Waiting (1) until messages arrive or receiving fails; the next visibility change after `now`.
    func timedStatus(at now: Timestamp) async -> TimedStatus {
        let done = state.withLock { $0.received != nil || $0.error != nil }
        if done { return TimedStatus(pending: 0, nextDeadline: nil) }
        let next = try? queue.withMachine { (m: inout QueueStateMachine) throws(QueueError) in m.nextVisibilityChange }
        return TimedStatus(pending: 1, nextDeadline: next.flatMap { $0 > now ? $0 : nil })
    }
}
