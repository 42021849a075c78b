import Testing
@testable import EventRouterHTTP

/// Which service and protocol a request is for, by path, `X-Amz-Target` and form body, in
/// wire.md's order (the root path `/` skips the path prefixes, which cannot match it).
@Suite struct RequestRouterTests {
    static let form = [("Action", "Publish"), ("Version", "2010-03-31")]

    static func route(_ target: String, method: String = "POST", headers: [(String, String)] = [], form: [(String, String)]? = nil,
                      scope: String? = nil) -> Route {
        RequestRouter.route(HTTPRequest(method: method, target: target, headers: HTTPHeaders(headers)), formParameters: form, scopeService: scope)
    }

    @Test func eachKindOfPathAndBodyGoesWhereWireMdSays() {
        #expect(Self.route("/", form: Self.form) == .query(service: "sns", operation: "Publish"))
        #expect(Self.route("/", form: Self.form, scope: "sqs") == .query(service: "sqs", operation: "Publish"))
        #expect(Self.route("/?x=1", form: [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]) == .query(service: "sts", operation: "GetCallerIdentity"))
        #expect(Self.route("/", headers: [("X-Amz-Target", "AWSEvents.PutEvents")]) == .json(service: "events", operation: "PutEvents", protocol: .json11))
        #expect(Self.route("/_eventrouter/health", method: "GET") == .admin(path: "/health"))
        #expect(Self.route("/_eventrouter", method: "GET") == .admin(path: ""))
        #expect(Self.route("/_eventrouter/health", headers: [("X-Amz-Target", "AWSEvents.PutEvents")]) == .admin(path: "/health"))
        #expect(Self.route("/2015-03-31/functions/f/invocations", form: Self.form) == .rest(service: "lambda"))
        #expect(Self.route("/2016-08-19/account-settings", method: "GET") == .rest(service: "lambda"))
        #expect(Self.route("/123456789012/q", form: [("Action", "SendMessage")]) == .query(service: "sqs", operation: "SendMessage"))
        guard case .unsupported(let error, _) = Self.route("/service/x/operation/y") else {
            Issue.record("an RPC v2 CBOR path is not unsupported")
            return
        }
        #expect(error.code == "UnsupportedProtocol")
        guard case .unsupported(let unknown, _) = Self.route("/") else {
            Issue.record("a bare POST / is routed")
            return
        }
        #expect(unknown.code == "UnknownOperationException")
    }
}
