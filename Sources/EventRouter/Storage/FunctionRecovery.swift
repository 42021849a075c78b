/// Rebuilds the function side at start-up (docs/durability.md, "Functions"): the settings put
/// through the Lambda API, the event source mappings created through it (same UUIDs), and every
/// asynchronous invocation accepted and not ended, with its attempt counts, last result and
/// next-attempt time. Fed by ``StateRecovery`` (the snapshot's `"functions"` section, then
/// records 50–53 and 60–61), restored by ``restore(into:)`` once the journal is attached.
public struct FunctionRecovery: Sendable {
    /// What was recovered, for the start line.
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        /// Functions whose settings were put back.
        public var configs = 0
        public var mappings = 0
        /// Asynchronous invocations taken up again.
        public var invocations = 0
        /// What could not be put back (its function, queue or stream is gone…), each saying why.
        public var notRestored: [String] = []

        public init() {}

        /// Whether nothing was recovered (the start line then says nothing about functions).
        public var isEmpty: Bool { configs == 0 && mappings == 0 && invocations == 0 && notRestored.isEmpty }

        public var description: String {
            "\(configs) function setting\(configs == 1 ? "" : "s"), \(mappings) event source mapping\(mappings == 1 ? "" : "s"), "
                + "\(invocations) async invocation\(invocations == 1 ? "" : "s")"
                + (notRestored.isEmpty ? "" : " (not restored: " + notRestored.joined(separator: "; ") + ")")
        }
    }

    private var configs: [String: JSONValue] = [:]
    private var mappings: [String: (order: Int, json: JSONValue)] = [:]
    private var invocations: [Int: JSONValue] = [:]
    private var nextKey = 1
    private var nextOrder = 0

    public init() {}

    /// Takes the snapshot's `"functions"` section (``FunctionJournal/journalJSON()``), if any.
    /// - Throws: ``StateJournalFailure`` naming the entry and what is wrong.
    mutating func applySnapshotSection(_ section: JSONValue?) throws(StateJournalFailure) {
        guard let section else { return }
        for member in section["configs"]?.objectValue?.members ?? [] {
            try putConfig(member.key, member.value, at: "the snapshot's functions.configs[\"\(member.key)\"]")
        }
        for (i, mapping) in (section["mappings"]?.arrayValue ?? []).enumerated() {
            try putMapping(mapping, at: "the snapshot's functions.mappings[\(i)]")
        }
        for (i, entry) in (section["invocations"]?.arrayValue ?? []).enumerated() {
            let place = "the snapshot's functions.invocations[\(i)]"
            let key = try Self.key(entry, at: place)
            _ = try FunctionInvocationEntry.event(entry, at: place)
            invocations[key] = entry
            nextKey = max(nextKey, key + 1)
        }
        if let n = section["nextKey"]?.intValue { nextKey = max(nextKey, n) }
    }

    /// Applies one record of types 50–53, 60–61; a `mapping.delete` drops the deleted stream
    /// mapping's checkpoints from `streams`.
    /// - Throws: ``StateJournalFailure`` naming the record type, the function and what is wrong.
    mutating func apply(_ type: StateRecordType, _ json: JSONValue, streams: inout StreamRecovery) throws(StateJournalFailure) {
        let a = "\(type)".first.map { "aeiou".contains($0) } == true ? "an" : "a"
        guard let arn = json["arn"]?.stringValue else { throw StateJournalFailure("\(a) \(type) record has no function \"arn\"") }
        let place = "\(a) \(type) record for \(arn)"
        switch type {
        case .functionConfig:
            guard let c = json["c"] else { throw StateJournalFailure("\(place) has no settings object \"c\"") }
            try putConfig(arn, c, at: place)
        case .invokeQueued:
            let key = try Self.key(json, at: place)
            _ = try FunctionInvocationEntry.event(json, at: place)
            invocations[key] = json
            nextKey = max(nextKey, key + 1)
        case .invokeAttempt:
            let key = try Self.key(json, at: place)
            // Unknown: it ended before the snapshot was captured (its invoke.done follows).
            guard let entry = invocations[key] else { return }
            let merged = FunctionInvocationEntry.merging(json, into: entry)
            _ = try FunctionInvocationEntry.event(merged, at: place)
            invocations[key] = merged
        case .invokeDone:
            invocations[try Self.key(json, at: place)] = nil
        case .mappingPut:
            try putMapping(json, at: place)
        case .mappingDelete:
            guard let uuid = json["u"]?.stringValue else { throw StateJournalFailure("\(place) has no mapping UUID \"u\"") }
            mappings[uuid] = nil
            if let cp = json["cp"] {
                guard let stream = cp["s"]?.stringValue, let key = cp["m"]?.stringValue else {
                    throw StateJournalFailure("\(place) has checkpoints \"cp\" without a stream \"s\" and key \"m\"")
                }
                streams.clearCheckpoints(stream, mapping: key)
            }
        default:
            throw StateJournalFailure("a \(type) record is not a function record")
        }
    }

    private static func key(_ json: JSONValue, at place: String) throws(StateJournalFailure) -> Int {
        guard let key = json["k"]?.intValue, key > 0 else { throw StateJournalFailure("\(place) has no invocation key \"k\" (a whole number > 0)") }
        return key
    }

    private mutating func putConfig(_ arn: String, _ c: JSONValue, at place: String) throws(StateJournalFailure) {
        _ = try Self.settings(c, at: place)
        configs[arn] = c
    }

    private mutating func putMapping(_ json: JSONValue, at place: String) throws(StateJournalFailure) {
        guard let uuid = json["u"]?.stringValue else { throw StateJournalFailure("\(place) has no mapping UUID \"u\"") }
        _ = try Self.configuration(json, at: place)
        let order = mappings[uuid]?.order ?? nextOrder
        if order == nextOrder { nextOrder += 1 }
        mappings[uuid] = (order, json)
    }

    /// A `function.config`'s `"c"` as settings: (MaximumRetryAttempts, MaximumEventAgeInSeconds,
    /// OnSuccess, OnFailure, Configured, LastModified, Reserved).
    static func settings(_ c: JSONValue, at place: String) throws(StateJournalFailure)
        -> (retries: Int, age: Int, onSuccess: String?, onFailure: String?, configured: Bool, lastModified: Timestamp?, reserved: Int?) {
        guard let retries = c["MaximumRetryAttempts"]?.intValue, (0...2).contains(retries) else {
            throw StateJournalFailure("\(place) has MaximumRetryAttempts \(c["MaximumRetryAttempts"]?.jsonText ?? "missing"); it must be a whole number from 0 to 2")
        }
        guard let age = c["MaximumEventAgeInSeconds"]?.intValue, (60...21_600).contains(age) else {
            throw StateJournalFailure("\(place) has MaximumEventAgeInSeconds \(c["MaximumEventAgeInSeconds"]?.jsonText ?? "missing"); it must be a whole number from 60 to 21600")
        }
        var reserved: Int?
        if let r = c["Reserved"] {
            guard let n = r.intValue, n >= 0 else { throw StateJournalFailure("\(place) has Reserved \(r.jsonText); it must be a whole number ≥ 0") }
            reserved = n
        }
        let lastModified = c["LastModified"] == nil ? nil : try FunctionInvocationEntry.time(c["LastModified"], "LastModified", at: place)
        return (retries, age, c["OnSuccess"]?.stringValue, c["OnFailure"]?.stringValue, c["Configured"]?.boolValue ?? true, lastModified, reserved)
    }

    /// A `mapping.put`'s configuration, checked as CreateEventSourceMapping checks it.
    static func configuration(_ json: JSONValue, at place: String) throws(StateJournalFailure) -> (EventSourceMappingConfiguration, Timestamp) {
        guard let function = json["arn"]?.stringValue, case .object(var o)? = json["c"] else {
            throw StateJournalFailure("\(place) has no settings object \"c\"")
        }
        o["FunctionArn"] = nil
        o["FunctionName"] = .string(function)
        let parts = function.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let configuration: EventSourceMappingConfiguration
        do {
            configuration = try EventSourceMappingConfiguration(json: o, account: parts.count > 4 ? parts[4] : "", region: parts.count > 3 ? parts[3] : "")
        } catch {
            throw StateJournalFailure("\(place) has settings that are not a valid mapping: \(error)")
        }
        return (configuration, try FunctionInvocationEntry.time(json["t"], "t", at: place))
    }

    /// The pending invocations in key order: the function, the key, the event and its next attempt (nil: now).
    func pendingInvocations() -> [(arn: String, key: Int, event: AsyncInvocationStateMachine.Event, retryAt: Timestamp?)] {
        invocations.sorted { $0.key < $1.key }.compactMap { key, entry in
            guard let arn = entry["arn"]?.stringValue, let (event, retryAt) = try? FunctionInvocationEntry.event(entry, at: arn) else { return nil }
            return (arn, key, event, retryAt)
        }
    }

    /// Puts the recovered settings, mappings and invocations into `runtime`, whose journal is
    /// attached: nothing is journaled again, and the invocations start at once (or park until
    /// their next attempt).
    public func restore(into runtime: RouterRuntime) async -> Counts {
        var counts = Counts()
        let host = runtime.functions
        var keptConfigs: [String: JSONValue] = [:]
        for (arn, c) in configs.sorted(by: { $0.key < $1.key }) {
            guard let function = host.runtime(for: arn), let s = try? Self.settings(c, at: arn) else {
                counts.notRestored.append("settings of \(arn): no such function (its folder is gone)")
                continue
            }
            function.settings.update { v in
                v.maximumRetryAttempts = s.retries
                v.maximumEventAgeInSeconds = s.age
                v.onSuccessDestination = s.onSuccess
                v.onFailureDestination = s.onFailure
                v.eventInvokeConfigured = s.configured
                v.eventInvokeLastModified = s.lastModified
            }
            do { try host.setReservedConcurrency(s.reserved, of: function) } catch {
                counts.notRestored.append("reserved concurrency \(s.reserved.map(String.init) ?? "none") of \(arn): \(error.message)")
            }
            keptConfigs[arn] = c
            counts.configs += 1
        }
        var keptMappings: [(uuid: String, json: JSONValue)] = []
        for (uuid, entry) in mappings.sorted(by: { $0.value.order < $1.value.order }) {
            do {
                let (configuration, lastModified) = try Self.configuration(entry.json, at: "mapping \(uuid)")
                try await runtime.eventSourceMappings.restore(uuid: uuid, configuration: configuration, lastModified: lastModified)
                keptMappings.append((uuid, entry.json))
                counts.mappings += 1
            } catch {
                counts.notRestored.append("event source mapping \(uuid): \(error)")
            }
        }
        var resumed: [(AsyncInvocationEngine, AsyncInvocationStateMachine.Event, Int, Timestamp?)] = []
        var keptInvocations: [Int: JSONValue] = [:]
        for (key, entry) in invocations.sorted(by: { $0.key < $1.key }) {
            let arn = entry["arn"]?.stringValue ?? "?"
            guard let engine = host.engine(for: arn), let (event, retryAt) = try? FunctionInvocationEntry.event(entry, at: arn) else {
                counts.notRestored.append("async invocation \(entry["id"]?.stringValue ?? "?") of \(arn): no such function (its folder is gone)")
                continue
            }
            resumed.append((engine, event, key, retryAt))
            keptInvocations[key] = entry
        }
        // The tables first: a resumed invocation may end (invoke.done) before the loop ends.
        host.journal.restore(configs: keptConfigs, mappings: keptMappings, invocations: keptInvocations, nextKey: nextKey)
        for (engine, event, key, retryAt) in resumed { await engine.resume(event, key: key, retryAt: retryAt) }
        counts.invocations = resumed.count
        return counts
    }
}
