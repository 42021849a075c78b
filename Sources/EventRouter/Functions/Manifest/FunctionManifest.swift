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
            throw FunctionManifestError(problems: [.init(file: file, key: "", reason: "\(error)")])
        }
        var trimmed = folder
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        try self.init(value: value, name: name, folder: folder, file: file, region: region)
    }

    /// Validates an already-parsed manifest.
    /// - Throws: ``FunctionManifestError`` listing every problem.
    public init(value: JSONValue, name: String, folder: String, file: String, region: String = defaultRegion) throws(FunctionManifestError) {
        var reader = ManifestReader(file: file)
        self.init(name: name, folder: folder, region: region)
        if !Self.isValidName(name) {
            reader.fail("", "the folder name '\(name)' is not a valid function name: use 1–64 letters, digits, '-' or '_'")
        }
        guard let object = value.objectValue else {
            reader.fail("", "the manifest must be a JSON object, found \(value.kindName)")
            throw FunctionManifestError(problems: reader.problems)
        }
        reader.rejectUnknownKeys(object, known: Self.knownKeys, at: "")

        if let text = reader.string(object, "Runtime", required: true) {
            if let r = Runtime(rawValue: text) { runtime = r } else {
                reader.fail("Runtime", "must be \"process\" or \"swift\", found \"\(text)\"")
            }
        }
        if let text = reader.string(object, "Mode") {
            if let m = Mode(rawValue: text) { mode = m } else {
                reader.fail("Mode", "must be \"invocation\" or \"worker\", found \"\(text)\"")
            }
        }
        if let text = reader.string(object, "Handler", required: true) {
            handler = text
            reader.checkHandler(text, runtime: runtime)
        }
        if mode == .worker && runtime == .swift {
            reader.fail("Mode", "\"worker\" applies to process functions only; remove it or set Runtime to \"process\"")
        }
        if let v = reader.integer(object, "Timeout", in: 1...900) { timeoutSeconds = v }
        if let v = reader.integer(object, "ReservedConcurrentExecutions", in: 0...1000) { reservedConcurrentExecutions = v }
        if let v = reader.integer(object, "MaximumRetryAttempts", in: 0...2) { maximumRetryAttempts = v }
        if let v = reader.integer(object, "MaximumEventAgeInSeconds", in: 60...21_600) { maximumEventAgeInSeconds = v }
        if let text = reader.string(object, "Account") {
            if text.count == 12, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) { account = text } else {
                reader.fail("Account", "must be a 12-digit account id, found \"\(text)\"")
            }
        }
        if let text = reader.string(object, "Region") {
            if !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
                self.region = text
                declaresRegion = true
            } else {
                reader.fail("Region", "must be a region name like eu-west-1, found \"\(text)\"")
            }
        }
        _ = reader.string(object, "Description")
        if let config = reader.object(object, "DestinationConfig") {
            reader.rejectUnknownKeys(config, known: ["OnSuccess", "OnFailure"], at: "DestinationConfig")
            for which in ["OnSuccess", "OnFailure"] {
                guard let d = reader.object(config, which, at: "DestinationConfig") else { continue }
                let path = "DestinationConfig.\(which)"
                reader.rejectUnknownKeys(d, known: ["Destination"], at: path)
                guard let arn = reader.string(d, "Destination", at: path, required: true) else { continue }
                if DestinationKind(arn: arn) == nil {
                    reader.fail(path + ".Destination", "'\(arn)' is not a queue, topic, event bus or function ARN (arn:aws:sqs:…, arn:aws:sns:…, arn:aws:events:…:event-bus/NAME, arn:aws:lambda:…:function:NAME)")
                } else if which == "OnSuccess" { onSuccessDestination = arn } else { onFailureDestination = arn }
            }
        }
        if let dlq = reader.object(object, "DeadLetterConfig") {
            reader.rejectUnknownKeys(dlq, known: ["TargetArn"], at: "DeadLetterConfig")
            if let arn = reader.string(dlq, "TargetArn", at: "DeadLetterConfig", required: true) {
                let kind = DestinationKind(arn: arn)
                if kind == .queue || kind == .topic { deadLetterTargetArn = arn } else {
                    reader.fail("DeadLetterConfig.TargetArn", "'\(arn)' must be a queue (arn:aws:sqs:…) or topic (arn:aws:sns:…) ARN")
                }
            }
        }
        if let env = reader.object(object, "Environment") {
            reader.rejectUnknownKeys(env, known: ["Variables"], at: "Environment")
            if let vars = reader.object(env, "Variables", at: "Environment") {
                for member in vars.members {
                    let path = "Environment.Variables.\(member.key)"
                    guard Self.isValidVariableName(member.key) else {
                        reader.fail(path, "variable names start with a letter and hold only letters, digits and '_'")
                        continue
                    }
                    guard let text = member.value.stringValue else {
                        reader.fail(path, "must be a string, found \(member.value.kindName); quote it, e.g. \"\(member.value.jsonText)\"")
                        continue
                    }
                    environment.append((member.key, text))
                }
            }
        }
        if !reader.problems.isEmpty { throw FunctionManifestError(problems: reader.problems) }
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
            && lhs.declaresRegion == rhs.declaresRegion
            && lhs.environment.map(\.key) == rhs.environment.map(\.key) && lhs.environment.map(\.value) == rhs.environment.map(\.value)
    }
}
