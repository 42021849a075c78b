/// A registered function ready to run: its manifest, its handler, its counters and the clock
/// that enforces its timeout.
///
/// ``invoke(_:requestId:attempt:)`` is one synchronous-style attempt: it takes a concurrency
/// slot (or reports ``InvocationResult/throttled``), runs the handler against a deadline read
/// from the injected clock, and turns whatever happens into an ``InvocationResult``.
public final class FunctionRuntime: Sendable {
    /// The function's settings.
    public let manifest: FunctionManifest
    /// How the function runs (Swift, process, worker).
    public let handler: any FunctionHandler
    /// Counters and the reserved-concurrency gate.
    public let metrics: FunctionMetrics
    /// The clock of the timeout (tests: a ``ManualClock``).
    public let clock: any EventClock
    /// The account's unreserved pool, which the function draws from while it has no reserved
    /// concurrency (`nil`: no account limit, e.g. a lone `eventrouter invoke`).
    public let accountConcurrency: AccountConcurrency?
    /// The settings that can change while it runs (event-invoke configuration, reservation).
    public let settings: FunctionSettings
    /// Where the function's asynchronous engine and event source mappings log what they do.
    public let log: any LogSink
    /// The task group the handlers and their timeout timers run in.
    private let work = OwnedTaskGroup()
    /// Failures a scenario injects (`eventrouter test`); `nil` in production.
    package let faults: FaultPlan?

    /// - Parameters:
    ///   - accountConcurrency: the pool of the function's account and region (used while the
    ///     function reserves no concurrency).
    ///   - log: where invocations, retries, destinations and mapping batches are logged.
    public convenience init(manifest: FunctionManifest, handler: any FunctionHandler, clock: any EventClock, metrics: FunctionMetrics = FunctionMetrics(),
                            accountConcurrency: AccountConcurrency? = nil, log: any LogSink = DiscardingLogSink()) {
        self.init(manifest: manifest, handler: handler, clock: clock, metrics: metrics, accountConcurrency: accountConcurrency, log: log, faults: nil)
    }

    package init(manifest: FunctionManifest, handler: any FunctionHandler, clock: any EventClock, metrics: FunctionMetrics = FunctionMetrics(),
                 accountConcurrency: AccountConcurrency? = nil, log: any LogSink = DiscardingLogSink(), faults: FaultPlan?) {
        self.faults = faults
        self.manifest = manifest
        self.handler = handler
        self.clock = clock
        self.metrics = metrics
        self.log = log
        self.accountConcurrency = accountConcurrency
        self.settings = FunctionSettings(manifest: manifest)
    }

    /// A runtime for `manifest`: a process handler for process functions, the registry's
    /// handler for Swift functions.
    /// - Throws: ``EventRouterError`` when a Swift function's handler is not registered.
    public convenience init(manifest: FunctionManifest, registry: SwiftFunctionRegistry, clock: any EventClock,
                            accountConcurrency: AccountConcurrency? = nil, log: any LogSink = DiscardingLogSink()) throws(EventRouterError) {
        try self.init(manifest: manifest, registry: registry, clock: clock, accountConcurrency: accountConcurrency, log: log, faults: nil)
    }

    package convenience init(manifest: FunctionManifest, registry: SwiftFunctionRegistry, clock: any EventClock,
                             accountConcurrency: AccountConcurrency? = nil, log: any LogSink = DiscardingLogSink(),
                             faults: FaultPlan?) throws(EventRouterError) {
        let handler: any FunctionHandler
        switch (manifest.runtime, manifest.mode) {
        case (.process, .invocation): handler = ProcessFunctionHandler(manifest: manifest)
        case (.process, .worker): handler = WorkerFunctionHandler(manifest: manifest)
        case (.provided, _), (.python, _), (.nodejs, _): handler = RuntimeAPIFunctionHandler(manifest: manifest)
        case (.swift, _):
            guard let h = registry.handler(named: manifest.handler) else {
                let known = registry.names.isEmpty ? "none are compiled in" : "compiled in: " + registry.names.joined(separator: ", ")
                throw EventRouterError(.notFound, "function '\(manifest.name)': no Swift handler named '\(manifest.handler)' (\(known)); check Handler in function.json", context: ["function": manifest.name])
            }
            handler = h
        }
        self.init(manifest: manifest, handler: handler, clock: clock, accountConcurrency: accountConcurrency, log: log, faults: faults)
    }

    /// The function's ARN.
    public var arn: String { manifest.arn }

    /// An attempt that passed admission: its payload fits and it holds a concurrency slot
    /// (``admit(_:)``); run it with ``run(_:requestId:attempt:)`` or give the slot back with
    /// ``abandon(_:)``.
    public struct AdmittedAttempt: Sendable {
        let bytes: [UInt8]
        let holdsAccountSlot: Bool
    }

    /// What ``admit(_:)`` decided.
    public enum Admission: Sendable {
        /// Run it: a slot is held.
        case admitted(AdmittedAttempt)
        /// Refused without running (throttled, or the payload is too large).
        case refused(InvocationResult)
    }

    /// One attempt: throttled when the reservation (or, without one, the account's unreserved
    /// pool) is full, otherwise the handler's outcome.
    /// A payload over ``PayloadLimits/synchronousRequest`` bytes is refused before the handler
    /// runs (`RequestEntityTooLargeException`); a response over ``PayloadLimits/response``
    /// fails the attempt (`Function.ResponseSizeTooLarge`).
    /// With `log`, the handler's log is kept there (Lambda's `LogType: Tail`).
    public func invoke(_ payload: JSONValue, requestId: String, attempt: Int = 1, log: InvocationLog? = nil) async -> InvocationResult {
        switch admit(payload) {
        case .refused(let result): return result
        case .admitted(let admitted): return await run(admitted, requestId: requestId, attempt: attempt, log: log)
        }
    }

