import EventRouter

/// PutEvents and TestEventPattern.
extension EventBridgeService {
    /// PutEvents: 1 to 10 entries, 256 KB in total, each validated alone; accepted events are
    /// routed by the runtime's router exactly as `replay` routes them (retries, backoff,
    /// dead-letter queues, input shaping, cross-account forwarding). The sender is the caller.
    /// Returns the answer and the ticket of the call's journal records: it is acknowledged once
    /// they are stored (``AWSReply/whenStored(_:_:notStored:)``).
    func putEvents(_ input: JSONInput, account: String) throws(AWSError) -> (JSONValue, StateJournalTicket) {
        let items = try input.structures("Entries", required: true) ?? []
        guard (1...10).contains(items.count) else {
            throw .validation("1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10 (this request has \(items.count))")
        }
        if let endpoint = try input.string("EndpointId"), !endpoint.isEmpty {
            throw .validation("Parameter EndpointId is not valid: global endpoints are not served by EventRouter; leave EndpointId out")
        }
        var entries: [PutEventsEntry] = []
        for item in items {
            var entry = PutEventsEntry(source: try item.string("Source"), detailType: try item.string("DetailType"),
                                       detail: try item.string("Detail"), eventBusName: try item.string("EventBusName"),
                                       resources: try item.strings("Resources") ?? [], traceHeader: try item.string("TraceHeader"))
            entry.time = try item.timestamp("Time")?.iso8601Milliseconds
            entries.append(entry)
        }
        let total = entries.reduce(0) { $0 + $1.size }
        let limit = router.configuration.maximumEventSize
        guard total <= limit else {
            throw .validation("Total size of the entries in the request is over the limit: \(total) bytes, at most \(limit) are allowed (counted as EventBridge does: Source, DetailType, Detail, Resources, plus 14 for Time)")
        }
        do {
            let (result, ticket) = try router.putEventsSubmitted(entries, account: account)
            return (result.json, ticket)
        } catch {
            throw .events(error)
        }
    }

    /// TestEventPattern: the pattern is read as a rule file's (same reasons), the event must
    /// hold the envelope fields AWS requires.
    func testEventPattern(_ input: JSONInput) throws(AWSError) -> JSONValue {
        let patternText = try input.string("EventPattern", required: true) ?? ""
        let eventText = try input.string("Event", required: true) ?? ""
        if case .failure(let problems) = DefinitionReader.pattern(.string(patternText), defaults: router.defaults) {
            throw .invalidPattern(problems.reasons)
        }
        do {
            return ["Result": .bool(try PatternTester.test(pattern: patternText, event: eventText))]
        } catch {
            switch error {
            case .invalidPattern(let e): throw .invalidPattern(e.description)
            case .invalidEvent(let reason): throw .validation("Parameter Event is not valid. Reason: \(reason)")
            }
        }
    }
}
