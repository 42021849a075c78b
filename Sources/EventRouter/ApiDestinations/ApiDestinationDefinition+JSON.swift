/// Reading and writing API destinations in AWS's shape (rule files, CloudFormation, `CreateApiDestination`).
extension ApiDestinationDefinition {
    static let keys = ["Name", "Description", "ConnectionArn", "InvocationEndpoint", "HttpMethod", "InvocationRateLimitPerSecond"]

    /// Reads an API destination entry; `nil` after reporting its problems. `ConnectionArn` may
    /// be the connection's ARN or its name (same account and region); whether the connection
    /// exists is the caller's check (it knows the connections).
    public static func read(_ o: JSONObject, account: String, region: String, file: String?, fields: inout FieldReader,
                            at path: String, name given: String? = nil) -> ApiDestinationDefinition? {
        let before = fields.errorCount
        fields.checkKeys(o, allowed: keys, what: "an API destination", at: path)
        let name = given ?? fields.string(o, "Name", at: path, required: true, pattern: ApiDestinationNames.namePattern)
        let description = fields.string(o, "Description", at: path)
        var connection: String?
        if let text = fields.string(o, "ConnectionArn", at: path, required: true) {
            if let parsed = ApiDestinationNames.name(inArnOrName: text, kind: "connection") {
                if let a = parsed.account, a != account || parsed.region != region {
                    fields.error("\(path).ConnectionArn", "the connection \(text) is in \(parsed.region ?? "") account \(a); an API destination uses a connection of its own account and region (\(region) \(account))")
                } else {
                    connection = parsed.name
                }
            } else {
                fields.error("\(path).ConnectionArn", "'\(text)' is not a connection ARN (arn:aws:events:REGION:ACCOUNT:connection/NAME/ID) or a connection name")
            }
        }
        let endpoint = fields.string(o, "InvocationEndpoint", at: path, required: true)
        if let endpoint, let problem = endpointProblem(endpoint) { fields.error("\(path).InvocationEndpoint", problem) }
        let method = fields.enumeration(o, "HttpMethod", at: path, allowed: methods, required: true)
        let rate = fields.int(o, "InvocationRateLimitPerSecond", at: path, range: rateRange, acceptingStrings: true) ?? defaultRate
        guard fields.errorCount == before, let name, let connection, let endpoint, let method else { return nil }
        return ApiDestinationDefinition(name: name, account: account, region: region, description: description, connectionName: connection,
                                        invocationEndpoint: endpoint, httpMethod: method, invocationRateLimitPerSecond: rate, file: file)
    }

    /// `DescribeApiDestination`'s shape.
    public var describeJSON: JSONObject {
        var o = JSONObject()
        o["ApiDestinationArn"] = .string(arn)
        o["Name"] = .string(name)
        if let description { o["Description"] = .string(description) }
        o["ApiDestinationState"] = .string("ACTIVE")
        o["ConnectionArn"] = .string(connectionArn)
        o["InvocationEndpoint"] = .string(invocationEndpoint)
        o["HttpMethod"] = .string(httpMethod)
        o["InvocationRateLimitPerSecond"] = .number(JSONNumber(invocationRateLimitPerSecond))
        return o
    }

    /// The rule-file shape (for `export rules`).
    public var ruleFileJSON: JSONObject {
        var o = JSONObject()
        o["Name"] = .string(name)
        if let description { o["Description"] = .string(description) }
        o["ConnectionArn"] = .string(connectionName)
        o["InvocationEndpoint"] = .string(invocationEndpoint)
        o["HttpMethod"] = .string(httpMethod)
        o["InvocationRateLimitPerSecond"] = .number(JSONNumber(invocationRateLimitPerSecond))
        return o
    }
}
