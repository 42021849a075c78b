import Synchronization

/// The log groups of a runtime: groups of streams of ``LogEvent``s, kept in memory and, with a
/// logs folder, written through to it as NDJSON files (``LogGroupFiles``) and read back when
/// the registry starts.
///
/// Every change runs in order on the registry's own writer thread (a one-thread
/// ``BlockingIOPool``), never on the cooperative pool: the files are written first and the
/// memory updated after, so what a reader sees is on disk. Without a folder changes apply at
/// once. Reads answer from memory under a lock. Events within a stream are kept in timestamp
/// order (equal timestamps in arrival order). Group names are one namespace (not per account
/// or region). A group's retention is applied when events are read: those older than it (on
/// the injected clock) are skipped, as if CloudWatch Logs had deleted them; the files keep
/// them until the group is deleted.
public final class LogGroupRegistry: Sendable {
    /// Where the events are kept.
    public enum Storage: Sendable, Hashable {
        case inMemory
        /// A logs folder (created when first written).
        case directory(String)
    }

    struct StoredEvent: Sendable {
        var event: LogEvent
        var sequence: Int64
    }

    struct StreamState: Sendable {
        var info: LogStreamInfo
        var events: [StoredEvent] = []

        mutating func insert(_ event: StoredEvent) {
            // Keep timestamp order; usually the event is the newest and goes at the end.
            var i = events.count
            while i > 0, events[i - 1].event.timestamp > event.event.timestamp { i -= 1 }
            events.insert(event, at: i)
            let t = event.event.timestamp
            info.firstEventTimestamp = min(info.firstEventTimestamp ?? t, t)
            info.lastEventTimestamp = max(info.lastEventTimestamp ?? t, t)
            info.lastIngestionTime = max(info.lastIngestionTime ?? 0, event.event.ingestionTime)
            info.storedBytes += event.event.message.utf8.count
            info.eventCount += 1
        }
    }

    struct GroupState: Sendable {
        var info: LogGroupInfo
        var streams: [String: StreamState] = [:]
    }

    struct State: Sendable {
        var groups: [String: GroupState] = [:]
        var nextSequence: Int64 = 1
    }

    let state: Mutex<State>
    /// The logs folder, if any.
    public let files: LogGroupFiles?
    private let writer: BlockingIOPool?
    private let clock: any EventClock
    /// Where ARNs of the groups point.
    public let account: String
    public let region: String
    /// Lines and files of the logs folder that could not be read when the registry started (skipped).
    public let loadProblems: [LogFileProblem]

    /// Opens `storage`, reading the groups a logs folder already holds (blocking: call it
    /// where the runtime is built, not under load).
    public init(storage: Storage, clock: any EventClock, account: String = RouterDefaults().account,
                region: String = RouterDefaults().region) {
        self.clock = clock
        self.account = account
        self.region = region
        var initial = State()
        switch storage {
        case .inMemory:
            files = nil
            writer = nil
            loadProblems = []
        case .directory(let path):
            let files = LogGroupFiles(root: path)
            self.files = files
            writer = BlockingIOPool(capacity: 1)
            let (groups, problems) = files.load()
            loadProblems = problems
            for loaded in groups {
                var group = GroupState(info: loaded.info)
                for (name, events) in loaded.streams {
                    var stream = StreamState(info: LogStreamInfo(name: name, creationTime: events.first?.ingestionTime ?? loaded.info.creationTime))
                    for event in events {
                        stream.insert(StoredEvent(event: event, sequence: initial.nextSequence))
                        initial.nextSequence += 1
                    }
                    group.info.storedBytes += stream.info.storedBytes
                    group.streams[name] = stream
                }
                initial.groups[loaded.info.name] = group
            }
        }
        state = Mutex(initial)
    }

    /// The ARN of a group: `arn:aws:logs:REGION:ACCOUNT:log-group:NAME`.
    public func arn(of group: String) -> ARN { LogGroupName.arn(group, account: account, region: region) }

    var nowMilliseconds: Int64 { clock.now.millisecondsSinceEpoch }

    /// Runs a change: on the writer thread with a folder, at once without.
    func change<T: Sendable>(_ work: @escaping @Sendable () throws(LogGroupError) -> T) async throws(LogGroupError) -> T {
        guard let writer else { return try work() }
        let result: Result<T, LogGroupError> = await writer.run { Result { () throws(LogGroupError) -> T in try work() } }
        return try result.get()
    }

    // MARK: - Changes

    /// Creates a log group.
    /// - Throws: `InvalidParameterException` for a bad name, `ResourceAlreadyExistsException`.
    public func createGroup(_ name: String, retentionInDays: Int? = nil) async throws(LogGroupError) {
        try await change { () throws(LogGroupError) in try self.createGroupNow(name, retentionInDays: retentionInDays) }
    }

