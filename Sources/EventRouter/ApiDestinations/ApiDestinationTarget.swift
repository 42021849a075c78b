/// The target kind of API destinations (`arn:aws:events:REGION:ACCOUNT:api-destination/NAME/ID`):
/// an HTTP request to the destination's endpoint, authorized by its connection, carrying the
/// shaped input.
///
/// - The rate limit (`InvocationRateLimitPerSecond`) defers deliveries beyond it
///   (``DeliveryOutcome/deferred(until:)``) on the injected clock.
/// - 2xx is success; 401, 407 (after dropping a cached OAuth token), 409, 429 and 5xx are
///   retried by the rule's retry policy, not before a `Retry-After`; other answers are not
///   retried (dead-letter queue). No answer within ``timeout`` is a retriable `TIMEOUT`, a
///   connection that fails a retriable `CONNECTION_FAILURE`.
public struct ApiDestinationTarget: EventTarget {
    /// EventBridge waits this long for an endpoint's answer.
    public static let timeout: Duration = .seconds(5)
    /// The error code of an endpoint's HTTP error (as AWS's dead-letter messages carry it).
    public static let httpErrorCode = "SDK_CLIENT_ERROR"

    public let registry: ApiDestinationRegistry
    public let clock: any EventClock
    /// The registry's HTTP client (``ApiDestinationRegistry/httpClient``).
    var client: any HTTPClient { registry.httpClient }

    public init(registry: ApiDestinationRegistry, clock: any EventClock) {
        self.registry = registry
        self.clock = clock
    }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let arn = delivery.targetArn
        guard let parsed = ApiDestinationNames.name(inArnOrName: arn.description, kind: "api-destination"), arn.description.hasPrefix("arn:"),
              let destination = registry.destination(account: arn.account, region: arn.region, name: parsed.name) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "API destination \(arn) does not exist")
        }
        guard let connection = registry.connection(account: destination.account, region: destination.region, name: destination.connectionName) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource,
                                 message: "the connection '\(destination.connectionName)' of API destination \(destination.name) does not exist")
        }
        if let next = registry.takeToken(destination, now: clock.now) { return .deferred(until: next) }
        var authorization = ApiDestinationRequest.authorizationHeader(connection.authorization)
        if case .oauth(let settings) = connection.authorization {
            switch await token(connection, settings) {
            case .success(let token): authorization = ApiDestinationRequest.bearer(token)
            case .failure(let failure): return failure.outcome
            }
        }
        let request: HTTPClientRequest
        switch ApiDestinationRequest.invocation(destination: destination, connection: connection, parameters: delivery.httpParameters,
                                                body: delivery.body, authorization: authorization) {
        case .success(let r): request = r
        case .failure(let problem): return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: problem.message)
        }
        switch await client.send(request, timeout: Self.timeout) {
        case .failure(let failure): return Self.outcome(failure, request: request)
        case .success(let response):
            if (response.status == 401 || response.status == 407), case .oauth = connection.authorization {
                registry.storeToken(nil, for: connection)
            }
            return Self.outcome(response, request: request, now: clock.now)
        }
    }

    /// The connection's token: the cached one while fresh, else a new one from its authorization endpoint.
    private func token(_ connection: ConnectionDefinition, _ settings: ConnectionDefinition.OAuthSettings) async -> Result<String, OAuthFailure> {
        if let cached = registry.cachedToken(connection, now: clock.now) { return .success(cached.accessToken) }
        let request = ApiDestinationRequest.tokenRequest(settings)
        let where_ = "the authorization endpoint \(settings.authorizationEndpoint) of connection \(connection.name)"
        switch await client.send(request, timeout: Self.timeout) {
        case .failure(.timeout):
            return .failure(OAuthFailure(.retriable(code: DeliveryOutcome.Code.timeout, message: "\(where_) did not answer within 5 seconds")))
        case .failure(.connection(let reason)):
            return .failure(OAuthFailure(.retriable(code: DeliveryOutcome.Code.connectionFailure, message: "cannot reach \(where_): \(reason)")))
        case .failure(.badURL(let reason)):
            return .failure(OAuthFailure(.nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: reason)))
        case .success(let response):
            guard (200..<300).contains(response.status) else {
                let message = "\(where_) answered HTTP \(response.status) to the token request; check ClientID, ClientSecret and OAuthHttpParameters"
                if response.status == 429 || response.status >= 500 {
                    return .failure(OAuthFailure(.retriable(code: Self.httpErrorCode, message: message)))
                }
                return .failure(OAuthFailure(.nonRetriable(code: DeliveryOutcome.Code.noPermissions, message: message)))
            }
            switch OAuthToken.parse(response.body, now: clock.now) {
            case .success(let token):
                registry.storeToken(token, for: connection)
                return .success(token.accessToken)
            case .failure(let reason):
                return .failure(OAuthFailure(.nonRetriable(code: DeliveryOutcome.Code.noPermissions, message: "\(reason.message) (from \(where_))")))
            }
        }
    }

    private struct OAuthFailure: Error {
        var outcome: DeliveryOutcome
        init(_ outcome: DeliveryOutcome) { self.outcome = outcome }
    }

    /// The outcome of an answer.
    static func outcome(_ response: HTTPClientResponse, request: HTTPClientRequest, now: Timestamp) -> DeliveryOutcome {
        let status = response.status
        if (200..<300).contains(status) { return .success }
        let message = "Unable to invoke ApiDestination endpoint: the endpoint answered HTTP \(status) to \(request.method) \(request.url)"
        let retried = status == 401 || status == 407 || status == 409 || status == 429 || (500..<600).contains(status)
        guard retried else { return .nonRetriable(code: httpErrorCode, message: message) }
        let code = status == 429 ? DeliveryOutcome.Code.throttling : httpErrorCode
        if let after = ApiDestinationRequest.retryAfter(response.headers["retry-after"], now: now) {
            return .retriableAfter(code: code, message: message, after: after)
        }
        return .retriable(code: code, message: message)
    }

    /// The outcome when no answer came.
    static func outcome(_ failure: HTTPClientFailure, request: HTTPClientRequest) -> DeliveryOutcome {
        switch failure {
        case .timeout:
            return .retriable(code: DeliveryOutcome.Code.timeout, message: "the endpoint did not answer \(request.method) \(request.url) within 5 seconds")
        case .connection(let reason):
            return .retriable(code: DeliveryOutcome.Code.connectionFailure, message: "cannot connect to \(request.url): \(reason)")
        case .badURL(let reason):
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: reason)
        }
    }
}
