import EventRouter

/// The router's own endpoints under `/_eventrouter/`, a path no AWS API uses:
///
/// | Request | Answer |
/// |---|---|
/// | `GET /_eventrouter/health` | 200 `{"status":"ready"}` (503 until ready) |
/// | `GET /_eventrouter/state` | 200, the state JSON `replay --state-out` writes, for the running router |
/// | `GET /_eventrouter/export` | 200, the resources created through the API as rule files (`eventrouter export rules`) |
/// | `GET /_eventrouter/graph` | 200, the workspace's graph with the counts so far (`eventrouter graph --state`); `?format=dot` or `?format=json` (default Mermaid) |
/// | `POST /_eventrouter/shutdown` | 202 and a graceful stop, only when allowed (`--allow-remote-shutdown`); else 403 |
public struct AdminEndpoint: Sendable {
    private let isReady: @Sendable () -> Bool
    private let state: (@Sendable () async -> JSONValue)?
    private let shutdown: (@Sendable () -> Void)?
    private let export: (@Sendable () async -> JSONValue)?
    /// The workspace the router was built from, for `/graph` (`nil`: 404).
    private let workspace: Workspace?

    /// - Parameters:
    ///   - isReady: whether the router is ready to serve (health answers 503 until then).
    ///   - state: the running router's state JSON (`nil`: no router behind this endpoint, 404).
    ///   - shutdown: starts a graceful shutdown; `nil` when remote shutdown is not allowed (403).
    ///   - export: the resources created through the API as rule files (``RouterRuntime/exportAPIResources(origins:)``).
    public init(isReady: @escaping @Sendable () -> Bool = { true }, state: (@Sendable () async -> JSONValue)? = nil,
                shutdown: (@Sendable () -> Void)? = nil, export: (@Sendable () async -> JSONValue)? = nil, workspace: Workspace? = nil) {
        self.workspace = workspace
        self.isReady = isReady
        self.state = state
        self.shutdown = shutdown
        self.export = export
    }

    /// The paths served, for "not found" answers.
    static let served = "GET /_eventrouter/health, GET /_eventrouter/state, GET /_eventrouter/export, GET /_eventrouter/graph, POST /_eventrouter/shutdown"

    /// Answers one request for `/_eventrouter` + `path`.
    public func handle(path: String, request: HTTPRequest) async -> HTTPResponse {
        switch path {
        case "/health":
            if let refused = Self.method(request, allowed: ["GET", "HEAD"], path: path) { return refused }
            return isReady() ? Self.body(200, ["status": "ready"]) : Self.body(503, ["status": "starting"])
        case "/state":
            if let refused = Self.method(request, allowed: ["GET", "HEAD"], path: path) { return refused }
            guard let state else { return Self.body(404, ["__type": "NotFound", "message": "no router runs behind this endpoint, so it has no state"]) }
            return HTTPResponse(status: 200, contentType: "application/json", text: await state().jsonText)
        case "/export":
            if let refused = Self.method(request, allowed: ["GET", "HEAD"], path: path) { return refused }
            guard let export else { return Self.body(404, ["__type": "NotFound", "message": "no router runs behind this endpoint, so it has nothing to export"]) }
            return HTTPResponse(status: 200, contentType: "application/json", text: await export().jsonText)
        case "/graph":
            if let refused = Self.method(request, allowed: ["GET", "HEAD"], path: path) { return refused }
            guard let workspace, let state else { return Self.body(404, ["__type": "NotFound", "message": "no router runs behind this endpoint, so it has no graph"]) }
            let name = request.query.split(separator: "&").first { $0.hasPrefix("format=") }.map { String($0.dropFirst(7)) } ?? "mermaid"
            guard let format = WorkspaceGraph.Format(rawValue: name) else {
                return Self.body(400, ["__type": "ValidationException", "message": "format must be mermaid, dot or json, not '\(name)'"])
            }
            let graph = WorkspaceGraph(workspace: workspace, state: await state())
            return HTTPResponse(status: 200, contentType: format == .json ? "application/json" : "text/plain; charset=utf-8", text: graph.render(format))
        case "/shutdown":
            if let refused = Self.method(request, allowed: ["POST"], path: path) { return refused }
            guard let shutdown else {
                return Self.body(403, ["__type": "AccessDeniedException",
                                       "message": "remote shutdown is off: start the router with 'eventrouter run --allow-remote-shutdown' to allow POST /_eventrouter/shutdown, or send it SIGTERM"])
            }
            shutdown()
            return Self.body(202, ["status": "stopping"])
        default:
            return Self.body(404, ["__type": "NotFound", "message": "no admin endpoint /_eventrouter\(path); served: \(Self.served)"])
        }
    }

    /// 405 with `Allow` when `request`'s method is not one of `allowed`.
    private static func method(_ request: HTTPRequest, allowed: [String], path: String) -> HTTPResponse? {
        guard !allowed.contains(request.method) else { return nil }
        var response = body(405, ["__type": "MethodNotAllowed", "message": "use \(allowed[0]) /_eventrouter\(path), not \(request.method)"])
        response.headers.add("Allow", allowed.joined(separator: ", "))
        return response
    }

    private static func body(_ status: Int, _ members: KeyValuePairs<String, String>) -> HTTPResponse {
        let object = JSONValue.object(JSONObject(members.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))
        return HTTPResponse(status: status, contentType: "application/json", text: object.jsonText)
    }
}
