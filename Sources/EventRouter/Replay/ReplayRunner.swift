import Foundation

/// `eventrouter replay`: reads events (full envelopes or PutEvents entries; NDJSON, a JSON array
/// or one object, see ``ReplayInput``), puts each on its bus, runs until every delivery
/// settles, and reports a ``ReplaySummary``.
public enum ReplayRunner {
    /// How to run a replay.
    public struct Options: Sendable {
        /// Settle on a manual clock that jumps to the next deadline (`--virtual-time`).
        public var virtualTime: Bool
        /// Jitter and id seed; `nil` picks one from the system clock (printed in the summary).
        public var seed: UInt64?
        /// Receives `--trace` lines when set.
        public var trace: (@Sendable (String) -> Void)?
        /// Router settings (event size limit, backoff).
        public var configuration: Router.Configuration
        /// The compiled-in Swift handlers of the workspace's Swift functions.
        public var functionRegistry: SwiftFunctionRegistry
        /// Bounds on settling under virtual time.
        public var settleLimits: SettleLimits
        /// The clock of function timeouts (default: real time; tests may pass a manual clock).
        public var functionTimeoutClock: (any EventClock)?
        /// Stop the functions' engines and worker processes once settled (default). Set it to
        /// false to keep using the runtime (e.g. for an archive replay), then call ``RouterRuntime/shutdown()``.
        public var shutdownWhenSettled = true
        /// How fast to put the events (`--pace`; default `max`, no waiting).
        public var pace: ReplayPace = .max
        /// Gives every event a top-level `replay-name` (`--replay-name`): archives skip them.
        public var replayName: String?
        /// Makes the progress display, given the number of events (`nil`: none).
        public var progress: (@Sendable (_ total: Int) -> ReplayProgressReporter)?
        /// Where a virtual clock starts (`--start`; default: the first event's time with a pace,
        /// else 2024-01-01T00:00:00Z).
        public var start: Timestamp?
        /// Run the clock to this time before settling (`--until`): scheduled rules fire at every
        /// scheduled minute from the clock's start to it, even when there are no events.
        public var until: Timestamp?
        /// Receives the runtime's log records (with `trace`, function and mapping records are traced too).
        public var log: (any LogSink)?

        public init(virtualTime: Bool = true, seed: UInt64? = nil, trace: (@Sendable (String) -> Void)? = nil,
                    configuration: Router.Configuration = .init(), functionRegistry: SwiftFunctionRegistry = SwiftFunctionRegistry(),
                    settleLimits: SettleLimits = .init(), functionTimeoutClock: (any EventClock)? = nil) {
            self.virtualTime = virtualTime
            self.seed = seed
            self.trace = trace
            self.configuration = configuration
            self.functionRegistry = functionRegistry
            self.settleLimits = settleLimits
            self.functionTimeoutClock = functionTimeoutClock
        }
    }

    /// Replays the file at `path`.
    /// - Throws: ``EventRouterError`` (`IOError`) when the file cannot be read, saying why;
    ///   `InvalidInput` when it starts with `[` but is not a JSON array.
    public static func run(file path: String, workspace: Workspace, options: Options) async throws(EventRouterError) -> (ReplaySummary, RouterRuntime) {
        try await run(bytes: try readEventsFile(path), workspace: workspace, options: options)
    }

    /// Replays events given as text (any shape ``ReplayInput`` reads).
    public static func run(text: String, workspace: Workspace, options: Options) async throws(EventRouterError) -> (ReplaySummary, RouterRuntime) {
        try await run(bytes: Array(text.utf8), workspace: workspace, options: options)
    }

    /// Replays events given as bytes (any shape ``ReplayInput`` reads).
    public static func run(bytes: [UInt8], workspace: Workspace, options: Options) async throws(EventRouterError) -> (ReplaySummary, RouterRuntime) {
        try await run(input: try ReplayInput(bytes: bytes), workspace: workspace, options: options)
    }

