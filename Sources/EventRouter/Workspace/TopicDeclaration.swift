/// A topic declared under `Topics` in a rule file, validated by ``TopicConfiguration``.
public struct TopicDeclaration: Sendable, Hashable {
    public var configuration: TopicConfiguration
    public var file: String
    /// The entry's JSON path in the file, e.g. `$.Topics[0]`.
    public var path: String

    public init(configuration: TopicConfiguration, file: String, path: String) {
        self.configuration = configuration
        self.file = file
        self.path = path
    }

    public var name: String { configuration.name }
    public var account: String { configuration.account }
    /// `arn:aws:sns:REGION:ACCOUNT:NAME`
    public var arn: String { configuration.arn }
}
