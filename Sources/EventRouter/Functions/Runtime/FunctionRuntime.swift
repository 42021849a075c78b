import Synchronization

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
    /// The account's unreserved pool, which a function without reserved concurrency draws
    /// from (`nil`: no account limit, e.g. a lone `eventrouter invoke`).
    public let accountConcurrency: AccountConcurrency?
    /// Where the function's asynchronous engine and event source mappings log what they do.
    public let log: any LogSink

    /// - Parameters:
    ///   - accountConcurrency: the pool of the function's account and region (used only when
    ///     the manifest reserves no concurrency).
    ///   - log: where invocations, retries, destinations and mapping batches are logged.
    public init(manifest: FunctionManifest, handler: any FunctionHandler, clock: any EventClock, metrics: FunctionMetrics = FunctionMetrics(),
                accountConcurrency: AccountConcurrency? = nil, log: any LogSink = DiscardingLogSink()) {
        self.manifest = manifest
        self.handler = handler
        self.clock = clock
        self.metrics = metrics
        self.log = log
        self.accountConcurrency = manifest.reservedConcurrentExecutions == nil ? accountConcurrency : nil
    }

    /// A runtime for `manifest`: a process handler for process functions, the registry's
    /// handler for Swift functions.
    /// - Throws: ``EventRouterError`` when a Swift function's handler is not registered.
    public convenience init(manifest: FunctionManifest, registry: SwiftFunctionRegistry, clock: any EventClock,
                            accountConcurrency: AccountConcurrency? = nil, log: any LogSink = DiscardingLogSink()) throws(EventRouterError) {
        let handler: any FunctionHandler
        switch (manifest.runtime, manifest.mode) {
        case (.process, .invocation): handler = ProcessFunctionHandler(manifest: manifest)
        case (.process, .worker): handler = WorkerFunctionHandler(manifest: manifest)
        case (.swift, _):
            guard let h = registry.handler(named: manifest.handler) else {
                let known = registry.names.isEmpty ? "none are compiled in" : "compiled in: " + registry.names.joined(separator: ", ")
                throw EventRouterError(.notFound, "function '\(manifest.name)': no Swift handler named '\(manifest.handler)' (\(known)); check Handler in function.json", context: ["function": manifest.name])
            }
            handler = h
        }
        self.init(manifest: manifest, handler: handler, clock: clock, accountConcurrency: accountConcurrency, log: log)
    }

    /// The function's ARN.
    public var arn: String { manifest.arn }

    /// One attempt: throttled when the reservation (or, without one, the account's unreserved
    /// pool) is full, otherwise the handler's outcome.
    /// A payload over ``PayloadLimits/synchronousRequest`` bytes is refused before the handler
    /// runs (`RequestEntityTooLargeException`); a response over ``PayloadLimits/response``
    /// fails the attempt (`Function.ResponseSizeTooLarge`).
    public func invoke(_ payload: JSONValue, requestId: String, attempt: Int = 1) async -> InvocationResult {
        var bytes: [UInt8] = []
        JSONSerializer.write(payload, into: &bytes)
        if bytes.count > PayloadLimits.synchronousRequest {
            return .functionError(.requestTooLarge(size: bytes.count, limit: PayloadLimits.synchronousRequest))
        }
        let pool = accountConcurrency
        if let pool, !pool.tryBegin() {
            metrics.countThrottle()
            return .throttled
        }
        guard metrics.tryBegin(limit: manifest.reservedConcurrentExecutions) else { return .throttled }
        defer { pool?.end() }
        let start = clock.now
        let result = await run(bytes, requestId: requestId, attempt: attempt)
        if case .functionError(let e) = result {
            metrics.end(duration: clock.now - start, error: e)
        } else {
            metrics.end(duration: clock.now - start, error: nil)
        }
        return result
    }

    private enum Race: Sendable {
        case finished(Result<[UInt8], any Error>)
        case timedOut
    }

    private func run(_ bytes: [UInt8], requestId: String, attempt: Int) async -> InvocationResult {
        let deadline = clock.now + manifest.timeout
        let context = FunctionContext(requestId: requestId, functionArn: manifest.arn, functionName: manifest.name, deadline: deadline, attempt: attempt)
        let handler = self.handler, clock = self.clock
        let work = Task { try await handler.handle(bytes, context: context) }
        let timers = Mutex<Task<Void, Never>?>(nil)
        let race: Race = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Race, Never>) in
                let once = Mutex<CheckedContinuation<Race, Never>?>(continuation)
                let resume: @Sendable (Race) -> Void = { r in once.withLock { c in c.take() }?.resume(returning: r) }
                let timer = Task {
                    do {
                        try await clock.sleep(until: deadline)
                        resume(.timedOut)
                    } catch {}
                }
                timers.withLock { $0 = timer }
                Task {
                    let r = await work.result
                    resume(.finished(r))
                }
            }
        } onCancel: {
            work.cancel()
            timers.withLock { $0 }?.cancel()
        }
        switch race {
        case .timedOut:
            work.cancel()
            if handler.awaitsCancellation { _ = await work.result }
            return .functionError(.timeout(seconds: manifest.timeoutSeconds))
        case .finished(let r):
            timers.withLock { $0 }?.cancel()
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

    /// Stops the handler's background processes.
    public func shutdown() async { await handler.shutdown() }
}
