/// Runs a stream → function mapping as Lambda does: each shard in order, one batch at a time,
/// decisions by ``KinesisShardStateMachine`` (checkpoint, bisect, retries, record age, the
/// on-failure record), child shards only after their parents are drained.
///
/// A shard's position is its checkpoint: every read starts just after it (or at the starting
/// position), so nothing is lost when a batch is retried. A failed or throttled attempt is
/// retried after ``EventSourceMappingOptions/retryDelay``; bisected halves run at once.
actor KinesisEventSourcePoller: EventSourcePoller {
    /// Where a shard's next read starts.
    enum Position: Sendable, Equatable {
        case trimHorizon
        case atTimestamp(Timestamp)
        case after(String)
    }

    struct ShardProgress: Sendable {
        var position: Position
        var machine: KinesisShardStateMachine
        /// The records of the batch in progress, by sequence number.
        var batch: [String: StreamRecord] = [:]
        /// The (sub-)batch to invoke next.
        var pendingInvoke: [KinesisShardStateMachine.Record]?
        /// No attempt or read before this time (retry delay, read throttling).
        var notBefore: Timestamp?
        /// When the batching window of a short batch started.
        var windowStart: Timestamp?
        var finished = false
    }

    nonisolated let cell: MappingConfigurationCell
    let stream: DataStream
    var runtime: FunctionRuntime { cell.runtime }
    let clock: any EventClock
    let random: SharedRandom
    let sink: any EventTarget
    let options: EventSourceMappingOptions
    private(set) var counters = EventSourceMappingCounters()
    private var stepping = false
    /// Told just before the current step invokes the function.
    private var invoking: (@Sendable () -> Void)?
    private var shards: [String: ShardProgress] = [:]
    /// Whether the checkpoints a data directory restored onto the stream were taken up (first step).
    private var resumed = false

    /// The identity this mapping's checkpoints are kept under on the stream across restarts: the
    /// function and the stream (a workspace mapping's UUID is new at every start).
    var checkpointKey: String { runtime.arn + "|" + stream.arn }

    init(configuration: EventSourceMappingConfiguration, stream: DataStream, runtime: FunctionRuntime, clock: any EventClock,
         random: SharedRandom, sink: any EventTarget, options: EventSourceMappingOptions) {
        self.cell = MappingConfigurationCell(configuration, runtime: runtime)
        self.stream = stream
        self.clock = clock
        self.random = random
        self.sink = sink
        self.options = options
        // The starting position applies to the shards that exist now; LATEST is resolved now.
        var initial: [String: ShardProgress] = [:]
        for shard in stream.snapshot.shards {
            let position: Position
            switch configuration.startingPosition {
            case .trimHorizon: position = .trimHorizon
            case .atTimestamp(let t): position = .atTimestamp(t)
            case .latest: position = shard.lastSequenceNumber.map { .after($0.description) } ?? .trimHorizon
            }
            initial[shard.shardId] = ShardProgress(position: position, machine: Self.machine(configuration, stream.arn, shard.shardId, runtime.manifest))
        }
        shards = initial
    }

    /// Applies new settings to every shard's decisions (their checkpoints and retry counts stay).
    func reconfigure(_ configuration: EventSourceMappingConfiguration, runtime: FunctionRuntime) {
        cell.set(configuration, runtime: runtime)
        for id in shards.keys {
            shards[id]?.machine.configuration = Self.machine(configuration, stream.arn, id, runtime.manifest).configuration
        }
    }

    /// The shard's decisions; its on-failure records name the function with the mapping's
    /// qualifier (an alias or version, none for `$LATEST`) and the version it runs as.
    private static func machine(_ c: EventSourceMappingConfiguration, _ streamArn: String, _ shardId: String, _ function: FunctionManifest) -> KinesisShardStateMachine {
        let qualifier = FunctionManifest.splitQualifier(c.functionArn).qualifier.flatMap { $0 == "$LATEST" ? nil : $0 }
        var sc = KinesisShardStateMachine.Configuration(streamArn: streamArn, shardId: shardId,
                                                        functionArn: function.arn + (qualifier.map { ":" + $0 } ?? ""))
        sc.executedVersion = function.executedVersion(for: qualifier) ?? "$LATEST"
        sc.bisectBatchOnFunctionError = c.bisectBatchOnFunctionError
        sc.maximumRetryAttempts = c.maximumRetryAttempts
        sc.maximumRecordAgeInSeconds = c.maximumRecordAgeInSeconds
        sc.reportBatchItemFailures = c.reportBatchItemFailures
        return KinesisShardStateMachine(configuration: sc)
    }

    func step(invoking: @escaping @Sendable () -> Void) async -> PollStep {
        // The actor is reentrant across the invocation's await: one step at a time keeps batches in order.
        guard !stepping else { return PollStep(didWork: false, pending: true) }
        stepping = true
        self.invoking = invoking
        defer {
            stepping = false
            self.invoking = nil
        }
        let snapshot = stream.snapshot
        if !resumed {
            resumed = true
            for (id, seq) in snapshot.checkpoints[checkpointKey] ?? [:] {
                if shards[id] == nil {
                    shards[id] = ShardProgress(position: .after(seq), machine: Self.machine(configuration, stream.arn, id, runtime.manifest))
                } else {
                    shards[id]?.position = .after(seq)
                }
            }
        }
        let present = Set(snapshot.shards.map(\.shardId))
        var result = PollStep(didWork: false, pending: false)
        for shard in snapshot.shards.sorted(by: { $0.index < $1.index }) {
            if shards[shard.shardId] == nil {
                shards[shard.shardId] = ShardProgress(position: .trimHorizon, machine: Self.machine(configuration, stream.arn, shard.shardId, runtime.manifest))
            }
            guard shards[shard.shardId]?.finished == false else { continue }
            // Children wait until every parent still in the stream is drained.
            let parents = [shard.parentShardId, shard.adjacentParentShardId].compactMap { $0 }.filter { present.contains($0) }
            if parents.contains(where: { shards[$0]?.finished != true }) {
                result.pending = true
                continue
            }
            let s = await step(shard)
            result.didWork = result.didWork || s.didWork
            result.pending = result.pending || s.pending
            result.progress += s.progress
            if let w = s.wakeAt { result.wakeAt = min(result.wakeAt ?? w, w) }
        }
        // Shards that expired from the stream are done.
        for id in shards.keys where !present.contains(id) && shards[id]?.finished == false { shards[id]?.finished = true }
        return result
    }

    /// One attempt or one read on `shard`.
    private func step(_ shard: StreamShard) async -> PollStep {
        let id = shard.shardId
        guard var p = shards[id] else { return PollStep(didWork: false, pending: false) }
        let now = clock.now
        if let notBefore = p.notBefore, now < notBefore { return PollStep(didWork: false, wakeAt: notBefore, pending: true) }
        let delayed = p.notBefore != nil
        p.notBefore = nil
        if p.pendingInvoke != nil {
            // Time passed since the state machine chose this attempt: records may have expired.
            let actions = delayed ? p.machine.resume(now: now) : []
            shards[id] = p
            let progress = await apply(actions, shardId: id)
            guard let records = shards[id]?.pendingInvoke else { return PollStep(didWork: true, pending: true, progress: progress) }
            var s = await attempt(records, shardId: id, now: now)
            s.progress += progress
            return s
        }
        let unread = Self.unread(shard, after: p.position)
        if unread == 0 {
            if shard.status == .closed {
                p.finished = true
                shards[id] = p
                return PollStep(didWork: true, pending: false, progress: 1)
            }
            shards[id] = p
            return PollStep(didWork: false, pending: false)
        }
        let window = Duration.seconds(configuration.maximumBatchingWindowInSeconds)
        if window > .zero && unread < configuration.batchSize && shard.status == .open {
            let start = p.windowStart ?? now
            p.windowStart = start
            shards[id] = p
            if now < start + window { return PollStep(didWork: false, wakeAt: start + window, pending: true) }
        }
        let read: GetRecordsResult
        do {
            let iterator: String
            switch p.position {
            case .trimHorizon: iterator = try stream.shardIterator(shardId: id, type: .trimHorizon)
            case .atTimestamp(let t): iterator = try stream.shardIterator(shardId: id, type: .atTimestamp, timestamp: t)
            case .after(let seq): iterator = try stream.shardIterator(shardId: id, type: .afterSequenceNumber, sequenceNumber: seq)
            }
            read = try stream.getRecords(shardIterator: iterator, limit: configuration.batchSize)
        } catch {
            if error.code != .provisionedThroughputExceeded { counters.sourceErrors += 1 }
            p.notBefore = now + options.retryDelay
            shards[id] = p
            return PollStep(didWork: false, wakeAt: p.notBefore, pending: true)
        }
        p.windowStart = nil
        guard !read.records.isEmpty else {
            shards[id] = p
            return PollStep(didWork: false, pending: false)
        }
        counters.records += read.records.count
        p.batch = Dictionary(read.records.map { ($0.sequenceNumber.description, $0) }, uniquingKeysWith: { a, _ in a })
        let actions = p.machine.start(read.records.map {
            KinesisShardStateMachine.Record(sequenceNumber: $0.sequenceNumber.description, approximateArrivalTimestamp: $0.approximateArrivalTimestamp)
        }, now: now)
        shards[id] = p
        let progress = await apply(actions, shardId: id)
        return PollStep(didWork: true, pending: true, progress: progress)
    }

    /// Invokes the function with `records` and feeds the outcome to the shard's state machine.
    private func attempt(_ records: [KinesisShardStateMachine.Record], shardId id: String, now: Timestamp) async -> PollStep {
        guard let batch = shards[id]?.batch else { return PollStep(didWork: false, pending: false) }
        var full = records.compactMap { batch[$0.sequenceNumber] }
        let filter = MappingFilter.compiled(configuration.filterPatterns)
        if !filter.isEmpty {
            // Records that match no filter are skipped: the batch still checkpoints past them.
            let before = full.count
            full = full.filter { r in
                filter.matches(["partitionKey": .string(r.partitionKey), "sequenceNumber": .string(r.sequenceNumber.description),
                                "kinesisSchemaVersion": "1.0", "data": .string(r.data)], bodyKey: "data")
            }
            counters.discarded += before - full.count
        }
        let requestId = random.uuid()
        let result: InvocationResult
        if full.isEmpty {
            result = .success(.null)
        } else {
            let event = LambdaSourceEvent.kinesis(full, shardId: id, streamArn: stream.arn)
            counters.batches += 1
            invoking?()
            result = await runtime.invoke(event, requestId: requestId)
            runtime.logBatch(of: full.count, from: "\(stream.arn) shard \(id)", requestId: requestId, result: result)
        }
        let later = clock.now
        guard var p = shards[id] else { return PollStep(didWork: true, pending: false) }
        p.pendingInvoke = nil
        let actions = p.machine.attemptEnded(result, requestId: requestId, now: later)
        let throttled = result == .throttled
        if throttled { counters.throttles += 1 }
        if throttled || p.machine.retries > 0 { p.notBefore = later + options.retryDelay }
        shards[id] = p
        let checkpointBefore = shards[id]?.position
        let progress = await apply(actions, shardId: id)
        var bounded = 0
        if Self.failed(result, reportBatchItemFailures: configuration.reportBatchItemFailures) {
            counters.failures += 1
            // With a retry or age limit every failure brings the batch closer to being discarded.
            if configuration.maximumRetryAttempts >= 0 || configuration.maximumRecordAgeInSeconds >= 0 { bounded = 1 }
            let done: String? = if case .after(let s)? = shards[id]?.position, shards[id]?.position != checkpointBefore { s } else { nil }
            counters.failedRecords += records.filter { r in done.map { r.sequenceNumber > $0 } ?? true }.count
        }
        return PollStep(didWork: true, wakeAt: shards[id]?.notBefore, pending: true, progress: progress + bounded)
    }

    /// Carries out the state machine's actions; returns the number of checkpoints taken.
    private func apply(_ actions: [KinesisShardStateMachine.Action], shardId id: String) async -> Int {
        var progress = 0
        for action in actions {
            switch action {
            case .invoke(let records):
                shards[id]?.pendingInvoke = records
            case .checkpoint(let seq):
                shards[id]?.position = .after(seq)
                stream.checkpoint(mapping: checkpointKey, shardId: id, sequenceNumber: seq)
                counters.checkpoints += 1
                progress += 1
            case .discard(let record):
                counters.discarded += record["KinesisBatchInfo"]?["batchSize"]?.intValue ?? 0
                if let destination = configuration.onFailureDestination {
                    counters.onFailureRecords += 1
                    if !(await sink.send(DestinationMessage(kind: .invocationRecord, destinationArn: destination, body: record))) {
                        counters.sourceErrors += 1
                    }
                }
            case .batchDone:
                shards[id]?.pendingInvoke = nil
                shards[id]?.batch = [:]
            }
        }
        return progress
    }

    /// Whether the attempt failed in whole or in part.
    private static func failed(_ result: InvocationResult, reportBatchItemFailures: Bool) -> Bool {
        guard case .success(let response) = result else { return true }
        guard reportBatchItemFailures, let failures = response["batchItemFailures"] else { return false }
        if let list = failures.arrayValue { return !list.isEmpty }
        return !failures.isNull
    }

    /// How many records of `shard` lie after `position`.
    private static func unread(_ shard: StreamShard, after position: Position) -> Int {
        switch position {
        case .trimHorizon: return shard.records.count
        case .atTimestamp(let t): return shard.records.count { $0.approximateArrivalTimestamp >= t }
        case .after(let seq):
            guard let s = SequenceNumber(seq) else { return shard.records.count }
            return shard.records.count - shard.firstIndex(after: s, inclusive: false)
        }
    }

    var detailJSON: JSONValue {
        var o = JSONObject()
        for id in shards.keys.sorted() {
            guard let p = shards[id] else { continue }
            var s = JSONObject()
            switch p.position {
            case .trimHorizon: s["position"] = "TRIM_HORIZON"
            case .atTimestamp(let t): s["position"] = .string("AT_TIMESTAMP \(t.iso8601Milliseconds)")
            case .after(let seq): s["checkpoint"] = .string(seq)
            }
            s["finished"] = .bool(p.finished)
            s["retries"] = .number(JSONNumber(p.machine.retries))
            if let r = p.pendingInvoke { s["pendingRecords"] = .number(JSONNumber(r.count)) }
            o[id] = .object(s)
        }
        return ["shards": .object(o)]
    }
}
