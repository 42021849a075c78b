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
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sns",
            !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty
        else { return nil }
        region = String(parts[3])
        account = String(parts[4])
        name = String(parts[5])
    }

    /// `arn:aws:sns:REGION:ACCOUNT:NAME`.
    public var description: String { "arn:aws:sns:\(region):\(account):\(name)" }

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
