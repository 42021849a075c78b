extension StreamStateFileOperations {
    /// Applies `action` to the stream `stream` of a state file as one locked read-modify-write
    /// (see ``StateFileStore``): concurrent `stream put` commands on the same file keep every record.
    /// - Parameters:
    ///   - now: the time to act at; default the newest time the state records (``latestTime(in:)``).
    ///   - account, region: for a bare stream name.
    ///   - whileWaiting: told once when another command holds the file.
    /// - Returns: the answer to print.
    /// - Throws: ``StreamError`` from the operation, ``TextFileError`` for the file.
    public static func run(
        _ action: Action, stream: String, file: StateFileStore, now: Timestamp? = nil,
        account: String = "123456789012", region: String = "us-east-1",
        whileWaiting: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> JSONValue {
        try await file.update(whileWaiting: whileWaiting) { text in
            let state = try parseState(text, file: file.path)
            let clock = try StateFileStore.clock(at: now ?? latestTime(in: state))
            let outcome = try run(action, stream: stream, state: state, clock: clock, account: account, region: region)
            return (outcome.output, action.mutates ? outcome.state.jsonText + "\n" : nil)
        }
    }
}
