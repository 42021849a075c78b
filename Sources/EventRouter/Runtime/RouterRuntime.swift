/// A router with its resources built from a workspace: queues, streams, functions, their
/// targets, and the state JSON of the contract. What `replay` (and later `serve`) runs.
public struct RouterRuntime: Sendable {
    public let router: Router
    public let queues: QueueRegistry
    /// The workspace's Kinesis data streams.
    public let streams: StreamRegistry
    /// The workspace's SNS topics.
    public let topics: TopicRegistry
    /// The workspace's functions with their asynchronous engines.
    public let functions: FunctionHost
    /// The event source mappings (queue → function, stream → function).
    public let eventSourceMappings: EventSourceMappingRunner
    /// Where the functions' invocation records and dead-letter messages go.
    public let destinations: DestinationFailureLog
    /// The one registry every delivery resolves its ARN in (queues, streams, functions, topics, buses).
    public var targets: TargetRegistry { router.targets }
    /// Archive replays (StartReplay), put by the driver (see ``ArchiveReplayRunner/run(_:runtime:)``).
    public let archiveReplays: ArchiveReplays
    /// With `--stand-in-queue`: the stand-in for targets EventRouter does not run (``StandInTarget``).
    public let standIn: StandInTarget?
    /// Fires the scheduled rules (`nil` when the runtime's ``ScheduleWindow`` is off).
    public let schedules: ScheduleRunner?
    /// Firehose delivery streams (`DeliveryStreams`), written to `workspace.objectStoreDirectory` or kept in memory.
    public let deliveryStreams: DeliveryStreamRegistry
    /// Connections and API destinations (`Connections`, `ApiDestinations`; the API's on `run`).
    public let apiDestinations: ApiDestinationRegistry
    /// Tags, descriptions and times of the resources made through the EventBridge API, and their journal.
    public let resourceMetadata = ResourceMetadata()
    /// CloudWatch Logs log groups (rule targets of the `logs` service), in memory or in `workspace.logsDirectory`.
    public let logGroups: LogGroupRegistry
    /// The one driver of time: delivery, functions, topic retries, event source mappings,
    /// archive replays and queue timers on the runtime's one clock (see ``settle(limits:)``).
    public let driver: TimeDriver

    /// Builds the queues, streams and functions of `workspace` and a router over them.
    /// - Parameters:
    ///   - functionRegistry: the compiled-in Swift handlers (e.g. `CompiledFunctions.registry()`).
    ///   - functionTimeoutClock: the clock of function timeouts and durations (default: the
    ///     system clock under virtual time, since handlers run in real time; otherwise `clock`).
    ///   - log: the one log sink of the runtime: function invocations, retries, destinations,
    ///     event source mapping batches and destination failures are logged there.
    /// - Throws: ``EventRouterError`` when a resource cannot be created or a Swift function's
    ///   handler is not compiled in (the validator normally catches these first).
    public init(workspace: Workspace, clock: any EventClock, seed: UInt64, configuration: Router.Configuration = .init(),
                observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil, matchObserver: Router.MatchObserver? = nil,
                functionRegistry: SwiftFunctionRegistry = SwiftFunctionRegistry(),
                functionTimeoutClock: (any EventClock)? = nil, log: any LogSink = DiscardingLogSink()) throws(EventRouterError) {
        try self.init(workspace: workspace, clock: .real(clock), seed: seed, configuration: configuration, observer: observer,
                      matchObserver: matchObserver, functionRegistry: functionRegistry, functionTimeoutClock: functionTimeoutClock, log: log)
    }

    /// The same on `drive`: the one place the runtime's clock is chosen. With a virtual clock,
    /// function engines sleep on a ``SettleClock`` over it, so the ``driver`` knows when they
    /// have parked.
    public init(workspace: Workspace, clock drive: DriveClock, seed: UInt64, configuration: Router.Configuration = .init(),
                observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil, matchObserver: Router.MatchObserver? = nil,
                functionRegistry: SwiftFunctionRegistry = SwiftFunctionRegistry(),
                functionTimeoutClock: (any EventClock)? = nil, log: any LogSink = DiscardingLogSink(),
                schedules window: ScheduleWindow = .automatic) throws(EventRouterError) {
        try self.init(workspace: workspace, clock: drive, seed: seed, configuration: configuration, observer: observer, matchObserver: matchObserver,
                      functionRegistry: functionRegistry, functionTimeoutClock: functionTimeoutClock, log: log, schedules: window, faults: nil)
    }

