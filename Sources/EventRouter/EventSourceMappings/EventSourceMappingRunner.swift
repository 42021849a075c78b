/// Owns the pollers of a set of event source mappings and drives them on one clock.
///
/// Build it once the queues, streams and functions exist, then either
/// - drive it deterministically: ``runUntilIdle(on:maxWakeUps:maxDuration:stallWakeUps:)`` on a
///   ``ManualClock`` (tests, `replay --virtual-time`), or ``runDue()`` and ``nextWake()`` when
///   the caller interleaves other timed work on the same clock; or
/// - ``run()`` it on a real clock until its task is cancelled.
///
/// Either way a ``TimeDriver`` drives it: the runner is a ``TimedComponent`` (a poller).
///
/// Use one way at a time: a poller takes one step at a time, so a second driver finds a busy
/// poller and moves on.
///
/// Counters per mapping are in ``counters()`` and in ``stateJSON()`` (the value of the state
/// JSON's `"eventSourceMappings"` key).
public actor EventSourceMappingRunner: TimedComponent {
    /// Why ``runUntilIdle(on:maxWakeUps:maxDuration:stallWakeUps:)`` stopped.
    public enum StopReason: String, Sendable, Equatable {
        /// Every source of an enabled mapping is drained: no messages, no unread or unfinished records.
        case drained
        /// Work remains that nothing will move on its own (a stream shard retrying a failing
        /// batch forever, a queue message failing without a dead-letter queue), detected as
        /// `stallWakeUps` wake-ups in a row without progress, or pending work with no wake-up time.
        case blocked
        /// `maxWakeUps` or `maxDuration` was reached first.
        case limitReached
    }

    /// The outcome of ``runUntilIdle(on:maxWakeUps:maxDuration:stallWakeUps:)``.
    public struct RunSummary: Sendable, Equatable {
        public var reason: StopReason
        /// How often the clock was advanced.
        public var wakeUps: Int
        /// Virtual time spent.
        public var elapsed: Duration
        /// Names of the mappings whose sources still hold work.
        public var pendingMappings: [String]
    }

    /// How the mappings' batches run relative to each other.
    public enum BatchConcurrency: Sendable {
        /// ``runDue()`` steps the mappings one after the other and returns when none has more
        /// to do now: reproducible, for virtual time (a virtual clock never moves while a
        /// handler runs anyway).
        case stepped
        /// Each mapping's step (with its in-flight batch) is a child task of the runner's group:
        /// ``runDue()`` starts the mappings that are not busy and returns at once; a step that
        /// ends signals `wake`, and a mapping that did work is stepped again at once. A slow
        /// handler in one mapping delays no other mapping (the real clock).
        case concurrent(wake: WakeSignal)
    }

    /// The mappings, in creation order (workspace mappings first).
    var entries: [MappingEntry] = []
    let clock: any EventClock
    let options: EventSourceMappingOptions
    var concurrency: BatchConcurrency
    /// Concurrent mode: the group the steps run in, the mappings whose step is in flight (by
    /// UUID), and the progress of steps that ended since the last ``runDue()``.
    private var group: OwnedTaskGroup?
    private var inFlight: Set<String> = []
    private var endedProgress = 0
    /// What new mappings are resolved against (``create(_:)``).
    let queues: QueueRegistry
    let streams: StreamRegistry
    let functionTable: [String: FunctionRuntime]
    let sink: any EventTarget
    let random: SharedRandom
    /// Where mappings created through the API are journaled (with a data directory).
    nonisolated let journal: FunctionJournal

    /// The mappings' configurations now, in creation order.
    public var configurations: [EventSourceMappingConfiguration] { entries.map(\.poller.configuration) }

    /// Resolves every mapping's source and function and creates its poller. A stream mapping
    /// with `LATEST` starts after the records present now. Each mapping gets a UUID (from `random`).
    /// - Parameters:
    ///   - mappings: the parsed `EventSourceMappings` entries (disabled ones are kept but never poll).
    ///   - queues: where queue ARNs are found.
    ///   - streams: where stream ARNs are found.
    ///   - functions: the runtimes functions are invoked with (by ARN or name).
    ///   - sink: where on-failure records of stream mappings go (queues and topics belong to the router).
    ///   - clock: the clock of batching windows, retries and polling.
    ///   - random: request ids and mapping UUIDs.
    ///   - options: retry delay, idle poll interval, payload limit.
    /// - Throws: ``EventSourceMappingError`` naming each mapping (`EventSourceMappings[i]`) whose
    ///   queue, stream or function does not exist.
    public init(
        mappings: [EventSourceMappingConfiguration], queues: QueueRegistry, streams: StreamRegistry, functions: [FunctionRuntime],
        sink: any EventTarget, clock: any EventClock, random: SharedRandom = SharedRandom(seed: 7),
        options: EventSourceMappingOptions = EventSourceMappingOptions(), concurrency: BatchConcurrency = .stepped,
        journal: FunctionJournal = FunctionJournal()
    ) throws(EventSourceMappingError) {
        self.journal = journal
        self.functionTable = Dictionary(functions.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a })
        self.queues = queues
        self.streams = streams
        self.sink = sink
        self.random = random
        self.clock = clock
        self.options = options
        self.concurrency = concurrency
        var entries: [MappingEntry] = []
        var problems: [EventSourceMappingError.Problem] = []
        for (i, mapping) in mappings.enumerated() {
            switch Self.makePoller(mapping, at: "EventSourceMappings[\(i)]", queues: queues, streams: streams, functions: functionTable,
                                   sink: sink, clock: clock, random: random, options: options) {
            case .success(let poller):
                entries.append(MappingEntry(uuid: random.uuid(), poller: poller, lastModified: clock.now))
            case .failure(let error):
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw EventSourceMappingError(problems: problems) }
        self.entries = entries
    }

    /// The poller of `mapping`, or the problem (keyed `at.FunctionName` / `at.EventSourceArn`)
    /// when its function, queue or stream does not exist.
    static func makePoller(
        _ mapping: EventSourceMappingConfiguration, at: String, queues: QueueRegistry, streams: StreamRegistry,
        functions table: [String: FunctionRuntime], sink: any EventTarget, clock: any EventClock, random: SharedRandom,
        options: EventSourceMappingOptions
    ) -> Result<any EventSourcePoller, EventSourceMappingError> {
        func problem(_ key: String, _ reason: String) -> Result<any EventSourcePoller, EventSourceMappingError> {
            .failure(EventSourceMappingError(problems: [.init(key: at.isEmpty ? key : "\(at).\(key)", reason: reason)]))
        }
        guard let runtime = FunctionHost.lookup(mapping.functionArn, in: table) else {
            let known = table.keys.sorted()
            return problem("FunctionName", "no function '\(mapping.functionArn)' (\(known.isEmpty ? "there are none" : "known: " + known.joined(separator: ", "))); add Functions/NAME/function.json or fix the name")
        }
        switch mapping.source {
        case .queue(let arn, _):
            guard let queue = queues.queue(arn: arn) else {
                let known = queues.queues.map(\.arn)
                return problem("EventSourceArn", "no queue '\(arn)' (\(known.isEmpty ? "there are none" : "known: " + known.joined(separator: ", "))); declare it under \"Queues\" or fix the ARN")
            }
            return .success(SQSEventSourcePoller(configuration: mapping, queue: queue, runtime: runtime, clock: clock, random: random, options: options))
        case .stream(let arn):
            do {
                let stream = try streams.stream(arn)
                return .success(KinesisEventSourcePoller(configuration: mapping, stream: stream, runtime: runtime, clock: clock, random: random, sink: sink, options: options))
            } catch {
                return problem("EventSourceArn", error.message)
            }
        }
    }

    /// The same, with the runtimes of a ``FunctionHost``.
    public init(
        mappings: [EventSourceMappingConfiguration], queues: QueueRegistry, streams: StreamRegistry, functions: FunctionHost,
        sink: any EventTarget, clock: any EventClock, random: SharedRandom = SharedRandom(seed: 7),
        options: EventSourceMappingOptions = EventSourceMappingOptions(), concurrency: BatchConcurrency = .stepped
    ) throws(EventSourceMappingError) {
        try self.init(mappings: mappings, queues: queues, streams: streams, functions: Array(functions.runtimes.values),
                      sink: sink, clock: clock, random: random, options: options, concurrency: concurrency, journal: functions.journal)
    }

    /// The runner of every mapping a workspace declares (``Workspace/eventSourceMappings()``),
    /// with the runtimes of a ``FunctionHost``: what the workspace loader calls once the
    /// workspace's queues, streams and functions exist.
    public init(
        workspace: Workspace, queues: QueueRegistry, streams: StreamRegistry, functions: FunctionHost,
        sink: any EventTarget, clock: any EventClock, random: SharedRandom = SharedRandom(seed: 7),
        options: EventSourceMappingOptions = EventSourceMappingOptions()
    ) throws(EventSourceMappingError) {
        try self.init(mappings: workspace.eventSourceMappings(), queues: queues, streams: streams, functions: functions,
                      sink: sink, clock: clock, random: random, options: options)
    }

    /// Steps every enabled mapping at the current time until none has anything more to do now.
    /// - Returns: the progress made (messages and records that left their sources for good).
    /// With ``BatchConcurrency/concurrent(wake:)``: starts every enabled mapping that is not
    /// busy and returns the progress of the steps that ended since the last call.
    @discardableResult
    public func runDue() async -> Int {
        if case .concurrent(let wake) = concurrency {
            // Each step ends (an idle poll) or reaches its invocation before the driver looks
            // at the status: a mapping that holds a batch then counts as pending, an idle one not.
            var reached: [OneShot<Void>] = []
            for entry in entries where entry.poller.configuration.enabled && !inFlight.contains(entry.uuid) {
                reached.append(launch(entry, wake: wake))
            }
            for r in reached { _ = await r.wait() }
            defer { endedProgress = 0 }
            return endedProgress
        }
        var progress = 0
        var rounds = 0
        while true {
            var didWork = false
            for entry in entries where entry.poller.configuration.enabled {
                let s = await entry.poller.step()
                record(s, for: entry.uuid)
                progress += s.progress
                didWork = didWork || s.didWork
            }
            rounds += 1
            if !didWork || rounds > 100_000 { return progress }
        }
    }

    /// Records the last step of mapping `uuid` (if it still exists).
    private func record(_ step: PollStep, for uuid: String) {
        if let i = entries.firstIndex(where: { $0.uuid == uuid }) { entries[i].lastStep = step }
    }

    /// Starts a mapping's step as a child of the runner's group; `busy`: an earlier step of
    /// this run of steps did work.
    /// The returned signal is resolved when the step ends or is about to invoke the function.
    @discardableResult
    private func launch(_ entry: MappingEntry, wake: WakeSignal, busy: Bool = false) -> OneShot<Void> {
        let group = self.group ?? OwnedTaskGroup()
        self.group = group
        let poller = entry.poller, uuid = entry.uuid
        let reached = OneShot<Void>()
        inFlight.insert(uuid)
        let added = group.add {
            let step = await poller.step { reached.resolve(()) }
            await self.stepEnded(uuid, step, wake: wake, busy: busy)
            reached.resolve(())
        }
        if !added {
            inFlight.remove(uuid)
            reached.resolve(())
        }
        return reached
    }

    /// A concurrent step ended: record it and step the mapping again at once if it did work.
    /// When a run of steps that did work ends, the driver is told (it settles, or routes what
    /// the batches produced); an idle poll tells it nothing, so polling never spins.
    private func stepEnded(_ uuid: String, _ step: PollStep, wake: WakeSignal, busy: Bool) {
        inFlight.remove(uuid)
        record(step, for: uuid)
        endedProgress += step.progress
        if step.didWork && !Task.isCancelled, let entry = entries.first(where: { $0.uuid == uuid }) {
            launch(entry, wake: wake, busy: true)
        } else if busy || step.progress > 0 {
            wake.signal()
        }
    }

    /// When the earliest mapping next has something to do (as of the last ``runDue()``), or nil;
    /// mappings with a batch in flight wake when it ends.
    public func nextWake() -> Timestamp? {
        entries.compactMap { e in e.poller.configuration.enabled && !inFlight.contains(e.uuid) ? e.lastStep.wakeAt : nil }.min()
    }

    /// Whether any enabled mapping's source still holds work (as of the last ``runDue()``).
    public var hasPendingWork: Bool { !pendingMappings.isEmpty }

    private var pendingMappings: [String] {
        entries.compactMap { e in
            let c = e.poller.configuration
            return c.enabled && (e.lastStep.pending || inFlight.contains(e.uuid)) ? c.name : nil
        }
    }

    /// Runs every due step, advances `clock` to the next wake-up, and repeats until every source
    /// is drained, only blocked work remains, or a bound is reached.
    /// - Parameters:
    ///   - clock: the manual clock the runner was built with.
    ///   - maxWakeUps: the most clock advances.
    ///   - maxDuration: the most virtual time to spend.
    ///   - stallWakeUps: wake-ups in a row without progress after which the remaining work counts as blocked.
    @discardableResult
    public func runUntilIdle(on clock: ManualClock, maxWakeUps: Int = 100_000, maxDuration: Duration = .seconds(14 * 86_400),
                             stallWakeUps: Int = 2_000) async -> RunSummary {
        let start = clock.now
        let limits = SettleLimits(maximumClockJumps: maxWakeUps, maximumVirtualTime: maxDuration, maximumStalledPolls: stallWakeUps)
        let report = await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [self]).settle(limits: limits)
        let reason: StopReason
        switch report.stop {
        case .settled: reason = pendingMappings.isEmpty ? .drained : .blocked
        case .idle, .stalled, .stopped: reason = .blocked
        case .jumpLimit, .timeLimit: reason = .limitReached
        }
        return RunSummary(reason: reason, wakeUps: report.clockJumps, elapsed: clock.now - start, pendingMappings: pendingMappings)
    }

    public nonisolated var timedRole: TimedRole { .poller }

    public func runDue(at now: Timestamp) async -> Int { await runDue() }

    /// Mappings whose sources hold work, and the next wake-up (never earlier than 1 ms from `now`).
    public func timedStatus(at now: Timestamp) async -> TimedStatus {
        TimedStatus(pending: pendingMappings.count, nextDeadline: nextWake().map { max($0, now + .milliseconds(1)) })
    }

    /// Polls on the runner's clock until the calling task is cancelled: a ``TimeDriver`` steps
    /// the mappings when one is due, and at least every ``EventSourceMappingOptions/idlePollInterval``.
    /// Batches run concurrently (``BatchConcurrency/concurrent(wake:)``) while it runs; when it
    /// ends, batches still in flight are cancelled and waited for.
    public func run() async {
        let previous = concurrency
        let wake: WakeSignal
        if case .concurrent(let given) = previous { wake = given } else { wake = WakeSignal() }
        concurrency = .concurrent(wake: wake)
        let polling = IdlePolling(runner: self, interval: options.idlePollInterval)
        try? await TimeDriver(clock: .real(clock), wake: wake, components: [polling]).run()
        await stopBatches()
        concurrency = previous
    }

    /// Cancels the batches in flight (concurrent mode) and waits until their steps have ended.
    public func stopBatches() async {
        guard let group else { return }
        self.group = nil
        group.cancelAll()
        await group.drained()
        inFlight.removeAll()
    }

    /// The counters of every mapping, in declaration order.
    public func counters() async -> [(mapping: EventSourceMappingConfiguration, counters: EventSourceMappingCounters)] {
        var out: [(EventSourceMappingConfiguration, EventSourceMappingCounters)] = []
        for entry in entries { out.append((entry.poller.configuration, await entry.poller.counters)) }
        return out
    }

    /// The `"eventSourceMappings"` value of the state JSON: a list, in declaration order, of
    /// `{"EventSourceArn", "FunctionArn", "Enabled", "BatchSize", …settings, "counters": {…}, "state": {…}}`.
    public func stateJSON() async -> JSONValue {
        var list: [JSONValue] = []
        for entry in entries {
            let poller = entry.poller
            guard case .object(var o) = poller.configuration.settingsJSON else { continue }
            o["counters"] = await poller.counters.json
            o["state"] = await poller.detailJSON
            list.append(.object(o))
        }
        return .array(list)
    }
}

/// The runner, polled at least every `interval` even when no mapping has a wake-up (new
/// messages may arrive in a source at any time).
private struct IdlePolling: TimedComponent {
    let runner: EventSourceMappingRunner
    let interval: Duration

    var timedRole: TimedRole { .poller }

    func runDue(at now: Timestamp) async -> Int { await runner.runDue(at: now) }

    func timedStatus(at now: Timestamp) async -> TimedStatus {
        var status = await runner.timedStatus(at: now)
        status.nextDeadline = min(status.nextDeadline ?? now + interval, now + interval)
        return status
    }
}