    /// The synchronous first half of ``invoke(_:requestId:attempt:)``: checks the payload size
    /// and takes a concurrency slot (a throttle is counted when none is free). The asynchronous
    /// engine admits every attempt due at one instant before any of them runs, so which ones
    /// are throttled does not depend on how fast the handlers are.
    public func admit(_ payload: JSONValue) -> Admission {
        var bytes: [UInt8] = []
        JSONSerializer.write(payload, into: &bytes)
        if bytes.count > PayloadLimits.synchronousRequest {
            return .refused(.functionError(.requestTooLarge(size: bytes.count, limit: PayloadLimits.synchronousRequest)))
        }
        if let faults, faults.throttles(function: arn) {
            metrics.countThrottle()
            return .refused(.throttled)
        }
        let reserved = settings.reservedConcurrency
        let pool = reserved == nil ? accountConcurrency : nil
        if let pool, !pool.tryBegin() {
            metrics.countThrottle()
            return .refused(.throttled)
        }
        guard metrics.tryBegin(limit: reserved) else {
            pool?.end()
            return .refused(.throttled)
        }
        return .admitted(AdmittedAttempt(bytes: bytes, holdsAccountSlot: pool != nil))
    }

    /// Runs an admitted attempt and gives its slot back.
    public func run(_ admitted: AdmittedAttempt, requestId: String, attempt: Int = 1, log: InvocationLog? = nil) async -> InvocationResult {
        defer { if admitted.holdsAccountSlot { accountConcurrency?.end() } }
        let start = clock.now
        let result = await race(admitted.bytes, requestId: requestId, attempt: attempt, log: log)
        if case .functionError(let e) = result {
            metrics.end(duration: clock.now - start, error: e)
        } else {
            metrics.end(duration: clock.now - start, error: nil)
        }
        return result
    }

    /// Gives back the slot of an attempt that will not run (its event was cancelled).
    public func abandon(_ admitted: AdmittedAttempt) {
        if admitted.holdsAccountSlot { accountConcurrency?.end() }
        metrics.abandon()
    }

    private enum Race: Sendable {
        case finished(Result<[UInt8], any Error>)
        case timedOut
        case cancelled
    }

    /// Runs the handler against the deadline. The handler is a child of the runtime's
    /// ``OwnedTaskGroup`` (a handler that ignores cancellation after a timeout keeps running
    /// there, until it ends or the runtime is released, while the attempt reports the timeout);
    /// the timer is a child of the attempt.
    private func race(_ bytes: [UInt8], requestId: String, attempt: Int, log: InvocationLog?) async -> InvocationResult {
        if let faults, let injected = faults.invocationFault(function: arn, payload: bytes, timeoutSeconds: manifest.timeoutSeconds) {
            return injected
        }
        let deadline = clock.now + manifest.timeout
        let context = FunctionContext(requestId: requestId, functionArn: manifest.arn, functionName: manifest.name, deadline: deadline,
                                      attempt: attempt, invocationLog: log)
        let handler = self.handler, clock = self.clock
        let outcome = OneShot<Race>(), ended = OneShot<Void>()
        let started = work.add {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        outcome.resolve(.finished(.success(try await handler.handle(bytes, context: context))))
                    } catch {
                        outcome.resolve(.finished(.failure(error)))
                    }
                }
                // Resolved by the handler, or by the attempt (timed out, cancelled): then the handler is cancelled.
                _ = await outcome.wait()
                group.cancelAll()
            }
            ended.resolve(())
        }
        let race: Race = await withTaskGroup(of: Void.self) { group in
            if started {
                group.addTask {
                    do {
                        try await clock.sleep(until: deadline)
                        outcome.resolve(.timedOut)
                    } catch {}
                }
            }
            let first = started ? await outcome.wait() : nil
            // Cancelling the timer takes its sleeper off the clock before the attempt returns.
            group.cancelAll()
            if first == nil { outcome.resolve(.cancelled) }
            return outcome.current ?? .cancelled
        }
        switch race {
        case .timedOut:
            if handler.awaitsCancellation { _ = await ended.wait() }
            return .functionError(.timeout(seconds: manifest.timeoutSeconds))
        case .cancelled:
            if handler.awaitsCancellation { _ = await ended.wait() }
            return .functionError(FunctionError(type: "Runtime.Cancelled", message: "the invocation was cancelled"))
        case .finished(let r):
            switch r {
            case .success(let out):
                if out.count > PayloadLimits.response { return .functionError(.responseTooLarge) }
                if out.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .success(.null) }
                do {
                    return .success(try JSONParser.parse(bytes: out))
                } catch {
                    let shown = ProcessExchange.tail(out, limit: 200)
                    return .functionError(FunctionError(type: "Runtime.InvalidResponse", message: "the function's output is not valid JSON (\(error)); it printed: \(shown)"))
                }
            case .failure(let e as FunctionError):
                return .functionError(e)
            case .failure(is CancellationError):
                return .functionError(FunctionError(type: "Runtime.Cancelled", message: "the invocation was cancelled"))
            case .failure(let e):
                return .functionError(FunctionError(type: String(describing: type(of: e)), message: String(describing: e)))
            }
        }
    }

    /// Stops the handler's background processes (handlers still running in the runtime's task
    /// group end with them; the group is cancelled when the runtime is released).
    public func shutdown() async { await handler.shutdown() }
}
