import Testing
@testable import EventRouter

/// Rule files with `Connections` and `ApiDestinations`: each mistake is reported where it is,
/// saying what to change.
@Suite struct ApiDestinationValidationTests {
    static let account = "123456789012"
    static let connection = #"{"Name": "hooks", "AuthorizationType": "API_KEY", "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "k"}}}"#

    static func problems(connections: String = "[\(connection)]", destinations: String, target: String = "") -> [String] {
        let text = """
        {"Account": "\(account)", "Region": "us-east-1", "Connections": \(connections), "ApiDestinations": \(destinations),
         "Rules": [{"Name": "r", "EventPattern": {"source": ["a"]},
                    "Targets": [{"Id": "t", "Arn": "arn:aws:events:us-east-1:\(account):api-destination/hook"\(target)}]}]}
        """
        return WorkspaceLoader.validate(files: [(name: "Rules/h.json", text: text)]).problems.map(\.description)
    }

    static let good = #"[{"Name": "hook", "ConnectionArn": "hooks", "InvocationEndpoint": "https://example.com/in", "HttpMethod": "POST"}]"#

    @Test func aValidWorkspaceHasNoProblemsAndTheTargetKeepsItsParameters() throws {
        #expect(Self.problems(destinations: Self.good).isEmpty)
        let text = """
        {"Account": "\(Self.account)", "Connections": [\(Self.connection)], "ApiDestinations": \(Self.good),
         "Rules": [{"Name": "r", "EventPattern": {"source": ["a"]}, "Targets": [{"Id": "t",
           "Arn": "arn:aws:events:us-east-1:\(Self.account):api-destination/hook/0b5e4cde-0000-4000-8000-000000000000",
           "HttpParameters": {"HeaderParameters": {"X-A": "1"}}}]}]}
        """
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/h.json", text: text)]).workspace)
        #expect(workspace.apiDestinations.map(\.name) == ["hook"])
        #expect(workspace.connections.map(\.authorization) == [.apiKey(name: "x-api-key", value: "k")])
        #expect(workspace.rules.first?.targets.first?.httpParameters == HttpParameters(headerParameters: [HTTPParameter("X-A", "1")]))
    }

