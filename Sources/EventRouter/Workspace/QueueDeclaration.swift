/// A queue declared under `Queues` in a rule file, validated by ``QueueConfiguration``.
public struct QueueDeclaration: Sendable, Hashable {
    public var configuration: QueueConfiguration
    /// The entry as written (CloudFormation property names).
    public var json: JSONObject
    public var file: String

    public init(configuration: QueueConfiguration, json: JSONObject, file: String) {
        self.configuration = configuration
        self.json = json
        self.file = file
    }

    public var name: String { configuration.name }
    public var account: String { configuration.account }
    public var region: String { configuration.region }
    public var fifo: Bool { configuration.fifo }
    /// `arn:aws:sqs:REGION:ACCOUNT:NAME`
    public var arn: String { configuration.arn }
}
