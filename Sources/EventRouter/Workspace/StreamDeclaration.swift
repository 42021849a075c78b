/// A stream declared under `Streams` in a rule file, validated by ``StreamConfiguration``.
public struct StreamDeclaration: Sendable, Hashable {
    public var configuration: StreamConfiguration
    /// The entry as written (CloudFormation property names).
    public var json: JSONObject
    public var file: String

    public init(configuration: StreamConfiguration, json: JSONObject, file: String) {
        self.configuration = configuration
        self.json = json
        self.file = file
    }

    public var name: String { configuration.name }
    public var account: String { configuration.account }
    /// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`
    public var arn: String { configuration.arn }
}
