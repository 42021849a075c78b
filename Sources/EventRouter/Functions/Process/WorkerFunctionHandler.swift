import Synchronization

/// Runs a `"Mode": "worker"` process function: long-lived processes, each serving one
/// invocation at a time over one JSON line each way.
///
/// In: `{"payload": …, "context": {"requestId", "functionArn", "functionName", "deadlineMs", "attempt"}}`.
/// Out: `{"result": …}` or `{"error": {"type": …, "message": …}}`, each optionally with the
/// `"requestId"` it answers (checked when present). A reply for another request, a second
/// line, or stdout while no request is outstanding fails the invocation and restarts the
/// worker, so a result is never recorded for the wrong event. There are as many workers as
/// concurrent invocations (one with reserved concurrency 1, so in-memory state stays
/// consistent). A worker that dies mid-invocation fails that invocation with a clear message
/// and is replaced on the next one; a timeout kills its process group.
public final class WorkerFunctionHandler: FunctionHandler {
    /// The function's manifest (`Runtime: process`, `Mode: worker`).
    public let manifest: FunctionManifest
    private let idle = Mutex<[(worker: WorkerProcess, generation: UInt64)]>([])
    private let started = Atomic<Int>(0)
    /// Advanced by ``codeDidChange()``: a worker of an older generation is replaced.
    private let generation = FunctionCodeGeneration()

    public init(manifest: FunctionManifest) { self.manifest = manifest }

    public var awaitsCancellation: Bool { true }

    /// How many worker processes have been started so far (restarts included).
    public var workersStarted: Int { started.load(ordering: .relaxed) }

    public func handle(_ payload: [UInt8], context: FunctionContext) async throws -> [UInt8] {
        var line: [UInt8] = Array("{\"payload\":".utf8)
        line += payload.isEmpty ? Array("null".utf8) : payload.filter { $0 != 0x0A && $0 != 0x0D }
        line += Array(",\"context\":".utf8)
        JSONSerializer.write(context.json, into: &line)
        line.append(0x7D)
        let request = line

        let killSwitch = KillSwitch()
        let manifest = self.manifest
        let current = generation.current
        let popped = idle.withLock { $0.popLast() }
        let stale = popped.flatMap { $0.generation == current ? nil : $0.worker }
        let reused = stale == nil ? popped?.worker : nil
        let outcome: Result<(WorkerProcess, Result<[UInt8], WorkerProcess.Failure>), FunctionError> = await withTaskCancellationHandler {
            await ChildProcess.offPool {
                stale?.stop()
                let worker: WorkerProcess
                if let reused, reused.isAlive {
                    worker = reused
                } else {
                    reused?.stop()
                    do {
                        worker = try WorkerProcess.start(manifest: manifest)
                        self.started.add(1, ordering: .relaxed)
                    } catch let error as FunctionError {
                        return .failure(error)
                    } catch {
                        return .failure(FunctionError(type: "Runtime.StartError", message: "\(error)"))
                    }
                }
                killSwitch.attach(worker.process)
                return .success((worker, worker.exchange(request, replyLimit: PayloadLimits.response + Self.envelopeAllowance)))
            }
        } onCancel: {
            killSwitch.cancel()
        }
        let (worker, exchanged) = try outcome.get()
        if killSwitch.isCancelled {
            await park(worker, generation: current)
            throw CancellationError()
        }
        let restarted = "the worker was restarted"
        switch exchanged {
        case .failure(.died(let status, let stderr)):
            var message = "the worker process \(status) while handling request \(context.requestId); it will be restarted for the next invocation"
            if !stderr.isEmpty { message += ". stderr: " + stderr }
            throw FunctionError(type: "Runtime.WorkerCrashed", message: message)
        case .failure(.replyTooLarge):
            await ChildProcess.offPool { worker.stop() }
            throw FunctionError.responseTooLarge
        case .failure(.unexpectedOutput(let text)):
            await ChildProcess.offPool { worker.stop() }
            throw FunctionError(type: "Runtime.InvalidResponse", message: "the worker wrote to stdout while no request was outstanding (a second reply to an earlier request?), so the reply to request \(context.requestId) could not be told apart; \(restarted) (one reply line per request; logs go to stderr). It wrote: \(text)")
        case .failure(.extraOutput(let reply, let extra)):
            await ChildProcess.offPool { worker.stop() }
            do {
                _ = try Self.decode(reply, requestId: context.requestId)
            } catch let error as FunctionError where error.type == "Runtime.InvalidResponse" {
                throw FunctionError(type: error.type, message: error.message + "; \(restarted) (write logs to stderr, not stdout)")
            } catch {}
            throw FunctionError(type: "Runtime.InvalidResponse", message: "the worker wrote more than one line in reply to request \(context.requestId); \(restarted) (one reply line per request; logs go to stderr). After its reply it wrote: \(extra)")
        case .success(let reply):
            do {
                let result = try Self.decode(reply, requestId: context.requestId)
                await park(worker, generation: current)
                return result
            } catch let error as FunctionError where error.type == "Runtime.InvalidResponse" {
                // Out of step (e.g. the worker printed a log line on stdout): replace it.
                await ChildProcess.offPool { worker.stop() }
                throw FunctionError(type: error.type, message: error.message + "; \(restarted) (write logs to stderr, not stdout)")
            } catch {
                await park(worker, generation: current)
                throw error
            }
        }
    }

