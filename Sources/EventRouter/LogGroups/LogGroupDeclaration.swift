/// A log group declared under `LogGroups` in a rule file (CloudFormation's `AWS::Logs::LogGroup`
/// property names: `LogGroupName`, `RetentionInDays`, `LogGroupClass`, `KmsKeyId`, `Tags`).
public struct LogGroupDeclaration: Sendable, Hashable {
    public var name: String
    public var retentionInDays: Int?
    public var account: String
    public var region: String
    public var file: String

    public init(name: String, retentionInDays: Int? = nil, account: String, region: String, file: String) {
        self.name = name
        self.retentionInDays = retentionInDays
        self.account = account
        self.region = region
        self.file = file
    }

    /// `arn:aws:logs:REGION:ACCOUNT:log-group:NAME`
    public var arn: String { LogGroupName.arn(name, account: account, region: region).description }
}
