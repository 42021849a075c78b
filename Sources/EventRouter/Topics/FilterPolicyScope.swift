/// What a subscription's filter policy is matched against (`FilterPolicyScope`).
public enum FilterPolicyScope: String, Sendable, Hashable, CaseIterable {
    /// The message attributes (the default): a flat policy whose keys are attribute names.
    case messageAttributes = "MessageAttributes"
    /// The message body, which must be JSON; the policy may nest like an event pattern.
    case messageBody = "MessageBody"
}
