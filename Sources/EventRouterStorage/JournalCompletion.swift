import Synchronization

/// Where an append ended: the segment and the offset just past its records.
public struct JournalPosition: Sendable, Equatable, Comparable {
    /// The segment file's number.
    public var segment: UInt64
    /// The offset just past the batch's last record in that file.
    public var offset: Int64

    public init(segment: UInt64, offset: Int64) {
        self.segment = segment
        self.offset = offset
    }

    public static func < (a: JournalPosition, b: JournalPosition) -> Bool {
        (a.segment, a.offset) < (b.segment, b.offset)
    }
}

/// An append handed to the writer: ``stored()`` returns once its batch is on disk (per the
/// fsync mode) or throws when it was not stored; ``whenStored(_:)`` calls back instead, on the
/// writer's thread, with no task to wake. Handing over (``JournalWriter/submit(_:)``)
/// is synchronous, so appends made in one order — e.g. from one actor — reach the file in it.
public final class JournalAppend: Sendable {
    public typealias Outcome = Result<JournalPosition, JournalError>

    private struct State {
        var result: Outcome?
        var waiter: CheckedContinuation<Outcome, Never>?
        var callbacks: [@Sendable (Outcome) -> Void] = []
    }

    private let state = Mutex(State())

    init() {}

    /// An append already answered with `result` (e.g. refused before it reached the writer).
    init(_ result: Outcome) { state.withLock { $0.result = result } }

    /// Waits until the append's batch is stored; returns where it ended.
    /// - Throws: ``JournalError`` when it was not stored (nothing of it is acknowledged).
    public func stored() async throws(JournalError) -> JournalPosition {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let ready = state.withLock { state -> Outcome? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return try result.get()
    }

    /// Calls `body` with the outcome once the append's batch is stored or has failed: at once
    /// (on the caller's thread) when it already has, else on the writer's thread right after the
    /// batch's `fsync`. `body` must be short and must not block (the next batch waits for it):
    /// e.g. post the answer to an event loop.
    public func whenStored(_ body: @escaping @Sendable (Outcome) -> Void) {
        let ready = state.withLock { state -> Outcome? in
            if let result = state.result { return result }
            state.callbacks.append(body)
            return nil
        }
        if let ready { body(ready) }
    }

    /// Answers the append (once; the writer calls it).
    func complete(_ result: Outcome) {
        let (waiter, callbacks) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, [@Sendable (Outcome) -> Void]) in
            guard state.result == nil else { return (nil, []) }
            state.result = result
            defer {
                state.waiter = nil
                state.callbacks = []
            }
            return (state.waiter, state.callbacks)
        }
        for callback in callbacks { callback(result) }
        waiter?.resume(returning: result)
    }
}
