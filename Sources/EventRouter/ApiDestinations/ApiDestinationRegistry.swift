import Synchronization

/// The connections and API destinations of a runtime (from rule files and the API), with each
/// connection's cached OAuth token and each destination's rate limiter.
public final class ApiDestinationRegistry: Sendable {
    private struct State {
        var connections: [String: ConnectionDefinition] = [:]
        var destinations: [String: ApiDestinationDefinition] = [:]
        var tokens: [String: OAuthToken] = [:]
        var limiters: [String: InvocationRateLimiter] = [:]
    }

    private let state = Mutex(State())
    private let client: Mutex<(any HTTPClient)?> = Mutex(nil)

    /// The HTTP client deliveries use: ``URLSessionHTTPClient`` unless a test chose another
    /// (``useHTTPClient(_:)``); made at the first delivery.
    public var httpClient: any HTTPClient {
        client.withLock { c in
            if let c { return c }
            let made = URLSessionHTTPClient()
            c = made
            return made
        }
    }

    /// Makes deliveries use `client` (tests: a fake or a client with its own settings).
    public func useHTTPClient(_ client: any HTTPClient) { self.client.withLock { $0 = client } }

    public init(connections: [ConnectionDefinition] = [], destinations: [ApiDestinationDefinition] = []) {
        state.withLock { s in
            for c in connections { s.connections[Self.key(c.account, c.region, c.name)] = c }
            for d in destinations { s.destinations[Self.key(d.account, d.region, d.name)] = d }
        }
    }

    static func key(_ account: String, _ region: String, _ name: String) -> String { "\(account)/\(region)/\(name)" }

    // MARK: - Connections

    public func connection(account: String, region: String, name: String) -> ConnectionDefinition? {
        state.withLock { $0.connections[Self.key(account, region, name)] }
    }

    /// The connections of an account and region, by name.
    public func connections(account: String, region: String) -> [ConnectionDefinition] {
        state.withLock { s in s.connections.values.filter { $0.account == account && $0.region == region }.sorted { $0.name < $1.name } }
    }

    /// Adds or replaces a connection; a replaced one loses its cached token.
    public func put(_ connection: ConnectionDefinition) {
        let key = Self.key(connection.account, connection.region, connection.name)
        state.withLock { s in
            s.connections[key] = connection
            s.tokens[key] = nil
        }
    }

    @discardableResult
    public func removeConnection(account: String, region: String, name: String) -> ConnectionDefinition? {
        let key = Self.key(account, region, name)
        return state.withLock { s in
            s.tokens[key] = nil
            return s.connections.removeValue(forKey: key)
        }
    }

    /// The API destinations that use a connection.
    public func destinations(usingConnection name: String, account: String, region: String) -> [ApiDestinationDefinition] {
        state.withLock { s in s.destinations.values.filter { $0.account == account && $0.region == region && $0.connectionName == name } }
    }

    // MARK: - API destinations

    public func destination(account: String, region: String, name: String) -> ApiDestinationDefinition? {
        state.withLock { $0.destinations[Self.key(account, region, name)] }
    }

    public func destinations(account: String, region: String) -> [ApiDestinationDefinition] {
        state.withLock { s in s.destinations.values.filter { $0.account == account && $0.region == region }.sorted { $0.name < $1.name } }
    }

    /// Adds or replaces an API destination (a new rate starts a new limiter).
    public func put(_ destination: ApiDestinationDefinition) {
        let key = Self.key(destination.account, destination.region, destination.name)
        state.withLock { s in
            if s.destinations[key]?.invocationRateLimitPerSecond != destination.invocationRateLimitPerSecond { s.limiters[key] = nil }
            s.destinations[key] = destination
        }
    }

    @discardableResult
    public func removeDestination(account: String, region: String, name: String) -> ApiDestinationDefinition? {
        let key = Self.key(account, region, name)
        return state.withLock { s in
            s.limiters[key] = nil
            return s.destinations.removeValue(forKey: key)
        }
    }

    /// Every connection, by account, region and name (snapshots).
    public var allConnections: [ConnectionDefinition] { state.withLock { s in s.connections.keys.sorted().compactMap { s.connections[$0] } } }

    /// Every API destination, by account, region and name (snapshots).
    public var allDestinations: [ApiDestinationDefinition] { state.withLock { s in s.destinations.keys.sorted().compactMap { s.destinations[$0] } } }

    // MARK: - Delivery state

    /// Takes a rate-limit token for a destination: `nil` when granted, else when to try again.
    func takeToken(_ d: ApiDestinationDefinition, now: Timestamp) -> Timestamp? {
        let key = Self.key(d.account, d.region, d.name)
        return state.withLock { s in
            var limiter = s.limiters[key] ?? InvocationRateLimiter(ratePerSecond: d.invocationRateLimitPerSecond, now: now)
            let next = limiter.take(now: now)
            s.limiters[key] = limiter
            return next
        }
    }

    /// The connection's cached token while it is fresh at `now`.
    func cachedToken(_ c: ConnectionDefinition, now: Timestamp) -> OAuthToken? {
        state.withLock { s in s.tokens[Self.key(c.account, c.region, c.name)].flatMap { $0.isFresh(at: now) ? $0 : nil } }
    }

    func storeToken(_ token: OAuthToken?, for c: ConnectionDefinition) {
        state.withLock { $0.tokens[Self.key(c.account, c.region, c.name)] = token }
    }
}
