/// The parts of an SNS topic ARN, `arn:aws:sns:REGION:ACCOUNT:NAME`.
public struct TopicARN: Sendable, Hashable, CustomStringConvertible {
    public var region: String
    public var account: String
    public var name: String

    public init(region: String, account: String, name: String) {
        self.region = region
        self.account = account
        self.name = name
    }

    /// Parses an ARN; `nil` when it is not an SNS topic ARN.
    public init?(_ text: String) {
        guard let arn = ARN.lenient(text, service: "sns") else { return nil }
        self.init(region: arn.region, account: arn.account, name: arn.resource)
    }

    /// The same ARN as an ``ARN`` (partition `aws`).
    public var arn: ARN { ARN.topic(name, account: account, region: region) }

    /// `arn:aws:sns:REGION:ACCOUNT:NAME`.
    public var description: String { arn.description }

    /// Whether `name` is a valid topic name: 1–256 of `A–Z a–z 0–9 - _`, and for a FIFO topic
    /// the suffix `.fifo`.
    static func isValidName(_ name: String, fifo: Bool) -> Bool {
        var base = Substring(name)
        if fifo {
            guard name.hasSuffix(".fifo") else { return false }
            base = base.dropLast(5)
        }
        guard !base.isEmpty, name.utf8.count <= 256 else { return false }
        return base.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }
}