    func createGroupNow(_ name: String, retentionInDays: Int?) throws(LogGroupError) {
        if let problem = LogGroupName.groupNameProblem(name) { throw LogGroupError(.invalidParameter, problem) }
        if files != nil, let problem = LogGroupFiles.fileNameProblem(name, what: "log group name") { throw LogGroupError(.invalidParameter, problem) }
        let exists = state.withLock { $0.groups[name] != nil }
        if exists { throw LogGroupError(.resourceAlreadyExists, "The specified log group already exists: '\(name)'") }
        let info = LogGroupInfo(name: name, creationTime: nowMilliseconds, retentionInDays: retentionInDays)
        try files?.createGroup(info)
        state.withLock { $0.groups[name] = GroupState(info: info) }
    }

    /// Deletes a log group and its streams (and their files).
    /// - Throws: `ResourceNotFoundException`.
    public func deleteGroup(_ name: String) async throws(LogGroupError) {
        try await change { () throws(LogGroupError) in
            let exists = self.state.withLock { $0.groups[name] != nil }
            guard exists else { throw LogGroupError.noGroup(name) }
            try self.files?.removeGroup(name)
            self.state.withLock { _ = $0.groups.removeValue(forKey: name) }
        }
    }

    /// Creates an empty log stream in a group.
    /// - Throws: `InvalidParameterException`, `ResourceNotFoundException` (no group), `ResourceAlreadyExistsException`.
    public func createStream(_ stream: String, group: String) async throws(LogGroupError) {
        try await change { () throws(LogGroupError) in
            if let problem = LogGroupName.streamNameProblem(stream) { throw LogGroupError(.invalidParameter, problem) }
            if self.files != nil, let problem = LogGroupFiles.fileNameProblem(stream, what: "log stream name", suffix: LogGroupFiles.streamSuffix) {
                throw LogGroupError(.invalidParameter, problem)
            }
            let found = self.state.withLock { s -> Bool? in s.groups[group].map { $0.streams[stream] != nil } }
            guard let found else { throw LogGroupError.noGroup(group) }
            if found { throw LogGroupError(.resourceAlreadyExists, "The specified log stream already exists: '\(stream)' in log group '\(group)'") }
            try self.files?.append([], group: group, stream: stream)
            let now = self.nowMilliseconds
            self.state.withLock { $0.groups[group]?.streams[stream] = StreamState(info: LogStreamInfo(name: stream, creationTime: now)) }
        }
    }

    /// Appends events to a stream, stamping them with the clock's time as their ingestion time.
    /// - Parameter createStream: create the stream when missing (a rule's delivery does; PutLogEvents does not).
    /// - Throws: `ResourceNotFoundException` (group, or stream without `createStream`),
    ///   `InvalidParameterException` (a bad stream name), `ServiceUnavailableException` (the file could not be written).
    public func put(_ events: [(timestamp: Int64, message: String)], group: String, stream: String, createStream: Bool = false) async throws(LogGroupError) {
        try await change { () throws(LogGroupError) in try self.putNow(events, group: group, stream: stream, createStream: createStream) }
    }

    /// ``put(_:group:stream:createStream:)`` done now when the registry has no folder (no I/O);
    /// `nil` when it has one (use the asynchronous form).
    public func putInMemory(_ events: [(timestamp: Int64, message: String)], group: String, stream: String,
                            createStream: Bool = false) -> Result<Void, LogGroupError>? {
        guard files == nil else { return nil }
        return Result { () throws(LogGroupError) in try putNow(events, group: group, stream: stream, createStream: createStream) }
    }

    private func putNow(_ events: [(timestamp: Int64, message: String)], group: String, stream: String, createStream: Bool) throws(LogGroupError) {
        let found = state.withLock { s -> Bool? in s.groups[group].map { $0.streams[stream] != nil } }
        guard let found else { throw LogGroupError.noGroup(group) }
        if !found {
            guard createStream else { throw LogGroupError.noStream(stream, group: group) }
            if let problem = LogGroupName.streamNameProblem(stream) { throw LogGroupError(.invalidParameter, problem) }
            if files != nil, let problem = LogGroupFiles.fileNameProblem(stream, what: "log stream name", suffix: LogGroupFiles.streamSuffix) {
                throw LogGroupError(.invalidParameter, problem)
            }
        }
        let now = nowMilliseconds
        let stamped = events.map { LogEvent(timestamp: $0.timestamp, ingestionTime: now, message: $0.message) }
        try files?.append(stamped, group: group, stream: stream)
        state.withLock { s in
            guard s.groups[group] != nil else { return }
            if s.groups[group]?.streams[stream] == nil {
                s.groups[group]?.streams[stream] = StreamState(info: LogStreamInfo(name: stream, creationTime: now))
            }
            for event in stamped {
                s.groups[group]?.streams[stream]?.insert(StoredEvent(event: event, sequence: s.nextSequence))
                s.groups[group]?.info.storedBytes += event.message.utf8.count
                s.nextSequence += 1
            }
        }
    }

    // MARK: - Reads

    /// The groups whose names start with `prefix`, by name.
    public func groups(prefix: String = "") -> [LogGroupInfo] {
        state.withLock { s in s.groups.values.map(\.info).filter { $0.name.hasPrefix(prefix) } }.sorted { $0.name < $1.name }
    }

