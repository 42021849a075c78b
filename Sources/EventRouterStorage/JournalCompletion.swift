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
/// fsync mode) or throws when it was not stored. Handing over (``JournalWriter/submit(_:)``)
/// is synchronous, so appends made in one order — e.g. from one actor — reach the file in it.
public final class JournalAppend: Sendable {
    private let state = Mutex<(result: Result<JournalPosition, JournalError>?,
                               waiter: CheckedContinuation<Result<JournalPosition, JournalError>, Never>?)>((nil, nil))

    init() {}

    /// An append already answered with `result` (e.g. refused before it reached the writer).
    init(_ result: Result<JournalPosition, JournalError>) { state.withLock { $0.result = result } }

    /// Waits until the append's batch is stored; returns where it ended.
    /// - Throws: ``JournalError`` when it was not stored (nothing of it is acknowledged).
    public func stored() async throws(JournalError) -> JournalPosition {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<JournalPosition, JournalError>, Never>) in
            let ready = state.withLock { state -> Result<JournalPosition, JournalError>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return try result.get()
    }

    /// Answers the append (once; the writer calls it).
    func complete(_ result: Result<JournalPosition, JournalError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<JournalPosition, JournalError>, Never>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }
}
