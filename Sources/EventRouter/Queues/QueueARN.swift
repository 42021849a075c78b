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
        guard let arn = ARN.lenient(text, service: "sqs") else { return nil }
        self.init(region: arn.region, account: arn.account, name: arn.resource)
    }

    /// The same ARN as an ``ARN`` (partition `aws`).
    public var arn: ARN { ARN.queue(name, account: account, region: region) }

    public var description: String { arn.description }
}
