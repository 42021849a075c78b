extension Router {
    /// Puts a recovered event (``DeliveryRecovery``) on `busArn` again for the `rules` whose
    /// deliveries had not settled, as accepted at `acceptedAt` (the event's age, and thus
    /// `MaximumEventAgeInSeconds`, counts from there). A delivery with an entry in `resume`
    /// continues its retry policy: its retries so far and its next-attempt time; the others
    /// start at once. Not journaled again: the deliveries are already pending in the journal.
    /// - Throws: ``EventRouterError`` when the bus no longer exists.
    func redeliver(_ event: Event, onBus busArn: String, rules: Set<String>, acceptedAt: Timestamp,
                   resume: [DeliveryKey: (retries: Int, due: Timestamp)]) throws(EventRouterError) {
        guard let bus = bus(arn: busArn) else { throw EventRouterError(.notFound, "event bus \(busArn) does not exist") }
        var requests: [DeliveryRequest] = []
        var matched: [BusRuleSet.Entry] = []
        var tally = Tally()
        var archived = ArchiveJournalBatch()  // a delivery made again is not archived again
        accept(event, bus: bus, at: acceptedAt, options: BusPutOptions(ruleFilter: rules, redelivery: true), matched: &matched, tally: &tally,
               into: &requests, archived: &archived)
        scheduler.enqueue(requests) { r in resume[DeliveryKey(r)] }
        tally.add(to: counters)
    }
}
