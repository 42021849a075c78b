import Synchronization

/// Runs a `"Mode": "worker"` process function: long-lived processes, each serving one
/// invocation at a time over one JSON line each way.
///
/// In: `{"payload": …, "context": {"requestId", "functionArn", "functionName", "deadlineMs", "attempt"}}`.
/// Out: `{"result": …}` or `{"error": {"type": …, "message": …}}`. There are as many workers as
/// concurrent invocations (one with reserved concurrency 1, so in-memory state stays
/// consistent). A worker that dies mid-invocation fails that invocation with a clear message
/// and is replaced on the next one; a timeout kills its process group.
public final class WorkerFunctionHandler: FunctionHandler {
    /// The function's manifest (`Runtime: process`, `Mode: worker`).
    public let manifest: FunctionManifest
    private let idle = Mutex<[WorkerProcess]>([])
    private let started = Atomic<Int>(0)

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
        let reused = idle.withLock { $0.popLast() }
        let outcome: Result<(WorkerProcess, Result<[UInt8], WorkerProcess.Failure>), FunctionError> = await withTaskCancellationHandler {
            await ChildProcess.offPool {
                let worker: WorkerProcess
                if let reused, reused.isAlive {
                    worker = reused
                } else {
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
                return .success((worker, worker.exchange(request)))
            }
        } onCancel: {
            killSwitch.cancel()
        }
        let (worker, exchanged) = try outcome.get()
        if killSwitch.isCancelled {
            if worker.isAlive { idle.withLock { $0.append(worker) } }
            throw CancellationError()
        }
        switch exchanged {
        case .failure(.died(let status, let stderr)):
            var message = "the worker process \(status) while handling request \(context.requestId); it will be restarted for the next invocation"
            if !stderr.isEmpty { message += ". stderr: " + stderr }
            throw FunctionError(type: "Runtime.WorkerCrashed", message: message)
        case .success(let reply):
            do {
                let result = try Self.decode(reply)
                if worker.isAlive { idle.withLock { $0.append(worker) } }
                return result
            } catch let error as FunctionError where error.type == "Runtime.InvalidResponse" {
                // Out of step (e.g. the worker printed a log line on stdout): replace it.
                await ChildProcess.offPool { worker.stop() }
                throw FunctionError(type: error.type, message: error.message + "; the worker was restarted (write logs to stderr, not stdout)")
            } catch {
                if worker.isAlive { idle.withLock { $0.append(worker) } }
                throw error
            }
        }
    }

    /// Reads `{"result": …}` or `{"error": {"type", "message"}}`.
    static func decode(_ reply: [UInt8]) throws -> [UInt8] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: reply)
        } catch {
            throw FunctionError(type: "Runtime.InvalidResponse", message: "the worker's reply line is not valid JSON (\(error)): \(ProcessExchange.tail(reply, limit: 200))")
        }
        if let error = value["error"], !error.isNull {
            throw FunctionError(type: error["type"]?.stringValue ?? "Unhandled", message: error["message"]?.stringValue ?? error.jsonText)
        }
        guard let object = value.objectValue, let result = object["result"] else {
            throw FunctionError(type: "Runtime.InvalidResponse", message: "the worker's reply must be {\"result\": …} or {\"error\": {\"type\", \"message\"}}, got \(ProcessExchange.tail(reply, limit: 200))")
        }
        var out: [UInt8] = []
        JSONSerializer.write(result, into: &out)
        return out
    }

    public func shutdown() async {
        let workers = idle.withLock { w in
            defer { w.removeAll() }
            return w
        }
        await ChildProcess.offPool {
            for w in workers { w.stop() }
        }
    }
}
