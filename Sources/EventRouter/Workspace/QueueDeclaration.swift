/// A queue declared under `Queues` in a rule file.
public struct QueueDeclaration: Sendable, Hashable {
    public var name: String
    public var account: String
    public var region: String
    public var fifo: Bool
    /// The entry as written (CloudFormation property names).
    public var json: JSONObject
    public var file: String

    public init(name: String, account: String, region: String, fifo: Bool, json: JSONObject, file: String) {
        self.name = name
        self.account = account
        self.region = region
        self.fifo = fifo
        self.json = json
        self.file = file
    }

    /// `arn:aws:sqs:REGION:ACCOUNT:NAME`
    public var arn: String { ARN.queue(name, account: account, region: region).description }
}
