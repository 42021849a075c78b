extension QueueStateFileOperations.Action {
    /// Whether the action may start from a state file that does not exist yet.
    public var createsFile: Bool {
        if case .create = self { return true }
        return false
    }
}

extension QueueStateFileOperations {
    /// Applies `action` to the queue `queue` of a state file as one locked read-modify-write
    /// (see ``StateFileStore``): concurrent commands on the same file are serialized, so every
    /// acknowledged send is kept and no message is handed to two receivers.
    /// - Parameters:
    ///   - now: the time to act at; default the state's `SnapshotTimestamp`, else the system clock.
    ///   - advance: seconds to move that clock forward first (let timeouts expire).
    ///   - account, region: for a bare queue name on `create`.
    ///   - seed: fixes ids; `nil` draws a fresh random seed (unique ids across processes).
    ///   - whileWaiting: told once when another command holds the file.
    /// - Returns: the answer to print.
    /// - Throws: ``QueueError`` from the operation, ``TextFileError`` for the file.
    public static func run(
        _ action: Action, queue: String, file: StateFileStore, now: Timestamp? = nil, advance: Int = 0,
        account: String = "123456789012", region: String = "us-east-1", seed: UInt64? = nil,
        whileWaiting: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> JSONValue {
        try await file.update(whileWaiting: whileWaiting) { text in
            if text == nil, !action.createsFile {
                throw TextFileError("state file \(file.path) does not exist: pass a file written by 'eventrouter replay --state-out', or create a queue first with 'eventrouter queue create'")
            }
            let state = try parseState(text, file: file.path)
            let clock = try StateFileStore.clock(at: now ?? snapshotTime(in: state), advancedBy: advance)
            let outcome = try await run(action, queue: queue, state: state, clock: clock, account: account, region: region, seed: seed)
            return (outcome.output, action.mutates ? outcome.state.jsonText + "\n" : nil)
        }
    }
}
