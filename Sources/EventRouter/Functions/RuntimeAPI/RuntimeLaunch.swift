import Foundation
import Synchronization

/// How an execution environment of a Runtime API function starts: the folder's `bootstrap`
/// (`provided`), or the interpreter found on `PATH` running EventRouter's own bootstrap for
/// Python or Node.js, passed inline (`python3 -c …`, `node -e …`: nothing is written to disk).
struct RuntimeLaunch: Sendable, Equatable {
    var executable: String
    var arguments: [String]
    /// The function's folder (absolute): the working directory and `LAMBDA_TASK_ROOT`.
    var directory: String
    /// `AWS_EXECUTION_ENV`'s value, e.g. `AWS_Lambda_python3.12`.
    var executionEnvironment: String?

    /// The launch of `manifest`, or why it cannot start (no interpreter on `path`).
    static func resolve(_ manifest: FunctionManifest, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> Result<RuntimeLaunch, FunctionError> {
        let folder = manifest.folder.hasPrefix("/")
            ? manifest.folder : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(manifest.folder)
        let directory = (folder as NSString).standardizingPath
        switch manifest.runtime {
        case .python:
            guard let python = interpreter(for: manifest, path: path) else { return .failure(missingInterpreter(manifest, path: path)) }
            return .success(RuntimeLaunch(executable: realInterpreter(python, probe: ["-c", "import sys; sys.stdout.write(sys.executable)"]), arguments: ["-u", "-B", "-c", PythonBootstrap.source], directory: directory,
                                          executionEnvironment: "AWS_Lambda_\(manifest.runtimeName)"))
        case .nodejs:
            guard let node = interpreter(for: manifest, path: path) else { return .failure(missingInterpreter(manifest, path: path)) }
            return .success(RuntimeLaunch(executable: realInterpreter(node, probe: ["-e", "process.stdout.write(process.execPath)"]), arguments: ["-e", NodeBootstrap.source], directory: directory,
                                          executionEnvironment: "AWS_Lambda_\(manifest.runtimeName)"))
        default:
            return .success(RuntimeLaunch(executable: (directory as NSString).appendingPathComponent("bootstrap"), arguments: [], directory: directory))
        }
    }

    /// Only whether the interpreter is on `path` (no process is started): what `validate` checks.
    static func locate(_ manifest: FunctionManifest, path: String?) -> Result<String, FunctionError> {
        interpreter(for: manifest, path: path).map { .success($0) } ?? .failure(missingInterpreter(manifest, path: path))
    }

    /// The programs tried for a runtime, in order: `python3` then `python3.N` (shims such as pyenv's may list a `python3.N` that does not run); `node`.
    static func interpreterNames(_ manifest: FunctionManifest) -> [String] {
        switch manifest.runtime {
        case .python: ["python3", manifest.runtimeName]
        case .nodejs: ["node"]
        default: []
        }
    }

    /// The first of ``interpreterNames(_:)`` that is an executable file in a folder of `path`.
    static func interpreter(for manifest: FunctionManifest, path: String?) -> String? {
        let folders = (path ?? "").split(separator: ":").map(String.init)
        for name in interpreterNames(manifest) {
            for folder in folders {
                let candidate = (folder as NSString).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate) {
                    return candidate
                }
            }
        }
        return nil
    }

    private static let resolved = Mutex<[String: String]>([:])

    /// The interpreter behind `path`, asked once (`sys.executable`, `process.execPath`) and
    /// remembered: a version manager's shim (pyenv's `python3` is a bash script) costs hundreds
    /// of milliseconds per start, the interpreter itself a few dozen. Blocking: call off the pool.
    static func realInterpreter(_ path: String, probe: [String]) -> String {
        if let known = resolved.withLock({ $0[path] }) { return known }
        var answer = path
        if let process = try? ChildProcess.spawn(executable: path, arguments: probe, environment: inherited.map { "\($0.key)=\($0.value)" }, directory: "") {
            let output = ProcessExchange.run(process, input: [], responseLimit: 4096)
            let text = String(decoding: output.stdout, as: UTF8.self)
            if ChildProcess.isSuccess(output.status), text.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: text) { answer = text }
        }
        resolved.withLock { $0[path] = answer }
        return answer
    }

    /// The error of a runtime whose interpreter is not on `PATH`, naming the runtime.
    static func missingInterpreter(_ manifest: FunctionManifest, path: String?) -> FunctionError {
        let names = interpreterNames(manifest).joined(separator: " or ")
        let install = manifest.runtime == .python ? "install Python 3 (python3)" : "install Node.js (node, version 18 or later)"
        return FunctionError(type: "Runtime.InvalidEntrypoint",
                             message: "function '\(manifest.name)' uses the \(manifest.runtimeName) runtime, but no \(names) is on PATH (\(path ?? "unset")); \(install) or start eventrouter with a PATH that has it")
    }

    /// `KEY=VALUE` strings: the router's environment, the manifest's variables, then Lambda's.
    func environment(manifest: FunctionManifest, runtimeAPI: String) -> [String] {
        var env = Self.inherited
        for (k, v) in manifest.environment { env[k] = v }
        env["AWS_LAMBDA_RUNTIME_API"] = runtimeAPI
        env["_HANDLER"] = manifest.handler
        env["LAMBDA_TASK_ROOT"] = directory
        env["AWS_LAMBDA_FUNCTION_NAME"] = manifest.name
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = String(manifest.memorySize)
        env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        env["AWS_LAMBDA_FUNCTION_TIMEOUT"] = String(manifest.timeoutSeconds)
        env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/\(manifest.name)"
        env["AWS_LAMBDA_LOG_STREAM_NAME"] = "eventrouter/[$LATEST]\(runtimeAPI.split(separator: ":").last ?? "")"
        env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand"
        env["AWS_REGION"] = manifest.region
        env["AWS_DEFAULT_REGION"] = manifest.region
        if let executionEnvironment { env["AWS_EXECUTION_ENV"] = executionEnvironment }
        return env.map { "\($0.key)=\($0.value)" }
    }

    private static let inherited: [String: String] = ProcessInfo.processInfo.environment
}
