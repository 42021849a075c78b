import Synchronization

/// The tickets of the records one API request submitted, for code that journals deep below the
/// request's handler (a stream's lock, a registry's lock) without handing tickets up through
/// every return value: the handler binds ``current`` around the synchronous work, the journaling
/// code calls ``note(_:)``, and the handler awaits ``stored()`` before it answers.
///
/// Nothing is bound (and nothing collected) when no journal is attached.
public final class StateJournalTickets: Sendable {
    /// The collector of the request running on this task, if its handler bound one.
    @TaskLocal public static var current: StateJournalTickets?

    private let tickets = Mutex<[StateJournalTicket]>([])

    public init() {}

    /// Adds `ticket` to the current request's collector (nothing when none is bound).
    public static func note(_ ticket: StateJournalTicket) {
        current?.tickets.withLock { $0.append(ticket) }
    }

    /// Runs `body` with a fresh collector bound, then waits until every record it submitted is stored.
    /// - Throws: `body`'s error, or ``StateJournalFailure`` when a record was not stored.
    public static func storing<T, E: Error>(_ body: () throws(E) -> T) async throws -> T {
        let collector = StateJournalTickets()
        let result: Result<T, E> = $current.withValue(collector) { Result { () throws(E) -> T in try body() } }
        let value = try result.get()
        try await collector.stored()
        return value
    }

    /// Returns once every ticket noted so far is stored.
    /// - Throws: ``StateJournalFailure`` for the first that was not.
    public func stored() async throws(StateJournalFailure) {
        let taken = tickets.withLock { t in
            defer { t = [] }
            return t
        }
        for ticket in taken { try await ticket.stored() }
    }
}
