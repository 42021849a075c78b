import EventRouter

/// One access key: its id, secret and the account it acts for.
public struct AccessKey: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var account: String
    public init(accessKeyId: String, secretAccessKey: String, account: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.account = account
    }
}

/// Which account an access key acts for: a configured key first, then a key id of exactly 12
/// digits (that account, as LocalStack does), else the default account.
public struct AccessKeyTable: Sendable {
    private var keys: [String: AccessKey] = [:]
    /// The account of keys that are neither configured nor 12 digits.
    public var defaultAccount: String

    public init(keys: [AccessKey] = [], defaultAccount: String = RouterDefaults().account) {
        for key in keys { self.keys[key.accessKeyId] = key }
        self.defaultAccount = defaultAccount
    }

    /// The configured key with this id.
    public func key(_ accessKeyId: String) -> AccessKey? { keys[accessKeyId] }

    /// The number of configured keys.
    public var count: Int { keys.count }

    /// The account `accessKeyId` acts for.
    public func account(for accessKeyId: String) -> String {
        if let key = keys[accessKeyId] { return key.account }
        if AccountID.isValid(accessKeyId) { return accessKeyId }
        return defaultAccount
    }

    /// The accounts of an access-key file, `{"Accounts": [{"Id": "111122223333", "AccessKeys":
    /// [{"AccessKeyId": "…", "SecretAccessKey": "…"}]}]}`, read as a rule file's `Accounts`
    /// entries are (``AccountDefinition``), with the same wording.
    /// - Returns: the accounts, and every problem (`$.Accounts[0].AccessKeys[1].SecretAccessKey: …`).
    public static func readFile(_ value: JSONValue, file: String = "") -> ([AccountDefinition], [ValidationProblem]) {
        var fields = FieldReader(file: file)
        guard case .object(let root) = value else {
            fields.error("$", #"the access-key file must be an object like {"Accounts": [{"Id": "111122223333", "AccessKeys": [...]}]}, not "# + value.kindName)
            return ([], fields.problems)
        }
        fields.checkKeys(root, allowed: ["Accounts"], what: "an access-key file", at: "$")
        _ = fields.value(root, "Accounts", at: "$", required: true)
        var accounts: [AccountDefinition] = []
        for (i, entry) in (fields.array(root, "Accounts", at: "$", of: "accounts") ?? []).enumerated() {
            if let account = AccountDefinition.read(entry, at: "$.Accounts[\(i)]", fields: &fields) { accounts.append(account) }
        }
        return (accounts, fields.problems)
    }

    /// The table of every key of `sources` (e.g. the workspace's `Accounts`, then an
    /// `--access-keys` file), each source named by its `origin` in problems.
    /// - Returns: the table, and one message per key that acts for two accounts (or has two secrets).
    public static func build(_ sources: [(origin: String, accounts: [AccountDefinition])],
                             defaultAccount: String = RouterDefaults().account) -> (AccessKeyTable, [String]) {
        var owners: [String: (key: AccessKey, origin: String)] = [:]
        var order: [String] = []
        var problems: [String] = []
        for (origin, accounts) in sources {
            for account in accounts {
                for key in account.accessKeys {
                    let found = AccessKey(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, account: account.id)
                    guard let first = owners[key.accessKeyId] else {
                        owners[key.accessKeyId] = (found, origin)
                        order.append(key.accessKeyId)
                        continue
                    }
                    if first.key.account != account.id {
                        problems.append("access key '\(key.accessKeyId)' is declared for account \(first.key.account) (\(first.origin)) and for account \(account.id) (\(origin)); a key acts for one account: remove one")
                    } else if first.key.secretAccessKey != key.secretAccessKey {
                        problems.append("access key '\(key.accessKeyId)' of account \(account.id) has one secret in \(first.origin) and another in \(origin): keep one")
                    }
                }
            }
        }
        return (AccessKeyTable(keys: order.compactMap { owners[$0]?.key }, defaultAccount: defaultAccount), problems)
    }
}
