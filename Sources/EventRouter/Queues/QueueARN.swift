/// The parts of an SQS queue ARN, `arn:aws:sqs:REGION:ACCOUNT:NAME`.
public struct QueueARN: Sendable, Hashable, CustomStringConvertible {
    public var region: String
    public var account: String
    public var name: String

    public init(region: String, account: String, name: String) {
        self.region = region
        self.account = account
        self.name = name
    }

    /// Parses an ARN; `nil` when it is not an SQS queue ARN.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sqs",
            !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty
        else { return nil }
        region = String(parts[3])
        account = String(parts[4])
        name = String(parts[5])
    }

    public var description: String { "arn:aws:sqs:\(region):\(account):\(name)" }
}
