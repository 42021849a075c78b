/// The rule-file checks of patterns and targets, for definitions that arrive over the API
/// (`PutRule`, `PutTargets`): the same ``WorkspaceValidator`` code, so a target or pattern is
/// refused with the same reason `eventrouter validate` gives for a file.
///
/// Unlike a rule file, an API call may name resources that do not exist yet (EventBridge accepts
/// them; a delivery to a missing resource fails with `NO_RESOURCE` and follows the retry policy
/// to the dead-letter queue), so the existence checks of the workspace are not errors here: what
/// is checked is each field's shape, the ARN kinds, the input, the retry policy and the
/// dead-letter queue.
public enum DefinitionReader {
    /// Rule names and target ids: 1 to 64 letters, digits, '.', '_' or '-'.
    public static var ruleNamePattern: FieldReader.Pattern { WorkspaceValidator.ruleNamePattern }
    /// Bus names: 1 to 256 letters, digits, '.', '_', '-' or '/'.
    public static var busNamePattern: FieldReader.Pattern { WorkspaceValidator.busNamePattern }
    /// The rule states.
    public static var ruleStates: [String] { WorkspaceValidator.ruleStates }
    /// The most targets a rule may have.
    public static var maximumTargets: Int { WorkspaceValidator.maximumTargets }

    /// Reads an `EventPattern` (an object, or a JSON string holding one) as a rule file's.
    /// - Returns: the pattern, or the problems (paths relative to the rule, `$.EventPattern`).
    public static func pattern(_ value: JSONValue, defaults: RouterDefaults = RouterDefaults()) -> Result<EventPattern, ProblemList> {
        var validator = apiValidator(defaults)
        let pattern = validator.readPattern(JSONObject([.init(key: "EventPattern", value: value)]), file: "", path: "$")
        if let pattern, !validator.problems.hasErrors { return .success(pattern) }
        return .failure(ProblemList(problems: validator.problems.filter { $0.severity == .error }))
    }

    /// Reads `PutTargets` entries as a rule file's `Targets` of a rule on `ruleBusArn`.
    /// - Returns: the targets, or the problems (paths `$.Targets[i]…`).
    public static func targets(_ items: [JSONValue], ruleBusArn: String, defaults: RouterDefaults = RouterDefaults()) -> Result<[TargetDefinition], ProblemList> {
        var validator = apiValidator(defaults)
        let bus = BusReference(arn: ruleBusArn)
        var targets = validator.readTargets(JSONObject([.init(key: "Targets", value: .array(items))]), file: "", path: "$",
                                            account: bus?.account ?? defaults.account, region: bus?.region ?? defaults.region)
        for (i, target) in (targets ?? []).enumerated() {
            guard let problem = BusTarget.selfTargetProblem(ruleBusArn: ruleBusArn, targetArn: target.arn) else { continue }
            validator.error("", "$.Targets[\(i)].Arn", problem)
            targets = nil
        }
        if let targets, !validator.problems.hasErrors { return .success(targets) }
        return .failure(ProblemList(problems: validator.problems.filter { $0.severity == .error }))
    }

    /// Problems that refused a definition.
    public struct ProblemList: Error, Sendable, CustomStringConvertible {
        public var problems: [ValidationProblem]
        /// The reasons alone, `; `-separated (for a single field such as `EventPattern`).
        public var reasons: String { problems.map(\.message).joined(separator: "; ") }

        /// `PATH: REASON; PATH: REASON` with paths written without `$.`.
        public var description: String {
            problems.map { p in
                let path = p.path.hasPrefix("$.") ? String(p.path.dropFirst(2)) : p.path
                return path == "$" ? p.message : "\(path): \(p.message)"
            }.joined(separator: "; ")
        }
    }

    /// A validator that knows no account: every resource is "not in this workspace" (a warning).
    private static func apiValidator(_ defaults: RouterDefaults) -> WorkspaceValidator {
        var validator = WorkspaceValidator(defaults: defaults)
        validator.accounts = []
        return validator
    }
}
