import EventRouter

/// A function's `FunctionConfiguration` as Lambda reports it, built from its folder's
/// `function.json` and its current settings (reservation, event-invoke configuration).
enum LambdaConfiguration {
    /// Manifests carry no memory size: Lambda's default.
    static let memorySize = 128

    /// Lambda's `LastModified` string form: `2024-01-02T03:04:05.678+0000`.
    static func lastModified(_ t: Timestamp) -> String {
        var text = t.iso8601Milliseconds
        if text.hasSuffix("Z") { text.removeLast() }
        return text + "+0000"
    }

    /// The `Runtime` reported for a function: `provided.al2023` for Swift functions (a custom
    /// runtime compiled in), a language runtime guessed from a process handler's extension.
    static func runtimeName(_ manifest: FunctionManifest) -> String {
        if manifest.runtime.usesRuntimeAPI { return manifest.runtimeName }
        guard manifest.runtime == .process else { return "provided.al2023" }
        let handler = manifest.handler
        if handler.hasSuffix(".py") { return "python3.12" }
        if handler.hasSuffix(".js") || handler.hasSuffix(".mjs") { return "nodejs20.x" }
        if handler.hasSuffix(".rb") { return "ruby3.3" }
        return "provided.al2023"
    }

    /// `FunctionConfiguration`.
    static func json(_ runtime: FunctionRuntime, lastModified: Timestamp) -> JSONValue {
        let m = runtime.manifest
        var o = JSONObject()
        o["FunctionName"] = .string(m.name)
        o["FunctionArn"] = .string(m.arn)
        o["Runtime"] = .string(runtimeName(m))
        o["Role"] = .string("arn:aws:iam::\(m.account):role/eventrouter-function")
        o["Handler"] = .string(m.handler)
        o["CodeSize"] = 0
        o["Description"] = .string("\(m.runtime.rawValue) function in \(m.folder.isEmpty ? "Functions/\(m.name)" : m.folder)"
            + (m.runtime == .process ? " (mode \(m.mode.rawValue))" : ""))
        o["Timeout"] = .number(JSONNumber(m.timeoutSeconds))
        o["MemorySize"] = .number(JSONNumber(m.memorySize))
        o["LastModified"] = .string(Self.lastModified(lastModified))
        o["CodeSha256"] = ""
        o["Version"] = "$LATEST"
        if !m.environment.isEmpty {
            o["Environment"] = ["Variables": .object(JSONObject(m.environment.map { .init(key: $0.key, value: .string($0.value)) }))]
        }
        if let dlq = m.deadLetterTargetArn { o["DeadLetterConfig"] = ["TargetArn": .string(dlq)] }
        o["TracingConfig"] = ["Mode": "PassThrough"]
        o["RevisionId"] = .string(String(repeating: "0", count: 8) + "-0000-4000-8000-" + String(repeating: "0", count: 12))
        o["State"] = "Active"
        o["LastUpdateStatus"] = "Successful"
        o["PackageType"] = "Zip"
        o["Architectures"] = [.string(architecture)]
        o["EphemeralStorage"] = ["Size": 512]
        o["LoggingConfig"] = ["LogFormat": "Text", "LogGroup": .string("/aws/lambda/\(m.name)")]
        return .object(o)
    }

    #if arch(arm64)
    static let architecture = "arm64"
    #else
    static let architecture = "x86_64"
    #endif
}
