/// The parts of an event bus ARN, `arn:aws:events:REGION:ACCOUNT:event-bus/NAME`.
public struct BusReference: Sendable, Hashable, CustomStringConvertible {
    public var region: String
    public var account: String
    public var name: String

    public init(name: String, account: String, region: String) {
        self.name = name
        self.account = account
        self.region = region
    }

    /// Parses an event bus ARN; `nil` if `arn` is not one.
    public init?(arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "events", !parts[3].isEmpty,
              AccountID.isValid(String(parts[4])), parts[5].hasPrefix("event-bus/"), parts[5].count > 10 else { return nil }
        region = String(parts[3])
        account = String(parts[4])
        name = String(parts[5].dropFirst(10))
    }

    /// `arn:aws:events:REGION:ACCOUNT:event-bus/NAME`
    public var arn: String { "arn:aws:events:\(region):\(account):event-bus/\(name)" }

    public var description: String { arn }
}
