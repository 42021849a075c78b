/// The one rule about the targets of a rule created on another account's bus: they must be in
/// the account that created the rule. Used by `validate` and by `PutTargets` on `run`.
public enum RuleCreatorTargets {
    /// Why `arn` may not be a target of `rule`, created by `creator` on another account's bus:
    /// its targets must be in the creator's account; `nil` when it may.
    public static func problem(_ arn: String, creator: String, rule: RuleDefinition) -> String? {
        guard let parsed = try? ARN(parsing: arn), !parsed.account.isEmpty, parsed.account != creator else { return nil }
        return "\(arn) is in account \(parsed.account), but rule '\(rule.name)' was created by account \(creator) on a bus of account \(rule.account): "
            + "a rule created on another account's bus may only target resources of the account that created it (\(creator))"
    }
}
