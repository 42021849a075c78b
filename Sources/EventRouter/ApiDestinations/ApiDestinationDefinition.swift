/// An EventBridge API destination (`ApiDestinations` in rule files, `CreateApiDestination` on
/// `run`): an HTTP endpoint, its method, its rate limit and the connection that authorizes it.
public struct ApiDestinationDefinition: Sendable, Hashable {
    /// The methods AWS allows.
    public static let methods = ["POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]
    /// `InvocationRateLimitPerSecond`: 1 to 300, 300 when not given.
    public static let rateRange = 1...300
    public static let defaultRate = 300

    public var name: String
    public var account: String
    public var region: String
    public var description: String?
    /// The connection's name (same account and region).
    public var connectionName: String
    /// `InvocationEndpoint`: an `http(s)` URL whose `*` are filled from the target's `PathParameterValues`.
    public var invocationEndpoint: String
    public var httpMethod: String
    public var invocationRateLimitPerSecond: Int
    /// Where it was declared (`nil`: created through the API).
    public var file: String?

    public init(name: String, account: String, region: String, description: String? = nil, connectionName: String,
                invocationEndpoint: String, httpMethod: String, invocationRateLimitPerSecond: Int = ApiDestinationDefinition.defaultRate,
                file: String? = nil) {
        self.name = name
        self.account = account
        self.region = region
        self.description = description
        self.connectionName = connectionName
        self.invocationEndpoint = invocationEndpoint
        self.httpMethod = httpMethod
        self.invocationRateLimitPerSecond = invocationRateLimitPerSecond
        self.file = file
    }

    /// `arn:aws:events:REGION:ACCOUNT:api-destination/NAME/ID`, the id derived from the name.
    public var arn: String {
        "arn:aws:events:\(region):\(account):api-destination/\(name)/\(ApiDestinationNames.stableID(account, region, "api-destination", name))"
    }

    /// The connection's ARN.
    public var connectionArn: String {
        ConnectionDefinition(name: connectionName, account: account, region: region, authorization: .basic(username: "", password: "")).arn
    }

    /// How many `*` path parameters the endpoint has.
    public var pathParameterCount: Int { invocationEndpoint.count { $0 == "*" } }

    /// Whether `text` is an API destination ARN (`arn:aws:events:…:api-destination/NAME[/ID]`).
    public static func isArn(_ text: String) -> Bool { ApiDestinationNames.name(inArnOrName: text, kind: "api-destination") != nil && text.hasPrefix("arn:") }

    /// Why `text` is not a usable invocation endpoint, or `nil`: it must be an absolute
    /// `http`/`https` URL with a host (AWS requires `https`; EventRouter also takes `http` for local endpoints).
    public static func endpointProblem(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            return "'\(text)' is not an http:// or https:// URL; write e.g. https://api.example.com/hooks/* or http://127.0.0.1:8089/hooks/*"
        }
        let rest = text.drop { $0 != ":" }.dropFirst(3)
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty || host.hasPrefix(":") { return "'\(text)' has no host; write e.g. https://api.example.com/hooks/*" }
        if host.contains("*") { return "'\(text)' has a '*' in its host; path parameters ('*') may only be in the path" }
        if text.contains(" ") { return "'\(text)' contains a space; encode it as %20" }
        if text.utf8.count > 2048 { return "the endpoint is \(text.utf8.count) characters; at most 2048 are allowed" }
        return nil
    }
}
