import Synchronization

/// Every function of a workspace with its asynchronous engine: what the router wires its
/// function targets to.
///
/// Invocation records whose destination is another hosted function are queued to that
/// function's engine (Lambda's function destinations); every other destination goes to the
/// `sink` given at creation (queues, topics and buses belong to the router).
public final class FunctionHost: TimedComponent {
    /// Runtimes by function ARN.
    public let runtimes: [String: FunctionRuntime]
    /// Asynchronous engines by function ARN.
    public let engines: [String: AsyncInvocationEngine]

    /// Builds a runtime and an engine per manifest.
    /// - Parameters:
    ///   - manifests: the functions (e.g. ``FunctionWorkspace/manifests``).
    ///   - registry: the compiled-in Swift handlers.
    ///   - clock: retries, backoff and event age.
    ///   - timeoutClock: invocation timeouts (default: `clock`).
    ///   - sink: destinations that are not hosted functions.
    ///   - random: request ids.
    ///   - onChange: told whenever an event of any engine starts waiting for a retry or settles.
    /// - Throws: ``EventRouterError`` when a Swift function's handler is not compiled in.
    public init(
        manifests: [FunctionManifest], registry: SwiftFunctionRegistry, clock: any EventClock, timeoutClock: (any EventClock)? = nil,
        sink: any DestinationSink, random: SharedRandom = SharedRandom(seed: 1),
        onChange: (@Sendable () -> Void)? = nil
    ) throws(EventRouterError) {
        let router = HostedFunctionSink(outer: sink)
        var runtimes: [String: FunctionRuntime] = [:]
        var engines: [String: AsyncInvocationEngine] = [:]
        for manifest in manifests {
            let runtime = try FunctionRuntime(manifest: manifest, registry: registry, clock: timeoutClock ?? clock)
            runtimes[manifest.arn] = runtime
            engines[manifest.arn] = AsyncInvocationEngine(runtime: runtime, clock: clock, sink: router, random: random, onChange: onChange)
        }
        router.engines.withLock { $0 = engines }
        self.runtimes = runtimes
        self.engines = engines
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
        var key = nameOrArn
        if key.hasSuffix(":$LATEST") { key.removeLast(8) }
        if let hit = table[key] { return hit }
        return table.first { $0.key.hasSuffix(":function:" + key) }?.value
    }
}

/// Sends records for hosted functions to their engines, everything else to `outer`.
private final class HostedFunctionSink: DestinationSink {
    let outer: any DestinationSink
    let engines = Mutex<[String: AsyncInvocationEngine]>([:])

    init(outer: any DestinationSink) { self.outer = outer }

    func send(_ message: DestinationMessage) async -> Bool {
        if message.destinationKind == .function {
            let engine = engines.withLock { FunctionHost.lookup(message.destinationArn, in: $0) }
            if let engine {
                await engine.enqueue(message.body)
                return true
            }
        }
        return await outer.send(message)
    }
}
