import EventRouter

/// The router's own endpoints under `/_eventrouter/`, a path no AWS API uses.
public struct AdminEndpoint: Sendable {
    private let isReady: @Sendable () -> Bool

    /// - Parameter isReady: whether the router is ready to serve (health answers 503 until then).
    public init(isReady: @escaping @Sendable () -> Bool = { true }) { self.isReady = isReady }

    /// Answers `GET /_eventrouter/health` (200 when ready); any other path is 404.
    public func handle(path: String, request: HTTPRequest) -> HTTPResponse {
        switch path {
        case "/health":
            guard request.method == "GET" || request.method == "HEAD" else {
                var response = Self.body(405, ["__type": "MethodNotAllowed", "message": "use GET /_eventrouter/health"])
                response.headers.add("Allow", "GET, HEAD")
                return response
            }
            return isReady() ? Self.body(200, ["status": "ready"]) : Self.body(503, ["status": "starting"])
        default:
            return Self.body(404, ["__type": "NotFound", "message": "no admin endpoint /_eventrouter\(path); served: /_eventrouter/health"])
        }
    }

    private static func body(_ status: Int, _ members: KeyValuePairs<String, String>) -> HTTPResponse {
        let object = JSONValue.object(JSONObject(members.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))
        return HTTPResponse(status: status, contentType: "application/json", text: object.jsonText)
    }
}
