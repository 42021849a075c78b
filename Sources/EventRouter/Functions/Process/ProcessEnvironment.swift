import Foundation

/// The environment of a process function: the router's own environment (so `PATH` finds
/// interpreters), then the manifest's `Environment.Variables`, then Lambda's variables.
enum ProcessEnvironment {
    private static let inherited: [String: String] = ProcessInfo.processInfo.environment

    /// `KEY=VALUE` strings for a spawn; `context` adds the per-invocation request id and deadline.
    static func make(manifest: FunctionManifest, context: FunctionContext?) -> [String] {
        var env = inherited
        for (k, v) in manifest.environment { env[k] = v }
        env["AWS_LAMBDA_FUNCTION_NAME"] = manifest.name
        env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        env["AWS_LAMBDA_FUNCTION_TIMEOUT"] = String(manifest.timeoutSeconds)
        env["AWS_REGION"] = manifest.region
        env["AWS_DEFAULT_REGION"] = manifest.region
        env["EVENTROUTER_FUNCTION_ARN"] = manifest.arn
        env["EVENTROUTER_MODE"] = manifest.mode.rawValue
        if let context {
            env["EVENTROUTER_REQUEST_ID"] = context.requestId
            env["EVENTROUTER_DEADLINE_MS"] = String(context.deadline.millisecondsSinceEpoch)
            env["EVENTROUTER_ATTEMPT"] = String(context.attempt)
        }
        return env.map { "\($0.key)=\($0.value)" }
    }

    /// The handler's absolute path.
    static func executablePath(_ manifest: FunctionManifest) -> String {
        let folder = manifest.folder.hasPrefix("/")
            ? manifest.folder : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(manifest.folder)
        return ((folder as NSString).appendingPathComponent(manifest.handler) as NSString).standardizingPath
    }

    /// The function folder's absolute path.
    static func directory(_ manifest: FunctionManifest) -> String {
        (executablePath(manifest) as NSString).deletingLastPathComponent
    }
}
