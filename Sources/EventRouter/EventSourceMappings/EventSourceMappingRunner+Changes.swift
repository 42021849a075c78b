/// One mapping of a runner: its UUID, its poller and what the runner last saw of it.
struct MappingEntry: Sendable {
    let uuid: String
    let poller: any EventSourcePoller
    var lastModified: Timestamp
    var lastStep = PollStep(didWork: false, pending: false)
    /// Created through the API (journaled with a data directory); workspace mappings come from the files.
    var apiCreated = false
}

/// A mapping as Lambda's API reports it.
public struct MappingSnapshot: Sendable {
    /// Its UUID.
    public var uuid: String
    /// Its settings now.
    public var configuration: EventSourceMappingConfiguration
    /// When it was created or last updated.
    public var lastModified: Timestamp
    /// What it has done so far.
    public var counters: EventSourceMappingCounters
}

/// Creating, changing and deleting mappings while the runner runs (Lambda's
/// `CreateEventSourceMapping`, `UpdateEventSourceMapping`, `DeleteEventSourceMapping`).
extension EventSourceMappingRunner {
    /// Every mapping, in creation order.
    public func snapshots() async -> [MappingSnapshot] {
        var out: [MappingSnapshot] = []
        for entry in entries { out.append(await snapshot(entry)) }
        return out
    }

    /// The mapping `uuid`, if it exists.
    public func snapshot(uuid: String) async -> MappingSnapshot? {
        guard let entry = entries.first(where: { $0.uuid == uuid }) else { return nil }
        return await snapshot(entry)
    }

    /// Adds a mapping; it polls from the next step on (on a real clock the driver is woken).
    /// - Throws: ``EventSourceMappingError`` when its function, queue or stream does not exist.
    public func create(_ configuration: EventSourceMappingConfiguration) async throws(EventSourceMappingError) -> MappingSnapshot {
        let made = Self.makePoller(configuration, at: "", queues: queues, streams: streams, functions: functionTable,
                                   sink: sink, clock: clock, random: random, options: options)
        let poller: any EventSourcePoller
        switch made {
        case .success(let p): poller = p
        case .failure(let error): throw error
        }
        // A restarted process draws the same UUIDs again: skip those that recovered mappings hold.
        var uuid = random.uuid()
        while entries.contains(where: { $0.uuid == uuid }) { uuid = random.uuid() }
        var entry = MappingEntry(uuid: uuid, poller: poller, lastModified: clock.now)
        entry.apiCreated = true
        entries.append(entry)
        journal.putMapping(uuid: uuid, configuration: configuration, lastModified: entry.lastModified)
        wakeDriver()
        return await snapshot(entry)
    }

    /// Puts back a mapping created through the API that a data directory kept, with its UUID
    /// (recovery, before the runner runs; not journaled again).
    /// - Throws: ``EventSourceMappingError`` when its function, queue or stream no longer exists.
    func restore(uuid: String, configuration: EventSourceMappingConfiguration, lastModified: Timestamp) throws(EventSourceMappingError) {
        let made = Self.makePoller(configuration, at: "", queues: queues, streams: streams, functions: functionTable,
                                   sink: sink, clock: clock, random: random, options: options)
        switch made {
        case .success(let poller):
            var entry = MappingEntry(uuid: uuid, poller: poller, lastModified: lastModified)
            entry.apiCreated = true
            entries.append(entry)
        case .failure(let error): throw error
        }
    }

    /// Changes mapping `uuid` in place (a stream mapping keeps its shard checkpoints, a queue
    /// mapping its gathered messages). `nil` when there is no such mapping.
    /// - Throws: ``EventSourceMappingError`` when the new function does not exist.
    public func update(uuid: String, to configuration: EventSourceMappingConfiguration) async throws(EventSourceMappingError) -> MappingSnapshot? {
        guard let i = entries.firstIndex(where: { $0.uuid == uuid }) else { return nil }
        guard let runtime = FunctionHost.lookup(configuration.functionArn, in: functionTable) else {
            let known = functionTable.keys.sorted()
            throw EventSourceMappingError(problems: [.init(key: "FunctionName", reason: "no function '\(configuration.functionArn)' (\(known.isEmpty ? "there are none" : "known: " + known.joined(separator: ", "))); add Functions/NAME/function.json or fix the name")])
        }
        await entries[i].poller.reconfigure(configuration, runtime: runtime)
        // Another call may have changed `entries` while this one awaited.
        guard let j = entries.firstIndex(where: { $0.uuid == uuid }) else { return nil }
        entries[j].lastModified = clock.now
        if entries[j].apiCreated {
            journal.putMapping(uuid: uuid, configuration: entries[j].poller.configuration, lastModified: entries[j].lastModified)
        }
        wakeDriver()
        return await snapshot(entries[j])
    }

    /// Removes mapping `uuid` and returns it as it was; a batch in flight finishes first (its
    /// messages are deleted or become visible again as usual). `nil` when there is no such mapping.
    public func delete(uuid: String) async -> MappingSnapshot? {
        guard let i = entries.firstIndex(where: { $0.uuid == uuid }) else { return nil }
        let entry = entries.remove(at: i)
        if entry.apiCreated { journalDeletion(entry) }
        return await snapshot(entry)
    }

    private func snapshot(_ entry: MappingEntry) async -> MappingSnapshot {
        MappingSnapshot(uuid: entry.uuid, configuration: entry.poller.configuration, lastModified: entry.lastModified,
                        counters: await entry.poller.counters)
    }

    /// Journals the deletion; a stream mapping's checkpoints go with it (on the stream now, and
    /// in recovery), so a mapping created again for the same function and stream starts afresh.
    private func journalDeletion(_ entry: MappingEntry) {
        let configuration = entry.poller.configuration
        guard case .stream(let arn) = configuration.source, let stream = try? streams.stream(arn),
              let function = FunctionHost.lookup(configuration.functionArn, in: functionTable)
        else {
            journal.deleteMapping(uuid: entry.uuid, functionArn: configuration.functionArn, checkpoints: nil)
            return
        }
        let key = function.arn + "|" + stream.arn
        stream.clearCheckpoints(mapping: key) {
            journal.deleteMapping(uuid: entry.uuid, functionArn: configuration.functionArn, checkpoints: (stream.arn, key))
        }
    }

    private func wakeDriver() {
        if case .concurrent(let wake) = concurrency { wake.signal() }
    }
}
