/// An OAuth access token cached for a connection, until shortly before it expires.
public struct OAuthToken: Sendable, Hashable {
    /// EventBridge refreshes a token that expires within this time, before using it.
    public static let refreshMargin: Duration = .seconds(60)

    public var accessToken: String
    /// From `expires_in`; `nil` when the endpoint gave none (kept until a 401 or 407).
    public var expiresAt: Timestamp?

    public init(accessToken: String, expiresAt: Timestamp?) {
        self.accessToken = accessToken
        self.expiresAt = expiresAt
    }

    /// Whether it can still be used at `now`.
    public func isFresh(at now: Timestamp) -> Bool {
        guard let expiresAt else { return true }
        return now + Self.refreshMargin < expiresAt
    }

    /// Reads the token endpoint's JSON answer (`access_token`, `expires_in` in seconds) received at `now`.
    public static func parse(_ body: [UInt8], now: Timestamp) -> Result<OAuthToken, ApiDestinationProblem> {
        let text = String(decoding: body, as: UTF8.self)
        guard let json = try? JSONParser.parse(text), case .object(let o) = json else {
            return .failure(ApiDestinationProblem("the authorization endpoint's answer is not a JSON object: \(text.prefix(200))"))
        }
        guard case .string(let token)? = o["access_token"], !token.isEmpty else {
            return .failure(ApiDestinationProblem("the authorization endpoint's answer has no access_token: \(text.prefix(200))"))
        }
        var expiresAt: Timestamp?
        if let value = o["expires_in"] {
            let seconds = value.intValue ?? value.stringValue.flatMap { Int($0) }
            guard let seconds, seconds >= 0, seconds <= 100 * 365 * 86_400 else {
                return .failure(ApiDestinationProblem("the authorization endpoint's expires_in must be a whole number of seconds, got \(value.jsonText)"))
            }
            expiresAt = now + .seconds(seconds)
        }
        return .success(OAuthToken(accessToken: token, expiresAt: expiresAt))
    }
}
