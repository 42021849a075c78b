/// The account and region used wherever a rule file, entry or ARN does not say.
public struct RouterDefaults: Sendable, Hashable {
    /// The default account id (`123456789012`).
    public var account: String
    /// The default region (`us-east-1`).
    public var region: String

    public init(account: String = "123456789012", region: String = "us-east-1") {
        self.account = account
        self.region = region
    }

    /// Every account has a bus with this name.
    public static let defaultBusName = "default"
}
