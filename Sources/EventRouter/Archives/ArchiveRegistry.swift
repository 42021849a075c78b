import Synchronization

/// Every archive of a router, by ARN: buses feed their archives through ``receive(_:text:busArn:receivedAt:)``.
public final class ArchiveRegistry: Sendable {
    private struct State {
        var byArn: [String: ArchiveStore] = [:]
        var byBus: [String: [ArchiveStore]] = [:]
    }

    private let clock: any EventClock
    private let state = Mutex(State())

    public init(clock: any EventClock, archives: [ArchiveDefinition] = []) {
        self.clock = clock
        for a in archives { add(a) }
    }

    /// Adds (or replaces) an archive; returns its store.
    @discardableResult
    public func add(_ definition: ArchiveDefinition) -> ArchiveStore {
        let store = ArchiveStore(definition: definition, clock: clock)
        state.withLock { s in
            if let old = s.byArn[definition.arn] {
                s.byBus[old.definition.sourceArn]?.removeAll { $0 === old }
            }
            s.byArn[definition.arn] = store
            s.byBus[definition.sourceArn, default: []].append(store)
        }
        return store
    }

    /// Removes an archive; returns whether it existed.
    @discardableResult
    public func remove(arn: String) -> Bool {
        state.withLock { s in
            guard let old = s.byArn.removeValue(forKey: arn) else { return false }
            s.byBus[old.definition.sourceArn]?.removeAll { $0 === old }
            return true
        }
    }

    /// Replaces an archive's definition (`UpdateArchive`), keeping the events it holds.
    /// - Returns: the new store.
    @discardableResult
    public func update(_ definition: ArchiveDefinition) -> ArchiveStore {
        let kept = archive(arn: definition.arn)?.allEvents ?? []
        let store = add(definition)
        store.adopt(kept)
        return store
    }

    /// The archive with this ARN.
    public func archive(arn: String) -> ArchiveStore? { state.withLock { $0.byArn[arn] } }

    /// The archives named `name` (in any account, or only in `account`).
    public func archives(named name: String, account: String? = nil) -> [ArchiveStore] {
        state.withLock { s in
            s.byArn.values.filter { $0.definition.name == name && (account == nil || $0.definition.source.account == account) }
                .sorted { $0.arn < $1.arn }
        }
    }

    /// Every archive, by ARN.
    public var all: [ArchiveStore] { state.withLock { $0.byArn.values.sorted { $0.arn < $1.arn } } }

    /// Whether the bus has any archive (a cheap check before building event text).
    public func hasArchives(forBus busArn: String) -> Bool { state.withLock { !($0.byBus[busArn]?.isEmpty ?? true) } }

    /// Offers an event received by `busArn` to each of its archives.
    /// - Returns: how many archives kept it.
    @discardableResult
    public func receive(_ event: @autoclosure () -> JSONValue, text: String? = nil, busArn: String, receivedAt: Timestamp) -> Int {
        let stores = state.withLock { $0.byBus[busArn] ?? [] }
        guard !stores.isEmpty else { return 0 }
        let event = event()
        var kept = 0
        for store in stores where store.archive(event, text: text, receivedAt: receivedAt) == .archived { kept += 1 }
        return kept
    }

    /// `{ARN: {"events": N, "sizeBytes": B}}` for the state JSON's `"archives"` key.
    public func stateJSON() -> JSONValue {
        .object(JSONObject(all.map { JSONObject.Member(key: $0.arn, value: $0.stateJSON()) }))
    }
}
