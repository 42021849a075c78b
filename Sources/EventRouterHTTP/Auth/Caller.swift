/// Who sent a request: the account it acts for, the key it used and the credential scope.
public struct Caller: Sendable, Equatable {
    /// The 12-digit account.
    public var account: String
    /// The access key id, empty for unsigned requests.
    public var accessKeyId: String
    /// The region from the credential scope, or the default region.
    public var region: String
    /// The service from the credential scope, or empty.
    public var scopeService: String

    public init(account: String, accessKeyId: String, region: String, scopeService: String) {
        self.account = account
        self.accessKeyId = accessKeyId
        self.region = region
        self.scopeService = scopeService
    }
}
