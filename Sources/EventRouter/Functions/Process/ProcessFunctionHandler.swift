/// Runs a process function, one process per invocation: the payload JSON goes to stdin, the
/// result JSON comes from stdout; exit status 0 is success, anything else a function error
/// carrying stderr's tail.
///
/// The invocation ends when the process exits (never on end of file, which a descendant could
/// withhold); its process group is then killed, so background children do not outlive it.
/// A timeout cancels the invocation task, which kills the whole process group with SIGKILL.
/// Stdout beyond ``PayloadLimits/response`` fails the invocation with
/// `Function.ResponseSizeTooLarge`. Spawning, pipe I/O and `waitpid` run on the process-I/O
/// pool (``BlockingIOPool``, bounded by the accounts' concurrency), off the cooperative pool.
public struct ProcessFunctionHandler: FunctionHandler {
    /// The function's manifest (`Runtime: process`).
    public let manifest: FunctionManifest
    private let executable: String
    private let directory: String

    public init(manifest: FunctionManifest) {
        self.manifest = manifest
        executable = ProcessEnvironment.executablePath(manifest)
        directory = ProcessEnvironment.directory(manifest)
    }

    public var awaitsCancellation: Bool { true }

    public func handle(_ payload: [UInt8], context: FunctionContext) async throws -> [UInt8] {
        let killSwitch = KillSwitch()
        let environment = ProcessEnvironment.make(manifest: manifest, context: context)
        let executable = self.executable, directory = self.directory
        let result: Result<ProcessExchange.Output, FunctionError> = await withTaskCancellationHandler {
            await ChildProcess.offPool {
                do {
                    let process = try ChildProcess.spawn(executable: executable, environment: environment, directory: directory)
                    killSwitch.attach(process)
                    return .success(ProcessExchange.run(process, input: payload, responseLimit: PayloadLimits.response))
                } catch let error as FunctionError {
                    return .failure(error)
                } catch {
                    return .failure(FunctionError(type: "Runtime.StartError", message: "\(error)"))
                }
            }
        } onCancel: {
            killSwitch.cancel()
        }
        if killSwitch.isCancelled { throw CancellationError() }
        let output = try result.get()
        context.invocationLog?.append(output.stderr)
        if output.stdoutOverflowed { throw FunctionError.responseTooLarge }
        guard ChildProcess.isSuccess(output.status) else {
            let tail = ProcessExchange.tail(output.stderr)
            let status = ChildProcess.describe(status: output.status)
            throw FunctionError(type: "Runtime.ExitError", message: tail.isEmpty ? "the handler ended with \(status)" : tail)
        }
        return output.stdout
    }
}
