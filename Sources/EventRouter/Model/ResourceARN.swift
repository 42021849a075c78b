/// The service a ``ResourceARN`` belongs to.
public protocol ResourceARNService: Sendable {
    /// The ARN's service part, e.g. `sqs`.
    static var service: String { get }
}

/// The parts of an ARN whose resource is a plain name, `arn:aws:SERVICE:REGION:ACCOUNT:NAME`:
/// ``QueueARN`` (SQS) and ``TopicARN`` (SNS).
///
/// Parsing is lenient (see ``ARN/lenient(_:service:)``): any non-empty region and account, a
/// name without `:`. The text form always has the partition `aws`.
public struct ResourceARN<Service: ResourceARNService>: Sendable, Hashable, CustomStringConvertible {
    public var region: String
    public var account: String
    public var name: String

    public init(region: String, account: String, name: String) {
        self.region = region
        self.account = account
        self.name = name
    }

    /// Parses an ARN; `nil` when it is not an ARN of this service with a plain name.
    public init?(_ text: String) {
        guard let arn = ARN.lenient(text, service: Service.service) else { return nil }
        self.init(region: arn.region, account: arn.account, name: arn.resource)
    }

    /// The same ARN as an ``ARN`` (partition `aws`).
    public var arn: ARN { ARN(service: Service.service, region: region, account: account, resource: name) }

    /// `arn:aws:SERVICE:REGION:ACCOUNT:NAME`.
    public var description: String { arn.description }
}