    /// The group named `name`, if any.
    public func group(_ name: String) -> LogGroupInfo? { state.withLock { $0.groups[name]?.info } }

    /// The streams of a group, by name.
    /// - Throws: `ResourceNotFoundException`.
    public func streams(group: String) throws(LogGroupError) -> [LogStreamInfo] {
        let found = state.withLock { s in s.groups[group].map { $0.streams.values.map(\.info) } }
        guard let found else { throw LogGroupError.noGroup(group) }
        return found.sorted { $0.name < $1.name }
    }

    /// The events of a stream in timestamp order.
    /// - Throws: `ResourceNotFoundException` (group or stream).
    public func events(group: String, stream: String) throws(LogGroupError) -> [LogEvent] {
        let now = nowMilliseconds
        let found = state.withLock { s -> [LogEvent]?? in
            s.groups[group].map { g in
                let cutoff = g.info.retentionCutoff(now: now)
                return g.streams[stream].map { stream in stream.events.compactMap { e in e.event.timestamp >= (cutoff ?? .min) ? e.event : nil } }
            }
        }
        guard let inGroup = found else { throw LogGroupError.noGroup(group) }
        guard let events = inGroup else { throw LogGroupError.noStream(stream, group: group) }
        return events
    }

    /// The events of a group's streams (all, those named in `streams`, or those starting with
    /// `streamPrefix`) with `start <= timestamp < end` that `pattern` matches, in timestamp
    /// order across streams (equal timestamps in the order they were stored).
    /// - Throws: `ResourceNotFoundException` (no group).
    public func filter(group: String, streams names: Set<String>? = nil, streamPrefix: String? = nil, start: Int64? = nil, end: Int64? = nil,
                       pattern: LogFilterPattern? = nil) throws(LogGroupError) -> [FilteredLogEvent] {
        let now = nowMilliseconds
        let found = state.withLock { s -> [(String, StoredEvent)]? in
            guard let g = s.groups[group] else { return nil }
            let start = max(start ?? .min, g.info.retentionCutoff(now: now) ?? .min)
            var out: [(String, StoredEvent)] = []
            for (name, stream) in g.streams {
                if let names, !names.contains(name) { continue }
                if let streamPrefix, !name.hasPrefix(streamPrefix) { continue }
                for e in stream.events {
                    if e.event.timestamp < start { continue }
                    if let end, e.event.timestamp >= end { continue }
                    out.append((name, e))
                }
            }
            return out
        }
        guard var found else { throw LogGroupError.noGroup(group) }
        found.sort { ($0.1.event.timestamp, $0.1.sequence) < ($1.1.event.timestamp, $1.1.sequence) }
        return found.compactMap { stream, stored in
            if let pattern, !pattern.matches(stored.event.message) { return nil }
            return FilteredLogEvent(stream: stream, event: stored.event, eventId: String(stored.sequence))
        }
    }

    /// `{GROUP: {"streams": N, "events": N}}` (the state JSON's `logGroups`).
    public func stateJSON() -> JSONValue {
        var o = JSONObject()
        for info in groups() {
            let counts = state.withLock { s in (s.groups[info.name]?.streams.count ?? 0, s.groups[info.name]?.streams.values.reduce(0) { $0 + $1.info.eventCount } ?? 0) }
            o[info.name] = .object(JSONObject([.init(key: "streams", value: .number(JSONNumber(counts.0))),
                                               .init(key: "events", value: .number(JSONNumber(counts.1)))]))
        }
        return .object(o)
    }
}

extension LogGroupRegistry {
    /// The registry of a runtime: `workspace.logsDirectory` (or memory) with the workspace's
    /// declared groups created when missing; unreadable lines of the folder are logged as warnings.
    /// - Throws: ``EventRouterError`` when a declared group cannot be created (its folder cannot be written).
    static func open(workspace: Workspace, clock: any EventClock, log: any LogSink) throws(EventRouterError) -> LogGroupRegistry {
        let registry = LogGroupRegistry(storage: workspace.logsDirectory.map { .directory($0) } ?? .inMemory, clock: clock,
                                        account: workspace.defaults.account, region: workspace.defaults.region)
        for problem in registry.loadProblems { log.log(.warning, "log groups: \(problem)") }
        for declared in workspace.logGroups where registry.group(declared.name) == nil {
            do { try registry.createGroupNow(declared.name, retentionInDays: declared.retentionInDays) } catch {
                throw EventRouterError(.io, "cannot create log group \(declared.name) (declared in \(declared.file)): \(error.message)", underlying: error)
            }
        }
        return registry
    }
}

extension LogGroupRegistry {
    /// Creates the declared groups that do not exist yet (a hot reload); one line per group
    /// created or that could not be.
    public func createDeclared(_ declared: [LogGroupDeclaration]) async -> [String] {
        var lines: [String] = []
        for group in declared where self.group(group.name) == nil {
            do {
                try await createGroup(group.name, retentionInDays: group.retentionInDays)
                lines.append("log group \(group.name) created")
            } catch {
                lines.append("log group \(group.name) could not be created: \(error.message)")
            }
        }
        return lines
    }
}
