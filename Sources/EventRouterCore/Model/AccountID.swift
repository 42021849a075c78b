/// Checks on account and organization ids.
public enum AccountID {
    /// Whether `text` is a 12-digit account id.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Whether `text` is an AWS Organizations id: `o-` and 10 to 32 lowercase letters or digits.
    public static func isOrganizationID(_ text: String) -> Bool {
        guard text.hasPrefix("o-") else { return false }
        let rest = text.utf8.dropFirst(2)
        return (10...32).contains(rest.count) && rest.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) }
    }

    /// The account of an IAM principal: `123456789012` or `arn:aws:iam::123456789012:root`
    /// (also `arn:aws:iam::123456789012:user/…` or `role/…`, which act for their account here).
    public static func account(ofPrincipal text: String) -> String? {
        if isValid(text) { return text }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam", parts[3].isEmpty,
              isValid(String(parts[4])), !parts[5].isEmpty else { return nil }
        return String(parts[4])
    }
}
