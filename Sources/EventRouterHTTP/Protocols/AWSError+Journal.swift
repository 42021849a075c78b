import EventRouter

extension AWSError {
    /// The answer to a request whose journal records were not stored (ENOSPC, EIO): HTTP 503
    /// `ServiceUnavailable`, saying that nothing was acknowledged and what to do.
    static func notStored(_ failure: StateJournalFailure) -> AWSError {
        AWSError(code: "ServiceUnavailable",
                 message: "The request was not stored, so it did not take effect as far as any later start is concerned: \(failure.message). Retry once the data directory has room again; reads keep being served.",
                 status: 503, senderFault: false)
    }

    /// Runs a request's synchronous work and, when `journaled`, answers only once every record it
    /// submitted is stored (``StateJournalTickets``); without a journal it just runs `body`.
    /// - Throws: `body`'s error, or ``notStored(_:)``.
    static func storing<T>(journaled: Bool, _ body: () throws(AWSError) -> T) async throws(AWSError) -> T {
        guard journaled else { return try body() }
        do {
            return try await StateJournalTickets.storing(body)
        } catch let error as AWSError {
            throw error
        } catch let failure as StateJournalFailure {
            throw notStored(failure)
        } catch {
            throw AWSError(code: "InternalFailure", message: "\(error)", status: 500, senderFault: false)
        }
    }
}