    @Test func anUnknownConnectionNameIsNamedWithASuggestion() {
        let problems = Self.problems(destinations: #"[{"Name": "hook", "ConnectionArn": "hook", "InvocationEndpoint": "https://example.com/in", "HttpMethod": "POST"}]"#)
        #expect(problems.contains("Rules/h.json: $.ApiDestinations[0].ConnectionArn: error: the connection 'hook' is not declared under Connections in account 123456789012 (us-east-1) (did you mean 'hooks'?)"))
    }

    @Test(arguments: [
        ("ftp://example.com/in", "'ftp://example.com/in' is not an http:// or https:// URL; write e.g. https://api.example.com/hooks/* or http://127.0.0.1:8089/hooks/*"),
        ("https:///in", "'https:///in' has no host; write e.g. https://api.example.com/hooks/*"),
        ("https://*.example.com/in", "'https://*.example.com/in' has a '*' in its host; path parameters ('*') may only be in the path"),
    ])
    func aBadEndpointURLIsRejected(endpoint: String, reason: String) {
        let problems = Self.problems(destinations: #"[{"Name": "hook", "ConnectionArn": "hooks", "InvocationEndpoint": "\#(endpoint)", "HttpMethod": "POST"}]"#)
        #expect(problems.contains("Rules/h.json: $.ApiDestinations[0].InvocationEndpoint: error: \(reason)"))
    }

    @Test func aBadMethodAndRateAreRejected() {
        let problems = Self.problems(destinations: #"[{"Name": "hook", "ConnectionArn": "hooks", "InvocationEndpoint": "https://e.com/", "HttpMethod": "post", "InvocationRateLimitPerSecond": 301}]"#)
        #expect(problems.contains("Rules/h.json: $.ApiDestinations[0].HttpMethod: error: 'HttpMethod' must be one of POST, GET, HEAD, OPTIONS, PUT, PATCH, DELETE, got 'post' (values are case-sensitive: write 'POST')"))
        #expect(problems.contains("Rules/h.json: $.ApiDestinations[0].InvocationRateLimitPerSecond: error: 'InvocationRateLimitPerSecond' must be between 1 and 300, got 301"))
    }

    @Test(arguments: [
        (#"{"Name": "hooks", "AuthorizationType": "API_KEY", "AuthParameters": {"BasicAuthParameters": {"Username": "u", "Password": "p"}}}"#,
         ["$.Connections[0].AuthParameters.BasicAuthParameters: error: BasicAuthParameters does not apply to AuthorizationType API_KEY; give ApiKeyAuthParameters instead",
          "$.Connections[0].AuthParameters: error: missing required key 'ApiKeyAuthParameters'"]),
        (#"{"Name": "hooks", "AuthorizationType": "BASIC", "AuthParameters": {"BasicAuthParameters": {"Username": "a:b", "Password": "p"}}}"#,
         ["$.Connections[0].AuthParameters.BasicAuthParameters.Username: error: a Basic user name may not contain ':' (it separates the user name from the password)"]),
        (#"{"Name": "hooks", "AuthorizationType": "OAUTH", "AuthParameters": {}}"#,
         ["$.Connections[0].AuthorizationType: error: 'AuthorizationType' must be one of API_KEY, BASIC, OAUTH_CLIENT_CREDENTIALS, got 'OAUTH'"]),
        (#"{"Name": "hooks", "AuthorizationType": "OAUTH_CLIENT_CREDENTIALS", "AuthParameters": {"OAuthParameters": {"AuthorizationEndpoint": "token", "HttpMethod": "POST", "ClientParameters": {"ClientID": "a"}}}}"#,
         ["$.Connections[0].AuthParameters.OAuthParameters.AuthorizationEndpoint: error: 'token' is not an http:// or https:// URL; write e.g. https://api.example.com/hooks/* or http://127.0.0.1:8089/hooks/*",
          "$.Connections[0].AuthParameters.OAuthParameters.ClientParameters: error: missing required key 'ClientSecret'"]),
        (#"{"Name": "hooks", "AuthorizationType": "API_KEY", "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "bad key", "ApiKeyValue": "k"}}}"#,
         ["$.Connections[0].AuthParameters.ApiKeyAuthParameters.ApiKeyName: error: 'bad key' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"]),
    ])
    func anInvalidAuthorizationIsRejected(connection: String, expected: [String]) {
        let problems = Self.problems(connections: "[\(connection)]", destinations: Self.good)
        for e in expected { #expect(problems.contains("Rules/h.json: " + e), "\(problems)") }
    }

    @Test func anUndeclaredDestinationAndMissingPathParametersAreNamed() {
        var problems = Self.problems(destinations: #"[{"Name": "hook2", "ConnectionArn": "hooks", "InvocationEndpoint": "https://e.com/", "HttpMethod": "POST"}]"#)
        #expect(problems.contains("Rules/h.json: $.Rules[0].Targets[0].Arn: error: arn:aws:events:us-east-1:123456789012:api-destination/hook names the API destination 'hook', which no rule file declares in account 123456789012 (us-east-1) (did you mean 'hook2'?); declare it under ApiDestinations"))
        problems = Self.problems(destinations: #"[{"Name": "hook", "ConnectionArn": "hooks", "InvocationEndpoint": "https://e.com/*/x/*", "HttpMethod": "POST"}]"#,
                                 target: #", "HttpParameters": {"PathParameterValues": ["a"]}"#)
        #expect(problems.contains("Rules/h.json: $.Rules[0].Targets[0].HttpParameters.PathParameterValues: error: the API destination 'hook' endpoint https://e.com/*/x/* has 2 path parameters ('*'), so the target needs HttpParameters.PathParameterValues with 2 values; it gives 1"))
    }

    @Test func httpParametersOnAnotherKindOfTargetAreRejected() {
        let text = """
        {"Account": "\(Self.account)", "Queues": [{"QueueName": "q"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["a"]}, "Targets": [{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:\(Self.account):q", "HttpParameters": {}}]}]}
        """
        let problems = WorkspaceLoader.validate(files: [(name: "Rules/h.json", text: text)]).problems.map(\.description)
        #expect(problems.contains("Rules/h.json: $.Rules[0].Targets[0].HttpParameters: error: HttpParameters only apply to API destination targets"))
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Timestamp(secondsSinceEpoch: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(ApiDestinationRequest.retryAfter("120", now: now) == .seconds(120))
        #expect(ApiDestinationRequest.retryAfter("Sun, 06 Nov 1994 08:51:37 GMT", now: now) == .seconds(120))
        #expect(ApiDestinationRequest.retryAfter("soon", now: now) == nil)
        #expect(ApiDestinationRequest.retryAfter("-1", now: now) == nil)
    }
}
