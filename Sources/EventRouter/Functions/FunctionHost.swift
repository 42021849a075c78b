/// Every function of a workspace with its asynchronous engine: what the router wires its
/// function targets to.
///
/// Invocation records and dead-letter messages go to the `sink` given at creation, by ARN: in a
/// router that is its ``TargetRegistry``, where a function destination resolves to the
/// ``FunctionTarget`` over this host (Lambda's function destinations) and queues, topics and
/// buses to theirs. The host holds no reference back to the router.
public final class FunctionHost: TimedComponent {
    /// Runtimes by function ARN.
    public let runtimes: [String: FunctionRuntime]
    /// Asynchronous engines by function ARN.
    public let engines: [String: AsyncInvocationEngine]
    /// The unreserved concurrency pools, keyed ``AccountConcurrency/key(account:region:)``.
    public let accountConcurrency: [String: AccountConcurrency]
    /// Each account's concurrency limit by account id (accounts absent use ``AccountConcurrency/defaultLimit``).
    public let concurrencyLimits: [String: Int]
    /// The engines' and the API's function records (docs/durability.md, "Functions").
    public let journal: FunctionJournal

    /// Builds a runtime and an engine per manifest.
    /// - Parameters:
    ///   - manifests: the functions (e.g. ``FunctionWorkspace/manifests``).
    ///   - registry: the compiled-in Swift handlers.
    ///   - clock: retries, backoff and event age.
    ///   - timeoutClock: invocation timeouts (default: `clock`).
    ///   - sink: where invocation records and dead-letter messages go (the router's ``TargetRegistry``).
    ///   - random: request ids.
    ///   - onChange: told whenever an event of any engine starts waiting for a retry or settles.
    ///   - concurrencyLimits: each account's concurrency limit by account id (`ConcurrentExecutions`;
    ///     default ``AccountConcurrency/defaultLimit``), shared per region by its functions without a reservation.
    ///   - log: where the engines log attempts, retries and destination sends.
    /// - Throws: ``EventRouterError`` when a Swift function's handler is not compiled in, or when
    ///   an account's reservations leave less than ``AccountConcurrency/minimumUnreserved``.
    public convenience init(
        manifests: [FunctionManifest], registry: SwiftFunctionRegistry, clock: any EventClock, timeoutClock: (any EventClock)? = nil,
        sink: any EventTarget, random: SharedRandom = SharedRandom(seed: 1),
        onChange: (@Sendable () -> Void)? = nil, concurrencyLimits: [String: Int] = [:], log: any LogSink = DiscardingLogSink()
    ) throws(EventRouterError) {
        try self.init(manifests: manifests, registry: registry, clock: clock, timeoutClock: timeoutClock, sink: sink, random: random,
                      onChange: onChange, concurrencyLimits: concurrencyLimits, log: log, faults: nil)
    }

    /// The same with the function faults of a scenario (`eventrouter test`).
    package init(
        manifests: [FunctionManifest], registry: SwiftFunctionRegistry, clock: any EventClock, timeoutClock: (any EventClock)? = nil,
        sink: any EventTarget, random: SharedRandom = SharedRandom(seed: 1),
        onChange: (@Sendable () -> Void)? = nil, concurrencyLimits: [String: Int] = [:], log: any LogSink = DiscardingLogSink(),
        faults: FaultPlan?
    ) throws(EventRouterError) {
        let pools = try AccountConcurrency.pools(for: manifests, limits: concurrencyLimits)
        BlockingIOPool.shared.ensureCapacity(pools.values.reduce(0) { $0 + min($1.limit, AccountConcurrency.limitRange.upperBound) })
        var runtimes: [String: FunctionRuntime] = [:]
        var engines: [String: AsyncInvocationEngine] = [:]
        let journal = FunctionJournal()
        for manifest in manifests {
            let pool = pools[AccountConcurrency.key(account: manifest.account, region: manifest.region)]
            let runtime = try FunctionRuntime(manifest: manifest, registry: registry, clock: timeoutClock ?? clock, accountConcurrency: pool, log: log, faults: faults)
            runtimes[manifest.arn] = runtime
            engines[manifest.arn] = AsyncInvocationEngine(runtime: runtime, clock: clock, sink: sink, random: random, onChange: onChange, journal: journal)
        }
        self.journal = journal
        self.runtimes = runtimes
        self.engines = engines
        self.accountConcurrency = pools
        self.concurrencyLimits = concurrencyLimits
    }

    /// The engine of a function given by ARN (with or without `:$LATEST`) or name.
    public func engine(for nameOrArn: String) -> AsyncInvocationEngine? {
        Self.lookup(nameOrArn, in: engines)
    }

    /// Queues `payload` for asynchronous invocation; returns the request id, or nil for an unknown function.
    public func invokeAsync(_ nameOrArn: String, payload: JSONValue) async -> String? {
        guard let engine = engine(for: nameOrArn) else { return nil }
        return await engine.enqueue(payload)
    }

    /// Events accepted by any hosted function and not yet settled.
    public var pendingCount: Int {
        get async {
            var pending = 0
            for engine in engines.values { pending += await engine.pendingCount }
            return pending
        }
    }

    public var timedRole: TimedRole { .handlers }

    /// Events run in their engines' own tasks: nothing to start here.
    public func runDue(at now: Timestamp) async -> Int { 0 }

    /// Pending events of every engine, and how many wait for a retry; their retry deadlines are
    /// on the clock they park on.
    public func timedStatus(at now: Timestamp) async -> TimedStatus {
        var status = TimedStatus(pending: 0, nextDeadline: nil)
        for engine in engines.values {
            let s = await engine.timedStatus(at: now)
            status.pending += s.pending
            status.parked += s.parked
        }
        return status
    }

    /// Waits until no hosted function has a pending event (records sent to hosted functions included).
    public func waitUntilIdle() async {
        while true {
            for engine in engines.values { await engine.waitUntilIdle() }
            var pending = 0
            for engine in engines.values { pending += await engine.pendingCount }
            if pending == 0 { return }
        }
    }

    /// The "functions" key of the state JSON.
    public func stateJSON() -> JSONValue { FunctionMetrics.stateJSON(Array(runtimes.values)) }

    /// Stops every engine and worker process.
    public func shutdown() async {
        for engine in engines.values { await engine.shutdown() }
    }

    static func lookup<T>(_ nameOrArn: String, in table: [String: T]) -> T? {
        // Every qualifier is answered by the one function (callers check it: ``FunctionManifest/qualifierProblem(_:)``).
        let key = FunctionManifest.splitQualifier(nameOrArn).base
        if let hit = table[key] { return hit }
        return table.first { $0.key.hasSuffix(":function:" + key) }?.value
    }
}
