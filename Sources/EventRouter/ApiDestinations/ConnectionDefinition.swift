/// An EventBridge connection (`Connections` in rule files, `CreateConnection` on `run`): how
/// requests to API destinations are authorized, and parameters every invocation carries.
public struct ConnectionDefinition: Sendable, Hashable {
    /// `AuthorizationType` with its `AuthParameters`.
    public enum Authorization: Sendable, Hashable {
        /// `API_KEY`: the header `ApiKeyName: ApiKeyValue` on every request.
        case apiKey(name: String, value: String)
        /// `BASIC`: `Authorization: Basic base64(Username:Password)`.
        case basic(username: String, password: String)
        /// `OAUTH_CLIENT_CREDENTIALS`: a token from the authorization endpoint, `Authorization: Bearer TOKEN`.
        case oauth(OAuthSettings)

        /// `API_KEY`, `BASIC` or `OAUTH_CLIENT_CREDENTIALS`.
        public var typeName: String {
            switch self {
            case .apiKey: return "API_KEY"
            case .basic: return "BASIC"
            case .oauth: return "OAUTH_CLIENT_CREDENTIALS"
            }
        }
    }

    /// `OAuthParameters`: where and how the client credentials are exchanged for a token.
    public struct OAuthSettings: Sendable, Hashable {
        public var authorizationEndpoint: String
        /// `GET`, `POST` or `PUT`.
        public var httpMethod: String
        public var clientID: String
        public var clientSecret: String
        /// `OAuthHttpParameters`: sent to the authorization endpoint.
        public var parameters: ConnectionParameters

        public init(authorizationEndpoint: String, httpMethod: String, clientID: String, clientSecret: String,
                    parameters: ConnectionParameters = ConnectionParameters()) {
            self.authorizationEndpoint = authorizationEndpoint
            self.httpMethod = httpMethod
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.parameters = parameters
        }
    }

    /// Header, query-string and body parameters (`InvocationHttpParameters`, `OAuthHttpParameters`).
    public struct ConnectionParameters: Sendable, Hashable {
        public var headers: [HTTPParameter]
        public var queryString: [HTTPParameter]
        public var body: [HTTPParameter]

        public init(headers: [HTTPParameter] = [], queryString: [HTTPParameter] = [], body: [HTTPParameter] = []) {
            self.headers = headers
            self.queryString = queryString
            self.body = body
        }

        public var isEmpty: Bool { headers.isEmpty && queryString.isEmpty && body.isEmpty }
    }

    public var name: String
    public var account: String
    public var region: String
    public var description: String?
    public var authorization: Authorization
    /// `AuthParameters.InvocationHttpParameters`: added to every request through this connection.
    public var invocationParameters: ConnectionParameters
    /// Where it was declared (`nil`: created through the API).
    public var file: String?

    public init(name: String, account: String, region: String, description: String? = nil, authorization: Authorization,
                invocationParameters: ConnectionParameters = ConnectionParameters(), file: String? = nil) {
        self.name = name
        self.account = account
        self.region = region
        self.description = description
        self.authorization = authorization
        self.invocationParameters = invocationParameters
        self.file = file
    }

    /// `arn:aws:events:REGION:ACCOUNT:connection/NAME/ID`, the id derived from the name (stable across runs).
    public var arn: String { "arn:aws:events:\(region):\(account):connection/\(name)/\(ApiDestinationNames.stableID(account, region, "connection", name))" }

    /// `ConnectionState`: EventRouter authorizes at the first delivery, so a connection is `AUTHORIZED`.
    public var state: String { "AUTHORIZED" }
}

/// Names and ids shared by connections and API destinations.
public enum ApiDestinationNames {
    /// `1 to 64 letters, digits, '.', '_' or '-'` (the AWS name pattern).
    public static let namePattern = FieldReader.Pattern.name(maximumLength: 64, extra: "._-")

    /// A UUID-shaped id derived from the resource's account, region, kind and name.
    static func stableID(_ parts: String...) -> String {
        Hex.uuid(SHA256.hash(Array(parts.joined(separator: "/").utf8)).prefix(16))
    }

    /// The name in an ARN `arn:aws:events:R:A:KIND/NAME[/ID]`, or a bare name as given.
    public static func name(inArnOrName text: String, kind: String) -> (account: String?, region: String?, name: String)? {
        guard text.hasPrefix("arn:") else { return text.isEmpty ? nil : (nil, nil, text) }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "events" else { return nil }
        let path = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        guard path.count >= 2, path.count <= 3, path[0] == kind, !path[1].isEmpty else { return nil }
        return (String(parts[4]), String(parts[3]), String(path[1]))
    }
}
