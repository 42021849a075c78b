import Synchronization

/// A Kinesis-like data stream: ``DataStreamState`` behind a lock, with an injected clock.
///
/// Every operation is a short synchronous section, so it is safe to call from any task or thread.
public final class DataStream: Sendable {
    /// The stream's ARN.
    public let arn: String
    /// The stream's name.
    public let name: String
    /// The clock that stamps arrivals, rate windows, retention and iterator expiry.
    public let clock: any EventClock
    private let state: Mutex<DataStreamState>
    /// Signalled after every write that added records (the runtime's wake on a real clock, so an
    /// idle event source mapping reading the stream polls at once).
    let arrivals: WakeSignal?
    /// Where this stream's changes are journaled (set by ``StreamRegistry``; nil: in memory).
    let journal = Mutex<(any StateJournal)?>(nil)

    /// A new stream, created now on `clock`.
    /// - Parameter arrivals: signalled after each write that added records (nil: nobody is told).
    public init(configuration: StreamConfiguration, clock: any EventClock, limits: StreamLimits = .kinesis, arrivals: WakeSignal? = nil) {
        self.arrivals = arrivals
        self.arn = configuration.arn
        self.name = configuration.name
        self.clock = clock
        state = Mutex(DataStreamState(configuration: configuration, limits: limits, now: clock.now))
    }

    /// Wraps an existing state (e.g. restored from a state file).
    public init(state: DataStreamState, clock: any EventClock, arrivals: WakeSignal? = nil) {
        self.arrivals = arrivals
        self.arn = state.configuration.arn
        self.name = state.configuration.name
        self.clock = clock
        self.state = Mutex(state)
    }

    /// Name, shard count at creation, current retention, account and region.
    public var configuration: StreamConfiguration { state.withLock { $0.configuration } }

    /// Runs `body` on the state under the lock, at the clock's current time (retention applied
    /// first): the one entry point for changes the methods below do not name.
    public func update<T>(_ body: (inout DataStreamState, Timestamp) throws(StreamError) -> T) throws(StreamError) -> T {
        let now = clock.now
        let journal = self.journal.withLock { $0 }
        return try state.withLock { (s: inout DataStreamState) throws(StreamError) -> T in
            s.expire(now: now)
            let value = try body(&s, now)
            if let journal { StateJournalTickets.note(journal.submit([Self.putRecord(arn, s)])) }
            return value
        }
    }

    /// Runs `body` on the state under the lock, without journaling it.
    func withState<T>(_ body: (inout DataStreamState) -> T) -> T { state.withLock { body(&$0) } }

    /// A copy of the current state (retention applied).
    public var snapshot: DataStreamState {
        let now = clock.now
        return state.withLock { s in
            s.expire(now: now)
            return s
        }
    }

    /// Changes the throughput limits (e.g. ``StreamLimits/unlimited`` for bulk loads).
    public func setLimits(_ limits: StreamLimits) { state.withLock { $0.limits = limits } }

    /// PutRecord. See ``DataStreamState/putRecord(_:now:)``.
    public func putRecord(data: String, partitionKey: String, explicitHashKey: String? = nil) throws(StreamError) -> PutRecordResult {
        try putRecord(PutRecordsEntry(data: data, partitionKey: partitionKey, explicitHashKey: explicitHashKey))
    }

    /// PutRecord of `entry`. See ``DataStreamState/putRecord(_:now:)``.
    public func putRecord(_ entry: PutRecordsEntry) throws(StreamError) -> PutRecordResult {
        let now = clock.now
        let journal = self.journal.withLock { $0 }
        let result = try state.withLock { (s: inout DataStreamState) throws(StreamError) -> PutRecordResult in
            let result = try s.putRecord(entry, now: now)
            if let journal { StateJournalTickets.note(journal.submit([Self.recordsRecord(arn, [(result, entry)], now)])) }
            return result
        }
        arrivals?.signal()
        return result
    }

    /// PutRecords. See ``DataStreamState/putRecords(_:now:)``.
    public func putRecords(_ entries: [PutRecordsEntry]) throws(StreamError) -> PutRecordsResult {
        let now = clock.now
        let journal = self.journal.withLock { $0 }
        let result = try state.withLock { (s: inout DataStreamState) throws(StreamError) -> PutRecordsResult in
            let result = try s.putRecords(entries, now: now)
            if let journal, result.failedRecordCount < result.records.count {
                var written: [(PutRecordResult, PutRecordsEntry)] = []
                for (r, entry) in zip(result.records, entries) { if case .success(let ok) = r { written.append((ok, entry)) } }
                StateJournalTickets.note(journal.submit([Self.recordsRecord(arn, written, now)]))
            }
            return result
        }
        if result.failedRecordCount < result.records.count { arrivals?.signal() }
        return result
    }

    /// The hook for a rule target: writes `data` (the shaped event text) with `partitionKey` and
    /// reports throttling as a distinct retriable outcome instead of throwing.
    ///
    /// The delivery layer resolves the target's `KinesisParameters.PartitionKeyPath` (a JSONPath
    /// into the event, default: the event's `id`) to the `partitionKey` string before calling this;
    /// a path that resolves to nothing or to a non-string should be a non-retriable target error.
    public func putRecordForTarget(data: String, partitionKey: String) -> StreamPutOutcome {
        do {
            let r = try putRecord(data: data, partitionKey: partitionKey)
            return .success(shardId: r.shardId, sequenceNumber: r.sequenceNumber)
        } catch {
            return StreamPutOutcome(error)
        }
    }

    /// GetShardIterator. See ``DataStreamState/shardIterator(shardId:type:sequenceNumber:timestamp:now:)``.
    public func shardIterator(shardId: String, type: ShardIteratorType, sequenceNumber: String? = nil,
                              timestamp: Timestamp? = nil) throws(StreamError) -> String {
        let now = clock.now
        return try state.withLock { (s: inout DataStreamState) throws(StreamError) -> String in
            try s.shardIterator(shardId: shardId, type: type, sequenceNumber: sequenceNumber, timestamp: timestamp, now: now)
        }
    }

    /// GetRecords. See ``DataStreamState/getRecords(shardIterator:limit:now:)``.
    public func getRecords(shardIterator: String, limit: Int? = nil) throws(StreamError) -> GetRecordsResult {
        let now = clock.now
        return try state.withLock { (s: inout DataStreamState) throws(StreamError) -> GetRecordsResult in
            try s.getRecords(shardIterator: shardIterator, limit: limit, now: now)
        }
    }

    /// SplitShard. See ``DataStreamState/splitShard(shardId:newStartingHashKey:now:)``.
    @discardableResult
    public func splitShard(shardId: String, newStartingHashKey: String) throws(StreamError) -> [String] {
        try update { (s: inout DataStreamState, now) throws(StreamError) -> [String] in
            try s.splitShard(shardId: shardId, newStartingHashKey: newStartingHashKey, now: now)
        }
    }

    /// MergeShards. See ``DataStreamState/mergeShards(shardId:adjacentShardId:now:)``.
    @discardableResult
    public func mergeShards(shardId: String, adjacentShardId: String) throws(StreamError) -> String {
        try update { (s: inout DataStreamState, now) throws(StreamError) -> String in
            try s.mergeShards(shardId: shardId, adjacentShardId: adjacentShardId, now: now)
        }
    }

    /// DescribeStream's answer.
    public func describe() -> JSONValue { snapshot.streamDescription() }

    /// ListShards' answer.
    public func listShards() -> JSONValue { snapshot.listShards() }

    /// This stream's entry in the state JSON.
    public func stateJSON() -> JSONValue { snapshot.stateJSON() }
}
