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

    /// Reads `{"Accounts": [{"Id": "111122223333", "AccessKeys": [{"AccessKeyId": "…", "SecretAccessKey": "…"}]}]}`.
    /// - Returns: the table, and one message per problem (`$.Accounts[0].AccessKeys[1].SecretAccessKey: …`).
    public static func parse(_ value: JSONValue, defaultAccount: String = RouterDefaults().account) -> (AccessKeyTable, [String]) {
        var problems: [String] = []
        var found: [AccessKey] = []
        guard case .object(let root) = value else {
            return (AccessKeyTable(defaultAccount: defaultAccount), ["$: the access-key file must be an object like {\"Accounts\": [...]}, not \(value.kindName)"])
        }
        guard case .array(let accounts)? = root["Accounts"] else {
            return (AccessKeyTable(defaultAccount: defaultAccount), ["$.Accounts: missing or not an array of {\"Id\": …, \"AccessKeys\": [...]}"])
        }
        var seen: [String: String] = [:]
        for (i, account) in accounts.enumerated() {
            let path = "$.Accounts[\(i)]"
            guard case .object(let object) = account else {
                problems.append("\(path): an account must be an object, not \(account.kindName)")
                continue
            }
            guard let id = object["Id"]?.stringValue, AccountID.isValid(id) else {
                problems.append("\(path).Id: must be a 12-digit account id in quotes")
                continue
            }
            guard case .array(let keyList)? = object["AccessKeys"] else {
                problems.append("\(path).AccessKeys: missing or not an array of {\"AccessKeyId\": …, \"SecretAccessKey\": …}")
                continue
            }
            for (k, entry) in keyList.enumerated() {
                let keyPath = "\(path).AccessKeys[\(k)]"
                guard let keyId = entry["AccessKeyId"]?.stringValue, !keyId.isEmpty, keyId.utf8.count <= 128, !keyId.contains("/") else {
                    problems.append("\(keyPath).AccessKeyId: must be a non-empty string of at most 128 characters without '/'")
                    continue
                }
                guard let secret = entry["SecretAccessKey"]?.stringValue, !secret.isEmpty else {
                    problems.append("\(keyPath).SecretAccessKey: must be a non-empty string")
                    continue
                }
                if let other = seen[keyId], other != id {
                    problems.append("\(keyPath).AccessKeyId: '\(keyId)' is already a key of account \(other); a key acts for one account")
                    continue
                }
                seen[keyId] = id
                found.append(AccessKey(accessKeyId: keyId, secretAccessKey: secret, account: id))
            }
        }
        return (AccessKeyTable(keys: found, defaultAccount: defaultAccount), problems)
    }
}
