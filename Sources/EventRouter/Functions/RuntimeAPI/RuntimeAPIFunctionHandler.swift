import Synchronization

/// Runs a function behind the Lambda Runtime API (`provided*`, `python3.x`, `nodejsN.x`):
/// execution environments (``RuntimeEnvironment``: a bootstrap process and its own loopback
/// Runtime API) each serve one invocation at a time. Concurrency is more environments: an
/// invocation takes an idle one or starts one, and ``FunctionRuntime`` admits no more
/// invocations than the reservation or the account pool allows, so the environments never
/// outnumber them. A timeout cancels the invocation, which kills the environment's process
/// group; the next invocation starts a fresh one. Module initialisation runs once per
/// environment (warm starts). A code change (hot reload, ``codeDidChange()``) stops the idle
/// environments; a busy one finishes its invocation on the old code and is stopped when handed
/// back, so the next invocation starts on the new code.
public final class RuntimeAPIFunctionHandler: FunctionHandler {
    /// The function's manifest.
    public let manifest: FunctionManifest
    /// How environments start, resolved at the first invocation (off the cooperative pool).
    private let launch = Mutex<Result<RuntimeLaunch, FunctionError>?>(nil)
    /// Idle environments with the code generation each started with.
    private let idle = Mutex<[(environment: RuntimeEnvironment, generation: UInt64)]>([])
    /// Advanced by ``codeDidChange()``: an environment of an older generation is not reused.
    private let generation = FunctionCodeGeneration()
    private let started = Atomic<Int>(0)

    public init(manifest: FunctionManifest) {
        self.manifest = manifest
    }

    private func resolvedLaunch() async -> Result<RuntimeLaunch, FunctionError> {
        if let known = launch.withLock({ $0 }) { return known }
        let manifest = self.manifest
        let result = await ChildProcess.offPool { RuntimeLaunch.resolve(manifest) }
        launch.withLock { $0 = result }
        return result
    }

    public var awaitsCancellation: Bool { true }

    /// How many environments (bootstrap processes) have been started so far.
    public var environmentsStarted: Int { started.load(ordering: .relaxed) }

    /// The process ids of the idle environments (tests).
    var idleProcessIDs: [Int32] { idle.withLock { $0.map(\.environment.process.pid) } }

    public func handle(_ payload: [UInt8], context: FunctionContext) async throws -> [UInt8] {
        let launch = try await resolvedLaunch().get()
        let invocation = RuntimeAPIInvocation(
            requestId: context.requestId, payload: payload.isEmpty ? Array("{}".utf8) : payload,
            deadlineMs: context.deadline.millisecondsSinceEpoch, functionArn: context.functionArn,
            traceId: Self.traceId(context.requestId, deadlineMs: context.deadline.millisecondsSinceEpoch))
        var retried = false
        let manifest = self.manifest
        while true {
            if Task.isCancelled { throw CancellationError() }
            let current = generation.current
            let popped = idle.withLock { $0.popLast() }
            if let popped, popped.generation != current {
                await end(popped.environment)
                continue
            }
            let reused = popped?.environment
            let environment: RuntimeEnvironment
            if let reused {
                environment = reused
            } else {
                let result: Result<RuntimeEnvironment, FunctionError> = await ChildProcess.offPool {
                    do { return .success(try RuntimeEnvironment.start(launch, manifest: manifest)) } catch let error as FunctionError { return .failure(error) } catch { return .failure(FunctionError(type: "Runtime.StartError", message: "\(error)")) }
                }
                environment = try result.get()
                started.add(1, ordering: .relaxed)
            }
            let shot = OneShot<RuntimeAPIOutcome>()
            let outcome: RuntimeAPIOutcome?
            if let immediate = environment.submit(invocation, outcome: shot, log: context.invocationLog) {
                outcome = immediate
            } else {
                outcome = await withTaskCancellationHandler { await shot.wait() } onCancel: { environment.stop() }
            }
            guard let outcome, !Task.isCancelled else {
                await end(environment)
                throw CancellationError()
            }
            switch outcome {
            case .response(let bytes):
                await park(environment, generation: current)
                return bytes
            case .failure(let error, let keep):
                if keep { await park(environment, generation: current) } else { await end(environment) }
                throw error
            case .exitedBeforeDelivery(let error):
                await end(environment)
                if reused != nil && !retried {
                    retried = true
                    continue
                }
                throw error
            }
        }
    }

    /// Hands an environment back after its invocation: kept for the next one when it started
    /// on the current code generation, else stopped (a code change restarts it here).
    private func park(_ environment: RuntimeEnvironment, generation started: UInt64) async {
        if started == generation.current {
            idle.withLock { $0.append((environment, started)) }
        } else {
            await end(environment)
        }
    }

    /// Starts a new code generation and stops the idle environments; a busy one is stopped
    /// when its invocation ends, and the next invocation starts one on the new code.
    public func codeDidChange() async -> FunctionCodeReload {
        generation.advance()
        let environments = idle.withLock { list in
            defer { list.removeAll() }
            return list.map(\.environment)
        }
        for e in environments { await end(e) }
        return .environmentsRestarted(idleStopped: environments.count)
    }

    private func end(_ environment: RuntimeEnvironment) async {
        environment.stop()
        await ChildProcess.offPool { environment.waitFinished() }
    }

    public func shutdown() async {
        let environments = idle.withLock { list in
            defer { list.removeAll() }
            return list.map(\.environment)
        }
        for e in environments { await end(e) }
    }

    /// An X-Ray-style trace header derived from the request id.
    static func traceId(_ requestId: String, deadlineMs: Int64) -> String {
        var hex = requestId.lowercased().filter { $0.isHexDigit }
        while hex.count < 40 { hex += "0" }
        let seconds = String(UInt32(truncatingIfNeeded: max(0, deadlineMs / 1000)), radix: 16)
        let time = String(repeating: "0", count: max(0, 8 - seconds.count)) + seconds
        return "Root=1-\(time)-\(hex.prefix(24));Parent=\(hex.dropFirst(24).prefix(16));Sampled=0"
    }
}
