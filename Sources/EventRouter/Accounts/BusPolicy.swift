/// A bus resource policy: who may put events on a bus, as the JSON that `PutPermission`
/// produces (or a full `Policy`).
///
/// ```json
/// {"Version": "2012-10-17", "Statement": [{
///   "Sid": "allow-sales", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
///   "Action": "events:PutEvents", "Resource": "arn:aws:events:us-east-1:123456789012:event-bus/central",
///   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
/// ```
/// Read one with ``parse(_:busArn:)``; ask it with ``BusAccess/evaluate(policy:account:organizationId:busArn:busAccount:)``;
/// edit it with ``BusPermissionEditor``.
public struct BusPolicy: Sendable, Hashable {
    /// The largest policy EventBridge accepts, in characters.
    public static let maximumLength = 10_240
    /// The `Version` values IAM knows.
    public static let versions = ["2012-10-17", "2008-10-17"]

    public var version: String?
    public var id: String?
    public var statements: [BusPolicyStatement]
    /// The policy JSON as given (a policy written as a string is parsed).
    public var json: JSONValue

    public init(version: String? = "2012-10-17", id: String? = nil, statements: [BusPolicyStatement], json: JSONValue? = nil) {
        self.version = version
        self.id = id
        self.statements = statements
        if let json {
            self.json = json
        } else {
            var o = JSONObject()
            if let version { o["Version"] = .string(version) }
            if let id { o["Id"] = .string(id) }
            o["Statement"] = .array(statements.map(\.json))
            self.json = .object(o)
        }
    }

    /// The policy as compact JSON text.
    public var jsonText: String { json.jsonText }

    /// Reads a policy: a JSON object, or a string holding one (as CloudFormation allows).
    ///
    /// Every problem is reported with its JSON path (relative to the policy, `$`) and what to
    /// change; `busArn`, when given, is the bus the policy is attached to, and every statement's
    /// `Resource` must name it.
    /// - Returns: the policy (`nil` when `problems` holds an error) and every problem found.
    public static func parse(_ value: JSONValue, busArn: String? = nil) -> (policy: BusPolicy?, problems: [ValidationProblem]) {
        var reader = BusPolicyReader(busArn: busArn)
        let policy = reader.read(value)
        return (reader.problems.hasErrors ? nil : policy, reader.problems)
    }

    /// Reads policy JSON text.
    public static func parse(text: String, busArn: String? = nil) -> (policy: BusPolicy?, problems: [ValidationProblem]) {
        parse(.string(text), busArn: busArn)
    }

    /// The statement with `Sid` equal to `sid`, if any.
    public func statement(withSid sid: String) -> BusPolicyStatement? {
        statements.first { $0.sid == sid }
    }
}
