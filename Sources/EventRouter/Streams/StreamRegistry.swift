import Synchronization

/// Every stream of the router, by ARN, with lookup by name in the default account and region.
public final class StreamRegistry: Sendable {
    /// The clock new and restored streams use.
    public let clock: any EventClock
    /// Account used to resolve a bare stream name.
    public let defaultAccount: String
    /// Region used to resolve a bare stream name.
    public let defaultRegion: String
    private let streams: Mutex<[String: DataStream]> = Mutex([:])
    /// Signalled after each write to any of the streams (see ``DataStream/init(configuration:clock:limits:arrivals:)``).
    let arrivals: WakeSignal?
    /// Where creates, deletes and every stream's changes are journaled (nil: in memory).
    private let journal = Mutex<(any StateJournal)?>(nil)

    /// - Parameter arrivals: signalled after each write that adds records to a stream (the
    ///   runtime's wake on a real clock); nil: nobody is told.
    public init(clock: any EventClock, defaultAccount: String = "123456789012", defaultRegion: String = "us-east-1",
                arrivals: WakeSignal? = nil) {
        self.clock = clock
        self.arrivals = arrivals
        self.defaultAccount = defaultAccount
        self.defaultRegion = defaultRegion
    }

    /// Creates a stream.
    /// - Throws: `ResourceInUseException` when a stream with that ARN exists.
    @discardableResult
    public func create(_ configuration: StreamConfiguration, limits: StreamLimits = .kinesis) throws(StreamError) -> DataStream {
        let stream = makeStream(configuration, limits: limits)
        try add(stream)
        return stream
    }

    /// A stream on this registry's clock and arrival signal, not yet added (see ``add(_:)``).
    public func makeStream(_ configuration: StreamConfiguration, limits: StreamLimits = .kinesis) -> DataStream {
        DataStream(configuration: configuration, clock: clock, limits: limits, arrivals: arrivals)
    }

    /// Adds an existing stream.
    /// - Throws: `ResourceInUseException` when a stream with that ARN exists.
    public func add(_ stream: DataStream) throws(StreamError) {
        let journal = self.journal.withLock { $0 }
        let added = streams.withLock { s in
            guard s[stream.arn] == nil else { return false }
            s[stream.arn] = stream
            if let journal {
                stream.journal.withLock { $0 = journal }
                StateJournalTickets.note(journal.submit([DataStream.putRecord(stream.arn, stream.snapshot)]))
            }
            return true
        }
        guard added else {
            throw StreamError(.resourceInUse, "Stream \(stream.configuration.name) under account \(stream.configuration.account) already exists (\(stream.arn)); use another name or the existing stream")
        }
    }

    /// The ARN a stream name or ARN stands for (names resolve in the default account and region).
    public func arn(for nameOrARN: String) -> String {
        nameOrARN.hasPrefix("arn:") ? nameOrARN : "arn:aws:kinesis:\(defaultRegion):\(defaultAccount):stream/\(nameOrARN)"
    }

    /// The stream with this name or ARN.
    /// - Throws: `ResourceNotFoundException` listing the streams that exist.
    public func stream(_ nameOrARN: String) throws(StreamError) -> DataStream {
        let arn = arn(for: nameOrARN)
        let (found, names): (DataStream?, [String]) = streams.withLock { s in (s[arn], s.keys.sorted()) }
        guard let found else {
            let known = names.isEmpty ? "there are no streams; create one (CreateStream) or declare one under \"Streams\" in a rule file" : "known streams: \(names.joined(separator: ", "))"
            let label = nameOrARN == arn ? arn : "\(nameOrARN) (\(arn))"
            throw StreamError(.resourceNotFound, "Stream \(label) not found; \(known)")
        }
        return found
    }

    /// DeleteStream: removes the stream with this name or ARN. Rule targets that name it then fail
    /// with `ResourceNotFoundException`; event source mappings reading it stop finding new records.
    /// - Throws: `ResourceNotFoundException` when there is no such stream.
    @discardableResult
    public func remove(_ nameOrARN: String) throws(StreamError) -> DataStream {
        let stream = try stream(nameOrARN)
        let journal = self.journal.withLock { $0 }
        streams.withLock { s in
            s[stream.arn] = nil
            if let journal { StateJournalTickets.note(journal.submit([StateRecord(.streamDelete, ["arn": .string(stream.arn)])])) }
        }
        return stream
    }

    /// Every stream, by ARN.
    public var all: [DataStream] { streams.withLock { s in s.keys.sorted().compactMap { s[$0] } } }

    /// The value of `"streams"` in the state JSON: `{ARN: {"shards": […]}}`, ARNs sorted.
    public func stateJSON() -> JSONValue {
        .object(JSONObject(all.map { JSONObject.Member(key: $0.arn, value: $0.stateJSON()) }))
    }

    /// Adds every stream of a `"streams"` state value (see ``stateJSON()``). A restored stream
    /// replaces a stream with the same ARN (e.g. one just declared by a rule file), so loading the
    /// rules and then a saved state continues where the state left off. Nothing changes on error.
    /// - Throws: `InvalidArgumentException` naming the JSON path to fix.
    public func restore(from json: JSONValue, limits: StreamLimits = .kinesis) throws(StreamError) {
        guard let object = json.objectValue else {
            throw .invalid("state \"streams\" must be an object keyed by stream ARN, got \(json.kindName)")
        }
        let now = clock.now
        var restored: [DataStream] = []
        for member in object.members {
            let state = try DataStreamState(restoringState: member.value, arn: member.key, limits: limits, now: now)
            restored.append(DataStream(state: state, clock: clock, arrivals: arrivals))
        }
        streams.withLock { s in
            for stream in restored { s[stream.arn] = stream }
        }
    }

    /// From now on creates, deletes and every stream's changes submit their records to `journal`.
    public func attachJournal(_ journal: any StateJournal) {
        self.journal.withLock { $0 = journal }
        streams.withLock { s in
            for stream in s.values { stream.journal.withLock { $0 = journal } }
        }
    }

    /// Whether a journal is attached (the HTTP services then collect their requests' tickets).
    public var isJournaled: Bool { journal.withLock { $0 != nil } }

    /// The snapshot's `"streams"`: each stream's ``DataStreamState/journalJSON()``.
    func journalJSON() -> JSONValue {
        .object(JSONObject(all.map { JSONObject.Member(key: $0.arn, value: $0.snapshot.journalJSON()) }))
    }

    /// Puts the recovered streams (``DataStreamState/journalJSON()`` by ARN) in place of any with
    /// the same ARN and removes the ARNs in `deleted` (before a journal is attached).
    /// - Throws: `InvalidArgumentException` naming the JSON path to fix; nothing changes then.
    func restore(journal states: [(arn: String, state: JSONValue)], deleted: Set<String>) throws(StreamError) {
        let now = clock.now
        var restored: [DataStream] = []
        for (arn, json) in states {
            let state = try DataStreamState(restoringJournal: json, arn: arn, limits: .kinesis, now: now)
            restored.append(DataStream(state: state, clock: clock, arrivals: arrivals))
        }
        streams.withLock { s in
            for arn in deleted { s[arn] = nil }
            for stream in restored {
                // A stream already here (declared in a rule file) keeps its object, which the
                // event source mappings and targets hold: only its state is replaced.
                if let existing = s[stream.arn] { existing.replaceState(stream.snapshot) } else { s[stream.arn] = stream }
            }
        }
    }
}
