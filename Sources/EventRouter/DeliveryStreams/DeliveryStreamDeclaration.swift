/// A delivery stream declared under `DeliveryStreams` in a rule file.
public struct DeliveryStreamDeclaration: Sendable, Hashable {
    public var configuration: DeliveryStreamConfiguration
    /// The entry as written (CloudFormation property names).
    public var json: JSONObject
    public var file: String

    public init(configuration: DeliveryStreamConfiguration, json: JSONObject, file: String) {
        self.configuration = configuration
        self.json = json
        self.file = file
    }

    public var name: String { configuration.name }
    public var account: String { configuration.account }
    /// `arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME`
    public var arn: String { configuration.arn }
}
