import EventRouter

extension LambdaService {
    /// Runs a request that changes durable function state (an asynchronous Invoke, event-invoke
    /// configuration, concurrency, event source mappings) and, with a data directory, answers only
    /// once every record it submitted is stored (``StateJournalTickets``); a record not stored is
    /// HTTP 503 `ServiceUnavailable`. In memory it just runs `body`.
    func storing(_ body: () async throws(AWSError) -> AWSReply) async throws(AWSError) -> AWSReply {
        guard functions.journal.isJournaled else { return try await body() }
        let collector = StateJournalTickets()
        let result = await StateJournalTickets.$current.withValue(collector) { () async -> Result<AWSReply, AWSError> in
            do throws(AWSError) { return .success(try await body()) } catch { return .failure(error) }
        }
        let reply = try result.get()
        do { try await collector.stored() } catch { throw AWSError.notStored(error) }
        return reply
    }
}
