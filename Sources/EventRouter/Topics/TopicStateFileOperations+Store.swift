extension TopicStateFileOperations {
    /// Publishes `message` with the queues (and the topic's FIFO deduplication window) of a
    /// state file, as one locked read-modify-write (see ``StateFileStore``).
    /// - Parameters:
    ///   - seed: fixes ids; `nil` draws a fresh random seed (unique ids across processes).
    ///   - whileWaiting: told once when another command holds the file.
    /// - Returns: the answer to print.
    /// - Throws: ``TopicError`` or ``QueueError`` saying what to change, ``TextFileError`` for the file.
    public static func publish(
        _ message: TopicMessage, topic: String, declarations: Declarations, file: StateFileStore, seed: UInt64? = nil,
        whileWaiting: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> JSONValue {
        try await file.update(whileWaiting: whileWaiting) { text in
            let state = try QueueStateFileOperations.parseState(text, file: file.path)
            let clock = ManualClock(start: try QueueStateFileOperations.snapshotTime(in: state) ?? SystemClock().now)
            let outcome = try await publish(message, topic: topic, declarations: declarations, state: state, clock: clock, seed: seed)
            return (outcome.output, outcome.state.jsonText + "\n")
        }
    }
}
