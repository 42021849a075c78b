/// Owns the pollers of a set of event source mappings and drives them on one clock.
///
/// Build it once the queues, streams and functions exist, then either
/// - drive it deterministically: ``runUntilIdle(on:maxWakeUps:maxDuration:stallWakeUps:)`` on a
///   ``ManualClock`` (tests, `replay --virtual-time`), or ``runDue()`` and ``nextWake()`` when
///   the caller interleaves other timed work on the same clock; or
/// - ``run()`` it on a real clock until its task is cancelled.
///
/// Use one way at a time: a poller takes one step at a time, so a second driver finds a busy
/// poller and moves on.
///
/// Counters per mapping are in ``counters()`` and in ``stateJSON()`` (the value of the state
/// JSON's `"eventSourceMappings"` key).
public actor EventSourceMappingRunner {
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

    private let pollers: [any EventSourcePoller]
    private let clock: any EventClock
    private let options: EventSourceMappingOptions
    private var lastSteps: [PollStep]

    /// The mappings, in declaration order.
    public nonisolated let configurations: [EventSourceMappingConfiguration]

    /// Resolves every mapping's source and function and creates its poller. A stream mapping
    /// with `LATEST` starts after the records present now.
    /// - Parameters:
    ///   - mappings: the parsed `EventSourceMappings` entries (disabled ones are kept but never poll).
    ///   - queues: where queue ARNs are found.
    ///   - streams: where stream ARNs are found.
    ///   - functions: the runtimes functions are invoked with (by ARN or name).
    ///   - sink: where on-failure records of stream mappings go (queues and topics belong to the router).
    ///   - clock: the clock of batching windows, retries and polling.
    ///   - random: request ids.
    ///   - options: retry delay, idle poll interval, payload limit.
    /// - Throws: ``EventSourceMappingError`` naming each mapping (`EventSourceMappings[i]`) whose
    ///   queue, stream or function does not exist.
    public init(
        mappings: [EventSourceMappingConfiguration], queues: QueueRegistry, streams: StreamRegistry, functions: [FunctionRuntime],
        sink: any EventTarget, clock: any EventClock, random: SharedRandom = SharedRandom(seed: 7),
        options: EventSourceMappingOptions = EventSourceMappingOptions()
    ) throws(EventSourceMappingError) {
        let table = Dictionary(functions.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a })
        var pollers: [any EventSourcePoller] = []
        var problems: [EventSourceMappingError.Problem] = []
        for (i, mapping) in mappings.enumerated() {
            let at = "EventSourceMappings[\(i)]"
            guard let runtime = FunctionHost.lookup(mapping.functionArn, in: table) else {
                let known = table.keys.sorted()
                problems.append(.init(key: "\(at).FunctionName", reason: "no function '\(mapping.functionArn)' (\(known.isEmpty ? "there are none" : "known: " + known.joined(separator: ", "))); add Functions/NAME/function.json or fix the name"))
                continue
            }
            switch mapping.source {
            case .queue(let arn, _):
                guard let queue = queues.queue(arn: arn) else {
                    let known = queues.queues.map(\.arn)
                    problems.append(.init(key: "\(at).EventSourceArn", reason: "no queue '\(arn)' (\(known.isEmpty ? "there are none" : "known: " + known.joined(separator: ", "))); declare it under \"Queues\" or fix the ARN"))
                    continue
                }
                pollers.append(SQSEventSourcePoller(configuration: mapping, queue: queue, runtime: runtime, clock: clock, random: random, options: options))
            case .stream(let arn):
                let stream: DataStream
                do {
                    stream = try streams.stream(arn)
                } catch {
                    problems.append(.init(key: "\(at).EventSourceArn", reason: error.message))
                    continue
                }
                pollers.append(KinesisEventSourcePoller(configuration: mapping, stream: stream, runtime: runtime, clock: clock, random: random, sink: sink, options: options))
            }
        }
        if !problems.isEmpty { throw EventSourceMappingError(problems: problems) }
        self.pollers = pollers
        self.clock = clock
        self.options = options
        self.configurations = mappings
        self.lastSteps = mappings.map { _ in PollStep(didWork: false, pending: false) }
    }

    /// The same, with the runtimes of a ``FunctionHost``.
    public init(
        mappings: [EventSourceMappingConfiguration], queues: QueueRegistry, streams: StreamRegistry, functions: FunctionHost,
        sink: any EventTarget, clock: any EventClock, random: SharedRandom = SharedRandom(seed: 7),
        options: EventSourceMappingOptions = EventSourceMappingOptions()
    ) throws(EventSourceMappingError) {
        try self.init(mappings: mappings, queues: queues, streams: streams, functions: Array(functions.runtimes.values),
                      sink: sink, clock: clock, random: random, options: options)
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
    @discardableResult
    public func runDue() async -> Int {
        var progress = 0
        var rounds = 0
        while true {
            var didWork = false
            for (i, poller) in pollers.enumerated() where poller.configuration.enabled {
                let s = await poller.step()
                lastSteps[i] = s
                progress += s.progress
                didWork = didWork || s.didWork
            }
            rounds += 1
            if !didWork || rounds > 100_000 { return progress }
        }
    }

    /// When the earliest mapping next has something to do (as of the last ``runDue()``), or nil.
    public func nextWake() -> Timestamp? {
        lastSteps.enumerated().compactMap { i, s in configurations[i].enabled ? s.wakeAt : nil }.min()
    }

    /// Whether any enabled mapping's source still holds work (as of the last ``runDue()``).
    public var hasPendingWork: Bool { !pendingMappings.isEmpty }

    private var pendingMappings: [String] {
        lastSteps.enumerated().compactMap { i, s in configurations[i].enabled && s.pending ? configurations[i].name : nil }
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
        var wakeUps = 0
        var stalled = 0
        while true {
            let progress = await runDue()
            stalled = progress > 0 ? 0 : stalled + (wakeUps > 0 ? 1 : 0)
            let pending = pendingMappings
            func summary(_ reason: StopReason) -> RunSummary {
                RunSummary(reason: reason, wakeUps: wakeUps, elapsed: clock.now - start, pendingMappings: pending)
            }
            guard let wake = nextWake() else { return summary(pending.isEmpty ? .drained : .blocked) }
            if stalled >= stallWakeUps { return summary(.blocked) }
            let target = max(wake, clock.now + .milliseconds(1))
            if wakeUps >= maxWakeUps || target - start > maxDuration { return summary(.limitReached) }
            clock.advance(to: target)
            wakeUps += 1
        }
    }

    /// Polls on the runner's clock until the calling task is cancelled: each mapping runs in its
    /// own task, sleeping until its next wake-up or ``EventSourceMappingOptions/idlePollInterval``.
    public func run() async {
        let clock = self.clock, idle = options.idlePollInterval
        await withTaskGroup(of: Void.self) { group in
            for poller in pollers where poller.configuration.enabled {
                group.addTask {
                    while !Task.isCancelled {
                        let s = await poller.step()
                        if s.didWork { continue }
                        let now = clock.now
                        let until = min(s.wakeAt ?? now + idle, now + idle)
                        do { try await clock.sleep(until: max(until, now + .milliseconds(1))) } catch { return }
                    }
                }
            }
        }
    }

    /// The counters of every mapping, in declaration order.
    public func counters() async -> [(mapping: EventSourceMappingConfiguration, counters: EventSourceMappingCounters)] {
        var out: [(EventSourceMappingConfiguration, EventSourceMappingCounters)] = []
        for poller in pollers { out.append((poller.configuration, await poller.counters)) }
        return out
    }

    /// The `"eventSourceMappings"` value of the state JSON: a list, in declaration order, of
    /// `{"EventSourceArn", "FunctionArn", "Enabled", "BatchSize", …settings, "counters": {…}, "state": {…}}`.
    public func stateJSON() async -> JSONValue {
        var list: [JSONValue] = []
        for poller in pollers {
            guard case .object(var o) = poller.configuration.settingsJSON else { continue }
            o["counters"] = await poller.counters.json
            o["state"] = await poller.detailJSON
            list.append(.object(o))
        }
        return .array(list)
    }
}
