/// An account declared in a rule file's `Accounts` array:
/// `{"Id": "111122223333", "OrganizationId": "o-abc123def4", "AccessKeys": [{"AccessKeyId": "AKIDALICE", "SecretAccessKey": "…"}]}`.
///
/// Every account named anywhere in a workspace exists; declaring it adds its organization
/// (which bus policies with an `aws:PrincipalOrgID` condition check), its Lambda concurrency
/// limit, and the access keys that act for it when `eventrouter run` serves the workspace.
public struct AccountDefinition: Sendable, Hashable {
    /// The 12-digit account id.
    public var id: String
    /// The AWS Organizations id (`o-…`), if the account belongs to one.
    public var organizationId: String?
    /// Lambda's account concurrency limit in each region (`ConcurrentExecutions`; `nil`: the
    /// default ``AccountConcurrency/defaultLimit``), shared by the functions without a reservation.
    public var concurrentExecutions: Int?
    /// The access keys whose callers act for this account over the wire (`AccessKeys`).
    public var accessKeys: [AccountAccessKey]

    public init(id: String, organizationId: String? = nil, concurrentExecutions: Int? = nil, accessKeys: [AccountAccessKey] = []) {
        self.id = id
        self.organizationId = organizationId
        self.concurrentExecutions = concurrentExecutions
        self.accessKeys = accessKeys
    }

    /// The keys an `Accounts` entry may have.
    public static let keys = ["Id", "OrganizationId", "Description", "ConcurrentExecutions", "AccessKeys"]
    /// The keys of an `AccessKeys` entry.
    public static let accessKeyKeys = ["AccessKeyId", "SecretAccessKey", "Description"]

    /// `o-` and 10 to 32 lowercase letters or digits.
    public static let organizationPattern = FieldReader.Pattern(
        "an organization id like o-a1b2c3d4e5 ('o-' and 10 to 32 lowercase letters or digits)") { AccountID.isOrganizationID($0) }
    /// What SigV4 can carry in a credential scope: 1 to 128 printable ASCII characters, no `/`.
    public static let accessKeyIdPattern = FieldReader.Pattern("1 to 128 printable ASCII characters without '/' or spaces") { s in
        (1...128).contains(s.utf8.count) && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x2F }
    }

    /// Reads one `Accounts` entry; every problem is reported with its path relative to `$` (the entry).
    /// - Returns: the account, or `nil` when `problems` holds an error.
    public static func parse(_ value: JSONValue, problems: inout [ValidationProblem]) -> AccountDefinition? {
        var fields = FieldReader()
        let account = read(value, at: "$", fields: &fields)
        problems += fields.problems
        return account
    }

    /// Reads one `Accounts` entry at `path` with `fields`.
    /// - Returns: the account, or `nil` when the entry has an error.
    public static func read(_ value: JSONValue, at path: String, fields: inout FieldReader) -> AccountDefinition? {
        guard case .object(let object) = value else {
            fields.error(path, "an account must be an object like {\"Id\": \"111122223333\"}, not \(value.kindName)")
            return nil
        }
        let before = fields.errorCount
        fields.checkKeys(object, allowed: keys, what: "an account", at: path)
        let id = fields.string(object, "Id", at: path, required: true, pattern: .accountID)
        let organization = fields.string(object, "OrganizationId", at: path, pattern: organizationPattern)
        let range = AccountConcurrency.limitRange
        let concurrency = fields.int(object, "ConcurrentExecutions", at: path, range: range)
        _ = fields.string(object, "Description", at: path)
        let keys = readAccessKeys(object, at: path, fields: &fields)
        guard fields.errorCount == before, let id else { return nil }
        return AccountDefinition(id: id, organizationId: organization, concurrentExecutions: concurrency, accessKeys: keys)
    }

    private static func readAccessKeys(_ object: JSONObject, at path: String, fields: inout FieldReader) -> [AccountAccessKey] {
        guard let entries = fields.array(object, "AccessKeys", at: path, of: #"{"AccessKeyId": …, "SecretAccessKey": …} objects"#) else { return [] }
        var keys: [AccountAccessKey] = []
        var listedAt: [String: Int] = [:]
        for (i, entry) in entries.enumerated() {
            let keyPath = "\(path).AccessKeys[\(i)]"
            guard case .object(let o) = entry else {
                fields.error(keyPath, #"an access key must be an object like {"AccessKeyId": "AKIDALICE", "SecretAccessKey": "…"}, not "# + entry.kindName)
                continue
            }
            fields.checkKeys(o, allowed: accessKeyKeys, what: "an access key", at: keyPath)
            _ = fields.string(o, "Description", at: keyPath)
            let keyId = fields.string(o, "AccessKeyId", at: keyPath, required: true, pattern: accessKeyIdPattern)
            let secret = fields.string(o, "SecretAccessKey", at: keyPath, required: true)
            guard let keyId, let secret else { continue }
            if let first = listedAt[keyId] {
                fields.error("\(keyPath).AccessKeyId", "access key '\(keyId)' is listed twice for this account (also at \(path).AccessKeys[\(first)]); list it once")
                continue
            }
            listedAt[keyId] = i
            keys.append(AccountAccessKey(accessKeyId: keyId, secretAccessKey: secret))
        }
        return keys
    }
}

/// An access key declared under an account's `AccessKeys`.
public struct AccountAccessKey: Sendable, Hashable {
    /// The key id callers sign with (the SigV4 credential's first part).
    public var accessKeyId: String
    /// The secret that SigV4 signatures are verified against under `--strict-auth`.
    public var secretAccessKey: String

    public init(accessKeyId: String, secretAccessKey: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
    }
}
