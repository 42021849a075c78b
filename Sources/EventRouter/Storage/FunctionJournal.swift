import Synchronization

/// The function side's records (docs/durability.md, "Functions"): event-invoke configuration and
/// reserved concurrency set through the Lambda API (`function.config`, 50), each asynchronous
/// invocation from its acceptance to its end (`invoke.queued` 51, `invoke.attempt` 52,
/// `invoke.done` 53), and event source mappings created through the API (`mapping.put` 60,
/// `mapping.delete` 61).
///
/// One per ``FunctionHost``, shared by its engines and the ``EventSourceMappingRunner``. Each
/// change updates the table the snapshot is taken from and submits its record under one lock,
/// so a snapshot captured after its roll plus the replayed tail is exact. Without a journal
/// attached (in memory) nothing is tracked or encoded. Every submit notes its ticket with
/// ``StateJournalTickets``, so an HTTP request answers once its records are stored.
public final class FunctionJournal: Sendable {
    struct State {
        var journal: (any StateJournal)?
        /// `function.config` payloads' `"c"` by function ARN.
        var configs: [String: JSONValue] = [:]
        /// `mapping.put` payloads by UUID, with their creation order.
        var mappings: [String: (order: Int, json: JSONValue)] = [:]
        /// Pending asynchronous invocations by key (``FunctionInvocationEntry``).
        var invocations: [Int: JSONValue] = [:]
        var nextKey = 1
        var nextOrder = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether a journal is attached (the Lambda service then awaits its requests' records).
    public var isJournaled: Bool { state.withLock { $0.journal != nil } }

    /// From now on changes are journaled.
    public func attach(_ journal: any StateJournal) { state.withLock { $0.journal = journal } }

    private func submit(_ s: inout State, _ record: StateRecord) {
        guard let journal = s.journal else { return }
        StateJournalTickets.note(journal.submit([record]))
    }

    // MARK: function settings

    /// Journals `runtime`'s settings as they are now (call after changing them through the API).
    public func putConfig(_ runtime: FunctionRuntime) {
        state.withLock { s in
            guard s.journal != nil else { return }
            // Read under the lock: of two concurrent changes the later record holds both.
            let config = Self.configJSON(runtime.settings.values)
            s.configs[runtime.arn] = config
            submit(&s, StateRecord(.functionConfig, ["arn": .string(runtime.arn), "c": config]))
        }
    }

    /// `{"MaximumRetryAttempts", "MaximumEventAgeInSeconds", "OnSuccess"?, "OnFailure"?, "Configured",
    /// "LastModified"? (ms), "Reserved"?}`.
    static func configJSON(_ v: FunctionSettings.Values) -> JSONValue {
        var o: JSONObject = ["MaximumRetryAttempts": .number(JSONNumber(v.maximumRetryAttempts)),
                             "MaximumEventAgeInSeconds": .number(JSONNumber(v.maximumEventAgeInSeconds)),
                             "Configured": .bool(v.eventInvokeConfigured)]
        if let d = v.onSuccessDestination { o["OnSuccess"] = .string(d) }
        if let d = v.onFailureDestination { o["OnFailure"] = .string(d) }
        if let t = v.eventInvokeLastModified { o["LastModified"] = .number(JSONNumber(Int(t.millisecondsSinceEpoch))) }
        if let r = v.reservedConcurrency { o["Reserved"] = .number(JSONNumber(r)) }
        return .object(o)
    }

    // MARK: event source mappings

    /// Journals an API-created mapping as it is now (created or updated).
    func putMapping(uuid: String, configuration: EventSourceMappingConfiguration, lastModified: Timestamp) {
        state.withLock { s in
            guard s.journal != nil else { return }
            let json: JSONValue = ["arn": .string(configuration.functionArn), "u": .string(uuid), "c": configuration.settingsJSON,
                                   "t": .number(JSONNumber(Int(lastModified.millisecondsSinceEpoch)))]
            let order = s.mappings[uuid]?.order ?? s.nextOrder
            if order == s.nextOrder { s.nextOrder += 1 }
            s.mappings[uuid] = (order, json)
            submit(&s, StateRecord(.mappingPut, json))
        }
    }

    /// Journals the deletion of an API-created mapping; `checkpoints` names the stream and the
    /// checkpoint key a stream mapping leaves behind (recovery drops them, so a mapping created
    /// again for the same function and stream starts from its own starting position).
    func deleteMapping(uuid: String, functionArn: String, checkpoints: (stream: String, key: String)?) {
        state.withLock { s in
            guard s.journal != nil else { return }
            s.mappings[uuid] = nil
            var o: JSONObject = ["arn": .string(functionArn), "u": .string(uuid)]
            if let checkpoints { o["cp"] = ["s": .string(checkpoints.stream), "m": .string(checkpoints.key)] }
            submit(&s, StateRecord(.mappingDelete, .object(o)))
        }
    }

    // MARK: asynchronous invocations

    /// Journals an accepted invocation of `functionArn`; returns its key (nil without a journal).
    func queued(_ functionArn: String, _ event: AsyncInvocationStateMachine.Event) -> Int? {
        state.withLock { s in
            guard s.journal != nil else { return nil }
            let key = s.nextKey
            s.nextKey += 1
            let entry = FunctionInvocationEntry.queued(functionArn, key: key, event)
            s.invocations[key] = entry
            submit(&s, StateRecord(.invokeQueued, entry))
            return key
        }
    }

    /// Journals an attempt that ended with a retry at `retryAt`: the counts and last result.
    func attempted(_ functionArn: String, key: Int?, _ event: AsyncInvocationStateMachine.Event, retryAt: Timestamp) {
        guard let key else { return }
        state.withLock { s in
            guard s.journal != nil, let entry = s.invocations[key] else { return }
            let change = FunctionInvocationEntry.attempt(functionArn, key: key, event, retryAt: retryAt)
            s.invocations[key] = FunctionInvocationEntry.merging(change, into: entry)
            submit(&s, StateRecord(.invokeAttempt, change))
        }
    }

    /// Journals that the invocation `key` ended (its destination, if any, was sent first).
    func done(_ functionArn: String, key: Int?) {
        guard let key else { return }
        state.withLock { s in
            guard s.journal != nil, s.invocations.removeValue(forKey: key) != nil else { return }
            submit(&s, StateRecord(.invokeDone, ["arn": .string(functionArn), "k": .number(JSONNumber(key))]))
        }
    }

    // MARK: snapshot and recovery

    /// The snapshot's `"functions"` section: `{"configs": {ARN: c}, "mappings": [mapping.put…],
    /// "invocations": [entry…], "nextKey"}`.
    func journalJSON() -> JSONValue {
        state.withLock { s in
            ["configs": .object(JSONObject(s.configs.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: $0.value) })),
             "mappings": .array(s.mappings.values.sorted { $0.order < $1.order }.map(\.json)),
             "invocations": .array(s.invocations.sorted { $0.key < $1.key }.map(\.value)),
             "nextKey": .number(JSONNumber(s.nextKey))]
        }
    }

    /// Puts the recovered tables in place (recovery, before any request is served).
    func restore(configs: [String: JSONValue], mappings: [(uuid: String, json: JSONValue)], invocations: [Int: JSONValue], nextKey: Int) {
        state.withLock { s in
            s.configs = configs
            s.mappings = [:]
            for (i, m) in mappings.enumerated() { s.mappings[m.uuid] = (i, m.json) }
            s.nextOrder = mappings.count
            s.invocations = invocations
            s.nextKey = max(s.nextKey, nextKey)
        }
    }
}