    /// The same with a scenario's injected failures (`eventrouter test`): deliveries to a
    /// faulted target and invocations of a faulted function ask `faults` first.
    package init(workspace: Workspace, clock drive: DriveClock, seed: UInt64, configuration: Router.Configuration = .init(),
                 observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil, matchObserver: Router.MatchObserver? = nil,
                 functionRegistry: SwiftFunctionRegistry = SwiftFunctionRegistry(),
                 functionTimeoutClock: (any EventClock)? = nil, log: any LogSink = DiscardingLogSink(),
                 schedules window: ScheduleWindow = .automatic, faults: FaultPlan?) throws(EventRouterError) {
        let clock = drive.eventClock
        let wake = WakeSignal()
        // On a real clock a message sent to an idle queue wakes the driver, so its event source
        // mapping polls at once (virtual time polls at every clock jump anyway).
        let queues = QueueRegistry(clock: clock, seed: seed, arrivals: drive.manual == nil ? wake : nil)
        do {
            _ = try queues.createQueues(workspace.queues.map(\.configuration))
        } catch {
            throw EventRouterError(.validation, "cannot create the workspace's queues: \(error)", underlying: error)
        }
        // Likewise a write to a stream wakes its idle mappings.
        let streams = StreamRegistry(clock: clock, defaultAccount: workspace.defaults.account, defaultRegion: workspace.defaults.region,
                                     arrivals: drive.manual == nil ? wake : nil)
        for stream in workspace.streams {
            do { try streams.create(stream.configuration) } catch {
                throw EventRouterError(.validation, "cannot create stream \(stream.arn): \(error.message)", underlying: error)
            }
        }
        let settleClock = drive.manual.map { SettleClock(base: $0, wake: wake) }
        // One registry resolves every ARN; resources name each other through it, never by reference.
        let targets = TargetRegistry(faults: faults)
        let destinations = DestinationFailureLog(targets: targets, log: log)
        let functions = try FunctionHost(
            manifests: workspace.functions, registry: functionRegistry, clock: settleClock ?? clock,
            timeoutClock: functionTimeoutClock ?? (settleClock != nil ? SystemClock() : clock), sink: destinations,
            random: SharedRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15), onChange: { wake.signal() },
            concurrencyLimits: workspace.concurrencyLimits, log: log, faults: faults)
        let topics = TopicRegistry(clock: clock, targets: targets, queues: queues, retryTimer: false, seed: seed &+ 0x5157_0000, log: log)
        for topic in workspace.topics {
            do { try topics.createTopic(topic.configuration) } catch {
                throw EventRouterError(.validation, "cannot create topic \(topic.arn): \(error.message)", underlying: error)
            }
        }
        do {
            eventSourceMappings = try EventSourceMappingRunner(
                mappings: workspace.eventSourceMappings(), queues: queues, streams: streams, functions: functions, sink: destinations,
                clock: clock, random: SharedRandom(seed: seed &+ 0xE5A0_0000),
                concurrency: drive.manual == nil ? .concurrent(wake: wake) : .stepped)
        } catch {
            throw EventRouterError(.validation, "cannot start the event source mappings: \(error)", underlying: error)
        }
        // One registration line per target kind (the router registers `events` for its buses).
        targets.registerProvider(forService: "sqs") { [target = QueueTarget(queues: queues)] _ in target }
        targets.registerProvider(forService: "kinesis") { [target = StreamTarget(streams: streams)] _ in target }
        targets.registerProvider(forService: "lambda") { [target = FunctionTarget(functions: functions)] _ in target }
        targets.registerProvider(forService: "sns") { [target = TopicTarget(topics: topics)] _ in target }
        let deliveryStreams = try DeliveryStreamRegistry(workspace: workspace, functions: functions, streams: streams, clock: clock,
                                                         random: SharedRandom(seed: seed &+ 0xF1BE_0000), wake: wake, log: log,
                                                         bufferIsPending: drive.manual != nil)
        targets.registerProvider(forService: "firehose") { [target = DeliveryStreamTarget(deliveryStreams: deliveryStreams)] _ in target }
        self.deliveryStreams = deliveryStreams
        let logGroups = try LogGroupRegistry.open(workspace: workspace, clock: clock, log: log)
        targets.registerProvider(forService: "logs") { [target = LogGroupTarget(logGroups: logGroups)] _ in target }
        self.logGroups = logGroups
        // Targets EventRouter does not run go to the stand-in queue, by their exact ARN text.
        let standIn = workspace.standIn.map { StandInTarget(queueArn: $0.queueArn(workspace.defaults), queues: queues) }
        for arn in workspace.standIn?.targets ?? [] { if let standIn { targets.register(standIn, for: arn) } }
        self.standIn = standIn
        self.queues = queues
        self.streams = streams
        self.topics = topics
        self.functions = functions
        self.destinations = destinations
        let logged: @Sendable (DeliveryTraceEvent) -> Void = { event in
            observer?(event)
            if let record = event.logRecord { log.log(record) }
        }
        let router = Router(workspace: workspace, clock: drive, random: SharedRandom(seed: seed), targets: targets,
                            configuration: configuration, observer: logged, matchObserver: matchObserver, wake: wake)
        self.router = router
        // API destinations share the `events` service with buses: one provider answers both.
        let apiDestinations = ApiDestinationRegistry(connections: workspace.connections, destinations: workspace.apiDestinations)
        self.apiDestinations = apiDestinations
        targets.registerProvider(forService: "events") { [router, target = ApiDestinationTarget(registry: apiDestinations, clock: clock)] arn in
            ApiDestinationDefinition.isArn(arn.description) ? target : (arn.kind == .eventBus ? BusTarget(router: router) : nil)
        }
        let driveClock: DriveClock = drive.manual.map { .virtual($0, handlers: settleClock) } ?? drive
        let archiveReplays = ArchiveReplays(router: router)
        self.archiveReplays = archiveReplays
        // Queues come last: their due deadlines (visibility, delay, retention) run after what
        // the others did at the same instant, and wake parked long polls.
        let schedules: ScheduleRunner?
        switch window {
        case .automatic: schedules = drive.manual == nil ? ScheduleRunner(router: router, start: clock.now) : nil
        case .off: schedules = nil
        case .window(let start, let until): schedules = ScheduleRunner(router: router, start: start, until: until)
        }
        self.schedules = schedules
        // Schedules come after the queues (the settle report reads the others by position);
        // the deliveries a firing enqueues run in the next round at the same instant.
        var components: [any TimedComponent] = [router.scheduler, functions, topics, eventSourceMappings, archiveReplays, queues]
        if let schedules { components.append(schedules) }
        components.append(deliveryStreams)
        self.driver = TimeDriver(clock: driveClock, wake: wake, components: components)
    }

    /// The state JSON: `{"queues": …, "streams": …, "functions": …, "deliveries": {…}}` (and
    /// `"deliveryStreams"` when the workspace has any).
    public func stateJSON() -> JSONValue {
        .object(JSONObject([
            .init(key: "queues", value: queues.stateJSON()),
            .init(key: "streams", value: streams.stateJSON()),
            .init(key: "functions", value: functions.stateJSON()),
            .init(key: "deliveries", value: router.scheduler.statistics.json),
            .init(key: "archives", value: router.archives.stateJSON()),
        ] + (deliveryStreams.all.isEmpty ? [] : [.init(key: "deliveryStreams", value: deliveryStreams.stateJSON())])
            + (logGroups.groups().isEmpty ? [] : [.init(key: "logGroups", value: logGroups.stateJSON())])))
    }

    /// ``stateJSON()`` plus the extras that need to ask actors: `"topics": {ARN: {"published",
    /// "delivered", "filtered", "retried", "deadLettered", "dropped", …}}` (FIFO topics also
    /// their deduplication window, see ``Topic/deduplicationState()``) and
    /// `"eventSourceMappings": [{settings…, "counters": {…}, "state": {…}}]`.
    public func completeStateJSON() async -> JSONValue {
        guard case .object(var o) = stateJSON() else { return stateJSON() }
        var topicsJSON = JSONObject()
        for topic in topics.topics {
            var entry = await topic.statistics.json.objectValue ?? JSONObject()
            for member in await topic.deduplicationState().members { entry[member.key] = member.value }
            topicsJSON[topic.arn] = .object(entry)
        }
        o["topics"] = .object(topicsJSON)
        o["eventSourceMappings"] = await eventSourceMappings.stateJSON()
        return .object(o)
    }

    /// Stops every function engine and worker process (pending function events are dropped) and
    /// empties the target registry, which releases the resources that deliver to each other through it.
    public func shutdown() async {
        await deliveryStreams.flushAll()  // buffered records are written, not lost
        await eventSourceMappings.stopBatches()
        await functions.shutdown()
        targets.removeAll()
    }
}
