/// One mapping of a runner: its UUID, its poller and what the runner last saw of it.
struct MappingEntry: Sendable {
    let uuid: String
    let poller: any EventSourcePoller
    var lastModified: Timestamp
    var lastStep = PollStep(didWork: false, pending: false)
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
        let entry = MappingEntry(uuid: random.uuid(), poller: poller, lastModified: clock.now)
        entries.append(entry)
        wakeDriver()
        return await snapshot(entry)
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
        entries[i].lastModified = clock.now
        wakeDriver()
        return await snapshot(entries[i])
    }

    /// Removes mapping `uuid` and returns it as it was; a batch in flight finishes first (its
    /// messages are deleted or become visible again as usual). `nil` when there is no such mapping.
    public func delete(uuid: String) async -> MappingSnapshot? {
        guard let i = entries.firstIndex(where: { $0.uuid == uuid }) else { return nil }
        let entry = entries.remove(at: i)
        return await snapshot(entry)
    }

    private func snapshot(_ entry: MappingEntry) async -> MappingSnapshot {
        MappingSnapshot(uuid: entry.uuid, configuration: entry.poller.configuration, lastModified: entry.lastModified,
                        counters: await entry.poller.counters)
    }

    private func wakeDriver() {
        if case .concurrent(let wake) = concurrency { wake.signal() }
    }
}
