/// An account declared in a rule file's `Accounts` array: `{"Id": "111122223333", "OrganizationId": "o-abc123def4"}`.
///
/// Every account named anywhere in a workspace exists; declaring it adds its organization,
/// which bus policies with an `aws:PrincipalOrgID` condition check.
public struct AccountDefinition: Sendable, Hashable {
    /// The 12-digit account id.
    public var id: String
    /// The AWS Organizations id (`o-…`), if the account belongs to one.
    public var organizationId: String?
    /// Lambda's account concurrency limit in each region (`ConcurrentExecutions`; `nil`: the
    /// default ``AccountConcurrency/defaultLimit``), shared by the functions without a reservation.
    public var concurrentExecutions: Int?

    public init(id: String, organizationId: String? = nil, concurrentExecutions: Int? = nil) {
        self.id = id
        self.organizationId = organizationId
        self.concurrentExecutions = concurrentExecutions
    }

    /// The keys an `Accounts` entry may have.
    public static let keys = ["Id", "OrganizationId", "Description", "ConcurrentExecutions"]

    /// Reads one `Accounts` entry; every problem is reported with its path relative to `$` (the entry).
    /// - Returns: the account, or `nil` when `problems` holds an error.
    public static func parse(_ value: JSONValue, problems: inout [ValidationProblem]) -> AccountDefinition? {
        guard case .object(let object) = value else {
            problems.append(ValidationProblem(path: "$", "an account must be an object like {\"Id\": \"111122223333\"}, not \(value.kindName)"))
            return nil
        }
        let before = problems.count
        for key in object.keys where !keys.contains(key) {
            var message = "unknown key '\(key)' in an account"
            if let hint = DidYouMean.suggestion(for: key, among: keys) { message += " (did you mean '\(hint)'?)" }
            problems.append(ValidationProblem(path: "$.\(key)", message + "; allowed: \(keys.joined(separator: ", "))"))
        }
        var id: String?
        switch object["Id"] {
        case nil:
            problems.append(ValidationProblem(path: "$", "missing required key 'Id' (the 12-digit account id)"))
        case .string(let s)?:
            if AccountID.isValid(s) { id = s } else {
                problems.append(ValidationProblem(path: "$.Id", "Id must be a 12-digit account id, not '\(s)'"))
            }
        case let other?:
            problems.append(ValidationProblem(path: "$.Id", "Id must be a string of 12 digits (write it in quotes), not \(other.kindName)"))
        }
        var organization: String?
        switch object["OrganizationId"] {
        case nil: break
        case .string(let s)?:
            if AccountID.isOrganizationID(s) { organization = s } else {
                problems.append(ValidationProblem(path: "$.OrganizationId",
                    "OrganizationId must look like o-a1b2c3d4e5 ('o-' and 10 to 32 lowercase letters or digits), not '\(s)'"))
            }
        case let other?:
            problems.append(ValidationProblem(path: "$.OrganizationId", "OrganizationId must be a string like o-a1b2c3d4e5, not \(other.kindName)"))
        }
        var concurrency: Int?
        if let value = object["ConcurrentExecutions"] {
            let range = AccountConcurrency.limitRange
            if let n = value.intValue, range.contains(n) {
                concurrency = n
            } else {
                problems.append(ValidationProblem(path: "$.ConcurrentExecutions",
                    "ConcurrentExecutions must be a whole number from \(range.lowerBound) to \(range.upperBound) (the account's Lambda concurrency limit; default \(AccountConcurrency.defaultLimit)), not \(value.jsonText)"))
            }
        }
        if let d = object["Description"], d.stringValue == nil {
            problems.append(ValidationProblem(path: "$.Description", "Description must be a string, not \(d.kindName)"))
        }
        guard problems.count == before, let id else { return nil }
        return AccountDefinition(id: id, organizationId: organization, concurrentExecutions: concurrency)
    }
}
