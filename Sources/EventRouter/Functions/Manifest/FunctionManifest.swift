/// A handler function's settings: the parsed `Functions/NAME/function.json`.
///
/// Registering a function is adding its folder; the folder name is the function name and
/// the manifest says how to run it and how to treat its asynchronous invocations (Lambda's
/// `PutFunctionEventInvokeConfig` settings, with AWS's property names).
public struct FunctionManifest: Sendable, Equatable {
    /// How the handler runs.
    public enum Runtime: String, Sendable, Equatable, CaseIterable {
        /// An executable in the function's folder, any language, JSON over stdin/stdout.
        case process
        /// A Swift handler compiled into the tool (see ``SwiftFunctionRegistry``).
        case swift
        /// A custom runtime: an executable `bootstrap` in the folder that talks to the Lambda
        /// Runtime API (`provided`, `provided.al2`, `provided.al2023`).
        case provided
        /// Lambda's Python runtime (`python3.x`): `Handler` is `path/module.function`.
        case python
        /// Lambda's Node.js runtime (`nodejs20.x`, `nodejs22.x`, …): `Handler` is `path/module.function`.
        case nodejs
    }

    /// How a process handler is driven.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// One process per invocation.
        case invocation
        /// One long-lived process per concurrent slot, one JSON line per invocation.
        case worker
    }

    /// The function name (its folder's name).
    public var name: String
    /// The folder holding `function.json` (absolute or relative to the working directory).
    public var folder: String
    /// `Runtime`: process or swift.
    public var runtime: Runtime
    /// The executable path inside ``folder`` (process) or the handler's registered name (swift).
    public var handler: String
    /// `Runtime` as written (`process`, `swift`, `provided.al2023`, `python3.12`, `nodejs20.x`, …).
    public var runtimeName: String = ""
    /// `MemorySize` in MB (128–10240, default 128): reported to the handler, not enforced.
    public var memorySize: Int = 128
    /// `Mode` (default invocation).
    public var mode: Mode
    /// `Timeout` in seconds (1–900, default 3).
    public var timeoutSeconds: Int
    /// `ReservedConcurrentExecutions` (0–1000); `nil` means no reservation (no cap).
    public var reservedConcurrentExecutions: Int?
    /// `MaximumRetryAttempts` for asynchronous invocation (0–2, default 2).
    public var maximumRetryAttempts: Int
    /// `MaximumEventAgeInSeconds` for asynchronous invocation (60–21600, default 21600).
    public var maximumEventAgeInSeconds: Int
    /// `DestinationConfig.OnSuccess.Destination`.
    public var onSuccessDestination: String?
    /// `DestinationConfig.OnFailure.Destination`.
    public var onFailureDestination: String?
    /// `DeadLetterConfig.TargetArn` (a queue or topic).
    public var deadLetterTargetArn: String?
    /// `Environment.Variables`, in document order.
    public var environment: [(key: String, value: String)]
    /// `Aliases`: alias name → version (`$LATEST` or a number), in declaration order (see
    /// ``executedVersion(for:)``).
    public var aliases: [(name: String, version: String)] = []
    /// `Account` (12 digits, default ``FunctionManifest/defaultAccount``).
    public var account: String
    /// The region of the function's ARN: `Region`, or else the workspace's region (see
    /// ``placed(inRuleFileRegions:defaultRegion:)``).
    public var region: String
    /// Whether the manifest sets `Region` (otherwise the function follows the workspace's region).
    public var declaresRegion: Bool = false

    /// The default account of the router.
    public static let defaultAccount = "123456789012"
    /// The default region of the router.
    public static let defaultRegion = "us-east-1"
    /// Every key `function.json` may hold.
    public static let knownKeys = [
        "Runtime", "Handler", "Mode", "Timeout", "ReservedConcurrentExecutions", "MaximumRetryAttempts",
        "MaximumEventAgeInSeconds", "DestinationConfig", "DeadLetterConfig", "Environment", "Account", "Region", "Description",
        "Aliases", "MemorySize", "EventInvokeConfig",
    ]

    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`.
    public var arn: String { Self.arn(region: region, account: account, name: name) }

    /// The timeout as a duration.
    public var timeout: Duration { .seconds(timeoutSeconds) }

    /// The ARN of function `name`.
    public static func arn(region: String = defaultRegion, account: String = defaultAccount, name: String) -> String {
        "arn:aws:lambda:\(region):\(account):function:\(name)"
    }

    /// A manifest built in code (tests, Swift functions registered without a folder).
    public init(
        name: String, folder: String = "", runtime: Runtime = .swift, handler: String = "", mode: Mode = .invocation,
        timeoutSeconds: Int = 3, reservedConcurrentExecutions: Int? = nil, maximumRetryAttempts: Int = 2,
        maximumEventAgeInSeconds: Int = 21_600, onSuccessDestination: String? = nil, onFailureDestination: String? = nil,
        deadLetterTargetArn: String? = nil, environment: [(key: String, value: String)] = [],
        account: String = defaultAccount, region: String = defaultRegion
    ) {
        self.name = name
        self.folder = folder
        self.runtime = runtime
        self.handler = handler
        self.mode = mode
        self.timeoutSeconds = timeoutSeconds
        self.reservedConcurrentExecutions = reservedConcurrentExecutions
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
        self.onSuccessDestination = onSuccessDestination
        self.onFailureDestination = onFailureDestination
        self.deadLetterTargetArn = deadLetterTargetArn
        self.environment = environment
        self.account = account
        self.region = region
        self.runtimeName = runtime.rawValue
    }

    /// Parses and validates a manifest.
    /// - Parameters:
    ///   - json: the text of `function.json`.
    ///   - folder: the function's folder; its last path component is the function name.
    ///   - region: the region for the function's ARN when the manifest sets no `Region`.
    /// - Throws: ``FunctionManifestError`` listing every problem (file, key, reason).
    public init(json: String, folder: String, region: String = defaultRegion) throws(FunctionManifestError) {
        let file = folder.hasSuffix("/") ? folder + "function.json" : folder + "/function.json"
        let value: JSONValue
        do {
            value = try JSONParser.parse(json, options: .init(rejectDuplicateKeys: true))
        } catch {
            throw FunctionManifestError(problems: [ValidationProblem(file: file, path: "$", "\(error)")])
        }
        var trimmed = folder
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        try self.init(value: value, name: name, folder: folder, file: file, region: region)
    }

    /// Validates an already-parsed manifest.
    /// - Throws: ``FunctionManifestError`` listing every problem.
    public init(value: JSONValue, name: String, folder: String, file: String, region: String = defaultRegion) throws(FunctionManifestError) {
        var fields = FieldReader(file: file)
        self.init(name: name, folder: folder, region: region)
        if !Self.isValidName(name) {
            fields.error("$", "the folder name '\(name)' is not a valid function name: use 1–64 letters, digits, '-' or '_'")
        }
        guard let given = value.objectValue else {
            fields.error("$", "the manifest must be a JSON object, not \(value.kindName)")
            throw FunctionManifestError(problems: fields.problems)
        }
        // A null value means the key is absent, as it always has in manifests.
        let object = JSONObject(given.members.filter { !$0.value.isNull })
        fields.checkKeys(object, allowed: Self.knownKeys, what: "a function manifest", at: "$")
        if let text = fields.string(object, "Runtime", at: "$", required: true) {
            if let kind = Runtime.named(text) {
                runtime = kind
                runtimeName = text
            } else {
                fields.error("$.Runtime", Runtime.unknownNameReason(text))
            }
        }
        if let text = fields.enumeration(object, "Mode", at: "$", allowed: Mode.allCases.map(\.rawValue)) { mode = Mode(rawValue: text) ?? mode }
        if let text = fields.string(object, "Handler", at: "$", required: runtime != .provided) {
            handler = text
            if let reason = Self.handlerProblem(text, runtime: runtime) { fields.error("$.Handler", reason) }
        }
        if mode == .worker && runtime != .process {
            fields.error("$.Mode", "'Mode' \"worker\" applies to process functions only; remove it or set Runtime to \"process\"")
        }
        if let v = fields.int(object, "MemorySize", at: "$", range: 128...10_240) { memorySize = v }
        if let v = fields.int(object, "Timeout", at: "$", range: 1...900) { timeoutSeconds = v }
        if let v = fields.int(object, "ReservedConcurrentExecutions", at: "$", range: 0...1000) { reservedConcurrentExecutions = v }
        if let text = fields.string(object, "Account", at: "$", pattern: .accountID) { account = text }
        if let text = fields.string(object, "Region", at: "$", pattern: .region) {
            self.region = text
            declaresRegion = true
        }
        _ = fields.string(object, "Description", at: "$")
        if let value = object["Aliases"] { aliases = Self.readAliases(value, fields: &fields) }
        readEventInvokeConfig(object, at: "$", fields: &fields)
        if let nested = fields.object(object, "EventInvokeConfig", at: "$") {
            fields.checkKeys(nested, allowed: ["MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig"],
                             what: "EventInvokeConfig", at: "$.EventInvokeConfig")
            for key in nested.members.map(\.key) where object[key] != nil {
                fields.error("$.EventInvokeConfig.\(key)", "'\(key)' is set both at the top level and in EventInvokeConfig; keep one")
            }
            readEventInvokeConfig(nested, at: "$.EventInvokeConfig", fields: &fields)
        }
        if let dlq = fields.object(object, "DeadLetterConfig", at: "$") {
            fields.checkKeys(dlq, allowed: ["TargetArn"], what: "DeadLetterConfig", at: "$.DeadLetterConfig")
            if fields.arn(dlq, "TargetArn", at: "$.DeadLetterConfig", kinds: [.queue, .topic], required: true) != nil {
                deadLetterTargetArn = dlq["TargetArn"]?.stringValue
            }
        }
        if let env = fields.object(object, "Environment", at: "$") {
            fields.checkKeys(env, allowed: ["Variables"], what: "Environment", at: "$.Environment")
            if let vars = fields.object(env, "Variables", at: "$.Environment") {
                for member in vars.members {
                    guard Self.isValidVariableName(member.key) else {
                        fields.error("$.Environment.Variables.\(member.key)", "variable names start with a letter and hold only letters, digits and '_'")
                        continue
                    }
                    guard let text = member.value.stringValue else {
                        fields.error("$.Environment.Variables.\(member.key)",
                                     "'\(member.key)' must be a string, not \(member.value.kindName); quote it, e.g. \"\(member.value.jsonText)\"")
                        continue
                    }
                    environment.append((member.key, text))
                }
            }
        }
        if !fields.problems.isEmpty { throw FunctionManifestError(problems: fields.problems) }
    }

    /// Reads Lambda's event-invoke settings (`MaximumRetryAttempts`, `MaximumEventAgeInSeconds`,
    /// `DestinationConfig`) from `object` at `path` (the manifest, or its `EventInvokeConfig`).
    private mutating func readEventInvokeConfig(_ object: JSONObject, at root: String, fields: inout FieldReader) {
        if let v = fields.int(object, "MaximumRetryAttempts", at: root, range: 0...2) { maximumRetryAttempts = v }
        if let v = fields.int(object, "MaximumEventAgeInSeconds", at: root, range: 60...21_600) { maximumEventAgeInSeconds = v }
        guard let config = fields.object(object, "DestinationConfig", at: root) else { return }
        let at = root + ".DestinationConfig"
        fields.checkKeys(config, allowed: ["OnSuccess", "OnFailure"], what: "DestinationConfig", at: at)
        for which in ["OnSuccess", "OnFailure"] {
            let path = "\(at).\(which)"
            guard let d = fields.object(config, which, at: at) else { continue }
            fields.checkKeys(d, allowed: ["Destination"], what: "a destination", at: path)
            guard fields.arn(d, "Destination", at: path, kinds: [.queue, .topic, .eventBus, .function], required: true) != nil,
                  let arn = d["Destination"]?.stringValue else { continue }
            if which == "OnSuccess" { onSuccessDestination = arn } else { onFailureDestination = arn }
        }
    }

    /// Why `handler` cannot be the handler of a `runtime` function, or `nil`.
    static func handlerProblem(_ handler: String, runtime: Runtime) -> String? {
        switch runtime {
        case .process:
            if handler.hasPrefix("/") {
                return "'\(handler)' must be a path inside the function's folder, e.g. \"handler.py\", not an absolute path"
            }
            if handler.split(separator: "/").contains("..") { return "'\(handler)' must stay inside the function's folder (no '..')" }
            return nil
        case .swift:
            let ok = handler.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2E
            }
            return ok ? nil : "'\(handler)' must be the Swift handler's type name, e.g. \"RollingAverage\""
        case .provided:
            return nil
        case .python, .nodejs:
            return LambdaHandlerName(handler, runtime: runtime).problem
        }
    }

    /// Function names: 1–64 of `[A-Za-z0-9_-]`.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }

    static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
    }

    public static func == (lhs: FunctionManifest, rhs: FunctionManifest) -> Bool {
        lhs.name == rhs.name && lhs.folder == rhs.folder && lhs.runtime == rhs.runtime && lhs.handler == rhs.handler
            && lhs.mode == rhs.mode && lhs.timeoutSeconds == rhs.timeoutSeconds
            && lhs.reservedConcurrentExecutions == rhs.reservedConcurrentExecutions
            && lhs.maximumRetryAttempts == rhs.maximumRetryAttempts && lhs.maximumEventAgeInSeconds == rhs.maximumEventAgeInSeconds
            && lhs.onSuccessDestination == rhs.onSuccessDestination && lhs.onFailureDestination == rhs.onFailureDestination
            && lhs.deadLetterTargetArn == rhs.deadLetterTargetArn && lhs.account == rhs.account && lhs.region == rhs.region
            && lhs.declaresRegion == rhs.declaresRegion && lhs.runtimeName == rhs.runtimeName && lhs.memorySize == rhs.memorySize
            && lhs.environment.map(\.key) == rhs.environment.map(\.key) && lhs.environment.map(\.value) == rhs.environment.map(\.value)
            && lhs.aliases.map(\.name) == rhs.aliases.map(\.name) && lhs.aliases.map(\.version) == rhs.aliases.map(\.version)
    }
}
