/// The scheduler on a real clock: due attempts run up to
/// ``DeliveryScheduler/Configuration/maximumConcurrentDeliveries`` at once, their outcomes
/// applied in sequence order (deterministic jitter draws).
///
/// Attempts to targets that deliver batches synchronously (queues,
/// ``EventTarget/deliversBatchesNow``) are delivered right here, a run of attempts sharing a route
/// under one lock of the queue (``EventTarget/deliverNow(batch:)``): no task per attempt, and
/// with a data directory one journal append per run instead of one per message (docs/durability.md,
/// "Throughput"). Every other attempt gets a task of the round's group, as before.
extension DeliveryScheduler {
    func runDueConcurrently() async -> Int {
        let limit = max(1, configuration.maximumConcurrentDeliveries)
        var run = 0
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        var now: [Completion] = []
        while !Task.isCancelled {
            now.removeAll(keepingCapacity: true)
            let started = await withDiscardingTaskGroup { group -> Int in
                var started = 0
                var cache = TargetCache()
                while popDue(clock.now.nanosecondsSinceEpoch, limit: limit, into: &batch) {
                    started += batch.count
                    Self.warm(batch)
                    var i = 0
                    while i < batch.count {
                        let item = batch[i]
                        switch resolve(item, cache: &cache) {
                        case .done(let outcome):
                            now.append(Completion(item: item, outcome: outcome, at: clock.now))
                            i += 1
                        case .deliver(let target, let delivery):
                            if target.deliversBatchesNow {
                                if let outcomes = deliverRunNow(from: i, of: batch, first: delivery, to: target) {
                                    let at = clock.now
                                    for k in outcomes.indices { now.append(Completion(item: batch[i + k], outcome: outcomes[k], at: at)) }
                                    i += outcomes.count
                                    continue
                                }
                                if let outcome = target.deliverNow(delivery) {
                                    now.append(Completion(item: item, outcome: outcome, at: clock.now))
                                    i += 1
                                    continue
                                }
                            }
                            group.addTask { [self] in
                                let outcome: DeliveryOutcome
                                if let now = target.deliverNow(delivery) { outcome = now } else { outcome = await target.deliver(delivery) }
                                let at = clock.now
                                state.withLock { $0.completions.append(Completion(item: item, outcome: outcome, at: at)) }
                            }
                            i += 1
                        }
                    }
                }
                return started
            }
            var done: [Completion] = state.withLock { s in
                defer { s.completions.removeAll(keepingCapacity: true) }
                return s.completions
            }
            done.append(contentsOf: now)
            done.sort { $0.item.sequence < $1.item.sequence }
            for c in done { apply(c.item, c.outcome, at: c.at) }
            journal.withLock { $0 }?.flush()
            run += started
            if started == 0 { break }
            await Task.yield()  // a long burst must not hog a cooperative thread
        }
        return run
    }

    /// Takes up to ``batchSize`` due attempts, no more than `limit` in flight; false when none.
    private func popDue(_ now: Int64, limit: Int, into batch: inout [Item]) -> Bool {
        batch.removeAll(keepingCapacity: true)
        state.withLock { s in
            while batch.count < Self.batchSize, s.inFlight < limit, let item = s.heap.popDue(now) {
                batch.append(item)
                s.inFlight += 1
            }
        }
        return !batch.isEmpty
    }
}