    /// Replays the events of `input`.
    public static func run(input: ReplayInput, workspace: Workspace, options: Options) async throws(EventRouterError) -> (ReplaySummary, RouterRuntime) {
        let seed = options.seed ?? UInt64(truncatingIfNeeded: SystemClock().now.nanosecondsSinceEpoch)
        let clock: DriveClock
        if options.virtualTime {
            // A paced virtual replay starts at the first event's time, so receipt times follow the events'.
            let first = options.pace == .max ? nil : (0..<input.count).lazy.compactMap { try? input.value(at: $0).get() }.compactMap(ReplayPacer.time(ofLine:)).first
            let manual = (options.start ?? first).map { ManualClock(start: $0) } ?? ManualClock()
            clock = .virtual(manual)
        } else {
            clock = .real(SystemClock())
        }
        // Schedules fire only in a window the replay is given (`--until`), from the clock's start.
        let window: ScheduleWindow = options.until.map { .window(start: clock.eventClock.now, until: $0) } ?? .off
        let tracer = options.trace.map { ReplayTracer(sink: $0) }
        let failures = ReplayFailureLog()
        let runtime = try RouterRuntime(
            workspace: workspace, clock: clock, seed: seed, configuration: options.configuration,
            observer: tracer.map { t in { @Sendable e in t.delivery(e) } },
            matchObserver: tracer.map { t in { @Sendable e, bus, rules in t.matched(e, busArn: bus, rules: rules) } },
            functionRegistry: options.functionRegistry, functionTimeoutClock: options.functionTimeoutClock,
            log: FanOutLogSink(([failures, options.log, tracer] as [(any LogSink)?]).compactMap { $0 }), schedules: window)
        let router = runtime.router
        var summary = ReplaySummary()
        summary.seed = seed
        let start = router.clock.now

        let progress = options.progress?(input.count)
        var pacer = ReplayPacer(pace: options.pace)
        for index in 0..<input.count {
            let lineNumber = input.line(at: index)
            let value = input.value(at: index)
            if options.pace != .max {
                let due = start + pacer.offset(for: (try? value.get()).flatMap(ReplayPacer.time(ofLine:)))
                if due > router.clock.now { await runtime.run(until: due, limits: options.settleLimits) }
            }
            summary.eventsRead += 1
            tracer?.setLine(lineNumber)
            let reason: String?
            switch value {
            case .failure(let error): reason = "malformed JSON: \(error)"
            case .success(let json): reason = put(json, itemName: input.itemName, router: router, workspace: workspace, replayName: options.replayName)
            }
            if let reason { summary.rejected.append(.init(line: lineNumber, reason: reason)) }
            progress?.update(done: summary.eventsRead)
        }
        progress?.finish(done: summary.eventsRead)
        if let until = options.until, until > router.clock.now {
            // The window is the user's: a long one is allowed past the usual bound on virtual time.
            var limits = options.settleLimits
            let span = until - start + .seconds(86_400)
            if span > limits.maximumVirtualTime { limits.maximumVirtualTime = span }
            let ran = await runtime.run(until: until, limits: limits)
            if let problem = ran.problem { summary.settleProblem = problem }
        }
        let settled = await runtime.settle(limits: options.settleLimits)
        if options.shutdownWhenSettled { await runtime.shutdown() }
        summary.settleProblem = summary.settleProblem ?? settled.problem
        summary.functions = runtime.functions.runtimes.values.sorted { $0.arn < $1.arn }.map(FunctionSummary.init(runtime:))
        summary.streams = runtime.streams.all.map(StreamSummary.init(stream:))
        summary.eventSourceMappings = await runtime.eventSourceMappings.counters().map { MappingSummary(name: $0.mapping.name, counters: $0.counters) }
        for topic in runtime.topics.topics {
            summary.topics.append(TopicSummary(arn: topic.arn, name: topic.configuration.name, statistics: await topic.statistics))
        }
        summary.destinationFailures = failures.destinationFailures
        summary.deadLetterFailures = failures.deadLetterFailures
        let stats = router.statistics
        summary.accepted = stats.accepted
        summary.matched = stats.matchedEvents
        summary.ruleMatches = stats.ruleMatches
        summary.deliveries = router.scheduler.statistics
        summary.elapsed = router.clock.now - start
        summary.scheduledFirings = runtime.schedules?.firings ?? 0
        summary.standIn = runtime.standIn.map { ($0.queueArn, $0.deliveries) }
        return (summary, runtime)
    }

    /// Puts one event; returns why it was rejected, if it was.
    static func put(_ json: JSONValue, itemName: String, router: Router, workspace: Workspace, replayName: String? = nil) -> String? {
        guard case .object(let object) = json else { return "each \(itemName) must be a JSON object (an event envelope or a PutEvents entry), not \(json.kindName)" }
        let isEntry = object.keys.contains { PutEventsEntry.keys.contains($0) }
        do {
            if isEntry {
                let entry = try PutEventsEntry(json: json)
                if let replayName {
                    switch router.makeEvent(entry, now: router.clock.now) {
                    case .failure(let e): return "\(e.code): \(e.message)"
                    case .success(let (event, busArn)): try router.put(event.replayed(as: replayName), onBus: busArn)
                    }
                    return nil
                }
                let result = try router.putEvents([entry])
                if let e = result.entries.first, let code = e.errorCode { return "\(code): \(e.errorMessage ?? "")" }
            } else {
                var event = try Event(envelope: json, defaults: workspace.defaults, now: router.clock.now, random: router.random)
                if let replayName { event = event.replayed(as: replayName) }
                try router.put(event)
            }
        } catch {
            return error.message
        }
        return nil
    }
}