    /// Hands a worker back after its request: kept for the next one when alive and of the
    /// current code generation, else stopped (a code change restarts it here).
    private func park(_ worker: WorkerProcess, generation started: UInt64) async {
        if worker.isAlive && started == generation.current {
            idle.withLock { $0.append((worker, started)) }
        } else {
            await ChildProcess.offPool { worker.stop() }
        }
    }

    /// Starts a new code generation and stops the idle workers; busy ones are stopped when
    /// their current request ends, and the next invocation starts a worker on the new code.
    public func codeDidChange() async -> FunctionCodeReload {
        generation.advance()
        let workers = idle.withLock { w in
            defer { w.removeAll() }
            return w.map(\.worker)
        }
        await ChildProcess.offPool {
            for w in workers { w.stop() }
        }
        return .workersRestarted(idleStopped: workers.count)
    }

    /// Room for the reply line's `{"requestId": …, "result": …}` around a result of the largest size.
    static let envelopeAllowance = 4096

    /// Reads `{"result": …}` or `{"error": {"type", "message"}}`, optionally with the
    /// `"requestId"` of the request it answers, which must then be `requestId`.
    static func decode(_ reply: [UInt8], requestId: String? = nil) throws -> [UInt8] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: reply)
        } catch {
            throw FunctionError(type: "Runtime.InvalidResponse", message: "the worker's reply line is not valid JSON (\(error)): \(ProcessExchange.tail(reply, limit: 200))")
        }
        if let requestId, let echoed = value.objectValue?["requestId"], !echoed.isNull, echoed.stringValue != requestId {
            throw FunctionError(type: "Runtime.InvalidResponse", message: "the worker's reply answers request \(echoed.jsonText), but request \"\(requestId)\" was sent (one reply line per request, in order)")
        }
        if let error = value["error"], !error.isNull {
            throw FunctionError(type: error["type"]?.stringValue ?? "Unhandled", message: error["message"]?.stringValue ?? error.jsonText)
        }
        guard let object = value.objectValue, let result = object["result"] else {
            throw FunctionError(type: "Runtime.InvalidResponse", message: "the worker's reply must be {\"result\": …} or {\"error\": {\"type\", \"message\"}}, got \(ProcessExchange.tail(reply, limit: 200))")
        }
        var out: [UInt8] = []
        JSONSerializer.write(result, into: &out)
        if out.count > PayloadLimits.response { throw FunctionError.responseTooLarge }
        return out
    }

    public func shutdown() async {
        let workers = idle.withLock { w in
            defer { w.removeAll() }
            return w.map(\.worker)
        }
        await ChildProcess.offPool {
            for w in workers { w.stop() }
        }
    }
}
