/// What one step of a poller did and when it next has something to do.
public struct PollStep: Sendable, Equatable {
    /// It received, read, invoked or changed state: step again at the same instant.
    public var didWork: Bool
    /// When it next has something to do (a batching window closes, a message becomes visible,
    /// a retry is due); `nil` when only new input would give it work.
    public var wakeAt: Timestamp?
    /// Its source still holds work for it (messages in the queue, unread or unfinished records).
    public var pending: Bool
    /// How much moved toward leaving the source in this step: messages deleted, redriven or
    /// expired, checkpoints, and failures that a limit (dead-letter queue, retry or age limit)
    /// will end. Zero for a long time means the remaining work is blocked.
    public var progress: Int

    public init(didWork: Bool, wakeAt: Timestamp? = nil, pending: Bool, progress: Int = 0) {
        self.didWork = didWork
        self.wakeAt = wakeAt
        self.pending = pending
        self.progress = progress
    }
}
