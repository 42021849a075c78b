import EventRouter

/// An answer held back until the journal records of its request are stored
/// (``HTTPResponse/untilStored``): the server sends the response once ``ticket`` says they are
/// stored, and ``notStored`` instead when they were not (docs/http-server.md, "Answers that wait
/// for the journal").
///
/// The server registers the send with ``StateJournalTicket/whenStored(_:)``, so the journal's
/// writer thread posts the answer straight to the socket thread after the `fsync`: the handler's
/// task has ended already, and no task is woken per request (a whole batch of answers costs one
/// wake-up of the socket thread).
public struct HTTPStoredAnswer: Sendable {
    /// The records the answer waits for.
    public var ticket: StateJournalTicket
    /// The answer sent instead when the records were not stored (nothing is acknowledged).
    public var notStored: @Sendable (StateJournalFailure) -> HTTPResponse

    public init(ticket: StateJournalTicket, notStored: @escaping @Sendable (StateJournalFailure) -> HTTPResponse) {
        self.ticket = ticket
        self.notStored = notStored
    }

    /// Waits in the calling task: `response` once stored, else the ``notStored`` answer (for
    /// callers of ``HTTPHandler/handleDeferringStorage(_:)`` that cannot hold an answer back).
    public func settle(_ response: HTTPResponse) async -> HTTPResponse {
        do { try await ticket.stored() } catch { return notStored(error) }
        return response
    }
}
