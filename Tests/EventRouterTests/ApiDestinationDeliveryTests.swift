import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// API destinations against a local recording HTTP server (a real socket), on a manual clock:
/// each authorization type, path/header/query parameters, the rate limit, retries with
/// `Retry-After`, and the dead-letter queue for answers that are not retried.
@Suite struct ApiDestinationDeliveryTests {
    static let account = "123456789012"

    /// A rule file: one connection (`auth`), one API destination on `endpoint`, a rule on
    /// source `shop` targeting it (with `target` extra target keys) and a dead-letter queue.
    static func ruleFile(auth: String, endpoint: String, rate: Int = 300, target: String = "", retry: String = #"{"MaximumRetryAttempts": 3}"#) -> String {
        """
        {"Account": "\(account)", "Region": "us-east-1",
         "Queues": [{"QueueName": "hook-dlq"}],
         "Connections": [{"Name": "hooks", "AuthorizationType": \(auth)}],
         "ApiDestinations": [{"Name": "orders-hook", "ConnectionArn": "hooks", "InvocationEndpoint": "\(endpoint)",
                              "HttpMethod": "POST", "InvocationRateLimitPerSecond": \(rate)}],
         "Rules": [{"Name": "to-hook", "EventPattern": {"source": ["shop"]},
                    "Targets": [{"Id": "hook", "Arn": "arn:aws:events:us-east-1:\(account):api-destination/orders-hook",
                                 "RetryPolicy": \(retry),
                                 "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:\(account):hook-dlq"}\(target)}]}]}
        """
    }

    static let apiKey = #""API_KEY", "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "s3cret"}}"#

    static func runtime(_ text: String, clock: ManualClock) throws -> RouterRuntime {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/hooks.json", text: text)])
        let workspace = try #require(result.workspace, "\(result.problems.map(\.description))")
        return try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 7)
    }

    static func put(_ runtime: RouterRuntime, _ n: Int = 1) throws {
        for i in 0..<n {
            _ = try runtime.router.putEvents([PutEventsEntry(source: "shop", detailType: "Order Placed", detail: #"{"order": \#(i)}"#)])
        }
    }

    static func deadLetters(_ runtime: RouterRuntime) async throws -> [ReceivedMessage] {
        let queue = try runtime.queues.queue(named: "hook-dlq")
        return try await queue.receiveMessages(maxNumberOfMessages: 10, visibilityTimeout: 0)
    }

    @Test func anApiKeyConnectionSendsItsHeaderAndTheShapedInputWithParameters() async throws {
        let server = try RecordingHTTPServer { _ in .init(status: 200) }
        defer { server.stop() }
        let text = Self.ruleFile(auth: Self.apiKey, endpoint: "\(server.base)/hooks/*/items/*",
                                 target: #", "InputPath": "$.detail", "HttpParameters": {"PathParameterValues": ["shop one", "7"], "HeaderParameters": {"X-Order": "yes"}, "QueryStringParameters": {"mode": "a&b"}}"#)
        let runtime = try Self.runtime(text, clock: ManualClock())
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        let requests = server.requests
        try #require(requests.count == 1)
        let r = requests[0]
        #expect(r.method == "POST")
        #expect(r.path == "/hooks/shop%20one/items/7")
        #expect(r.query == "mode=a%26b")
        #expect(r.headers["x-api-key"] == "s3cret")
        #expect(r.headers["x-order"] == "yes")
        #expect(r.headers["content-type"] == "application/json; charset=utf-8")
        #expect(r.headers["user-agent"] == "Amazon/EventBridge/ApiDestinations")
        #expect(r.body == #"{"order":0}"#)
        #expect(runtime.router.scheduler.statistics.succeeded == 1)
        await runtime.shutdown()
    }

    @Test func aBasicConnectionSendsBasicAuthorizationAndItsInvocationParameters() async throws {
        let server = try RecordingHTTPServer { _ in .init(status: 204) }
        defer { server.stop() }
        let auth = #""BASIC", "AuthParameters": {"BasicAuthParameters": {"Username": "ada", "Password": "pw"}, "InvocationHttpParameters": {"HeaderParameters": [{"Key": "X-Team", "Value": "ops"}], "QueryStringParameters": [{"Key": "v", "Value": "2"}], "BodyParameters": [{"Key": "extra", "Value": "yes"}]}}"#
        let runtime = try Self.runtime(Self.ruleFile(auth: auth, endpoint: "\(server.base)/in"), clock: ManualClock())
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        let r = try #require(server.requests.first)
        #expect(r.headers["authorization"] == "Basic " + Base64.encode(Array("ada:pw".utf8)))
        #expect(r.headers["x-team"] == "ops")
        #expect(r.query == "v=2")
        let body = try JSONParser.parse(r.body)
        #expect(body["extra"] == "yes")
        #expect(body["source"] == "shop")
        await runtime.shutdown()
    }

    @Test func anOAuthTokenIsFetchedCachedAndRefreshedAfterItExpires() async throws {
        let tokens = Mutex(0)
        let server = try RecordingHTTPServer { request in
            if request.path == "/token" {
                let n = tokens.withLock { $0 += 1; return $0 }
                return .init(status: 200, headers: [("Content-Type", "application/json")], body: #"{"access_token": "tok-\#(n)", "expires_in": 3600, "token_type": "Bearer"}"#)
            }
            return .init(status: 200)
        }
        defer { server.stop() }
        let auth = """
        "OAUTH_CLIENT_CREDENTIALS", "AuthParameters": {"OAuthParameters": {"AuthorizationEndpoint": "\(server.base)/token", "HttpMethod": "POST",
          "ClientParameters": {"ClientID": "app", "ClientSecret": "hush"},
          "OAuthHttpParameters": {"BodyParameters": [{"Key": "grant_type", "Value": "client_credentials"}], "QueryStringParameters": [{"Key": "aud", "Value": "hooks"}]}}}
        """
        let clock = ManualClock()
        let runtime = try Self.runtime(Self.ruleFile(auth: auth, endpoint: "\(server.base)/in"), clock: clock)
        try Self.put(runtime, 2)
        #expect(await runtime.settle().settled)
        var requests = server.requests
        #expect(requests.map(\.path) == ["/token", "/in", "/in"])
        let token = requests[0]
        #expect(token.method == "POST")
        #expect(token.query == "aud=hooks")
        #expect(token.body == "grant_type=client_credentials")
        #expect(token.headers["authorization"] == "Basic " + Base64.encode(Array("app:hush".utf8)))
        #expect(token.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(requests[1].headers["authorization"] == "Bearer tok-1")
        #expect(requests[2].headers["authorization"] == "Bearer tok-1")

        // Within 60 seconds of expiry the token is refreshed before use.
        clock.advance(by: .seconds(3600 - 59))
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        requests = server.requests
        #expect(requests.map(\.path) == ["/token", "/in", "/in", "/token", "/in"])
        #expect(requests[4].headers["authorization"] == "Bearer tok-2")
        await runtime.shutdown()
    }

    @Test func a401DropsTheTokenAndTheRetryFetchesANewOne() async throws {
        let calls = Mutex(0)
        let server = try RecordingHTTPServer { request in
            if request.path == "/token" { return .init(status: 200, body: #"{"access_token": "t\#(calls.withLock { $0 })"}"#) }
            let n = calls.withLock { $0 += 1; return $0 }
            return .init(status: n == 1 ? 401 : 200)
        }
        defer { server.stop() }
        let auth = #""OAUTH_CLIENT_CREDENTIALS", "AuthParameters": {"OAuthParameters": {"AuthorizationEndpoint": "\#(server.base)/token", "HttpMethod": "GET", "ClientParameters": {"ClientID": "a", "ClientSecret": "b"}}}"#
        let runtime = try Self.runtime(Self.ruleFile(auth: auth, endpoint: "\(server.base)/in"), clock: ManualClock())
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        let requests = server.requests
        #expect(requests.map(\.path) == ["/token", "/in", "/token", "/in"])
        #expect(requests[3].headers["authorization"] == "Bearer t1")
        #expect(runtime.router.scheduler.statistics.retried == 1)
        await runtime.shutdown()
    }

    @Test func theRateLimitDelaysDeliveriesOnTheClockAndDropsNone() async throws {
        let clock = ManualClock()
        let start = clock.now
        let times = Mutex<[Double]>([])
        let server = try RecordingHTTPServer { _ in
            times.withLock { $0.append((clock.now - start).seconds) }
            return .init(status: 200)
        }
        defer { server.stop() }
        let runtime = try Self.runtime(Self.ruleFile(auth: Self.apiKey, endpoint: "\(server.base)/in", rate: 2), clock: clock)
        try Self.put(runtime, 5)
        #expect(await runtime.settle().settled)
        #expect(server.requests.count == 5)
        // Two at once (a second's worth of tokens), then one every half second.
        #expect(times.withLock { $0 } == [0, 0, 0.5, 1.0, 1.5])
        let stats = runtime.router.scheduler.statistics
        #expect(stats.succeeded == 5 && stats.retried == 0 && stats.dropped == 0)
        await runtime.shutdown()
    }

    @Test(arguments: [(429, "THROTTLING"), (503, "SDK_CLIENT_ERROR")])
    func a429Or5xxIsRetriedNoSoonerThanRetryAfter(status: Int, code: String) async throws {
        let clock = ManualClock()
        let start = clock.now
        let times = Mutex<[Double]>([])
        let server = try RecordingHTTPServer { _ in
            let n = times.withLock { $0.append((clock.now - start).seconds); return $0.count }
            return n == 1 ? .init(status: status, headers: [("Retry-After", "120")]) : .init(status: 200)
        }
        defer { server.stop() }
        let trace = Mutex<[DeliveryOutcome]>([])
        let result = WorkspaceLoader.validate(files: [(name: "Rules/hooks.json", text: Self.ruleFile(auth: Self.apiKey, endpoint: "\(server.base)/in"))])
        let runtime = try RouterRuntime(workspace: try #require(result.workspace), clock: .virtual(clock), seed: 7, observer: { event in
            if case .attempted(_, _, let outcome, _) = event { trace.withLock { $0.append(outcome) } }
        })
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        #expect(server.requests.count == 2)
        let seen = times.withLock { $0 }
        #expect(seen.count == 2 && seen[1] >= 120 && seen[1] < 130)
        let first = try #require(trace.withLock { $0 }.first)
        #expect(first.errorCode == code)
        #expect(first.errorMessage == "Unable to invoke ApiDestination endpoint: the endpoint answered HTTP \(status) to POST \(server.base)/in")
        #expect(runtime.router.scheduler.statistics.succeeded == 1)
        await runtime.shutdown()
    }

    @Test func a5xxWithoutRetryAfterIsRetriedUntilTheLimitThenDeadLettered() async throws {
        let server = try RecordingHTTPServer { _ in .init(status: 500) }
        defer { server.stop() }
        let runtime = try Self.runtime(Self.ruleFile(auth: Self.apiKey, endpoint: "\(server.base)/in", retry: #"{"MaximumRetryAttempts": 2}"#), clock: ManualClock())
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        #expect(server.requests.count == 3)
        let dead = try await Self.deadLetters(runtime)
        try #require(dead.count == 1)
        #expect(dead[0].messageAttributes["ERROR_CODE"]?.stringValue == "SDK_CLIENT_ERROR")
        #expect(dead[0].messageAttributes["EXHAUSTED_RETRY_CONDITION"]?.stringValue == "MaximumRetryAttempts")
        await runtime.shutdown()
    }

    @Test(arguments: [400, 403, 404])
    func anOther4xxIsNotRetriedAndGoesToTheDeadLetterQueue(status: Int) async throws {
        let server = try RecordingHTTPServer { _ in .init(status: status) }
        defer { server.stop() }
        let runtime = try Self.runtime(Self.ruleFile(auth: Self.apiKey, endpoint: "\(server.base)/in"), clock: ManualClock())
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        #expect(server.requests.count == 1)
        let dead = try await Self.deadLetters(runtime)
        try #require(dead.count == 1)
        #expect(dead[0].messageAttributes["ERROR_CODE"]?.stringValue == "SDK_CLIENT_ERROR")
        #expect(dead[0].messageAttributes["ERROR_MESSAGE"]?.stringValue
                == "Unable to invoke ApiDestination endpoint: the endpoint answered HTTP \(status) to POST \(server.base)/in")
        #expect(dead[0].messageAttributes["RETRY_ATTEMPTS"]?.stringValue == "0")
        #expect(runtime.router.scheduler.statistics.retried == 0)
        await runtime.shutdown()
    }

    @Test func noEndpointListeningIsAConnectionFailureRetriedThenDeadLettered() async throws {
        // A port that was just closed: nothing listens there.
        let closed = try RecordingHTTPServer { _ in .init(status: 200) }
        let base = closed.base
        closed.stop()
        let runtime = try Self.runtime(Self.ruleFile(auth: Self.apiKey, endpoint: "\(base)/in", retry: #"{"MaximumRetryAttempts": 1}"#), clock: ManualClock())
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        let dead = try await Self.deadLetters(runtime)
        try #require(dead.count == 1)
        #expect(dead[0].messageAttributes["ERROR_CODE"]?.stringValue == "CONNECTION_FAILURE")
        await runtime.shutdown()
    }

    @Test func aHotReloadAddsTheConnectionDestinationAndRuleAtOnce() async throws {
        let server = try RecordingHTTPServer { _ in .init(status: 200) }
        defer { server.stop() }
        let clock = ManualClock()
        let before = try #require(WorkspaceLoader.validate(files: [(name: "Rules/hooks.json", text: #"{"Account": "\#(Self.account)", "Queues": [{"QueueName": "hook-dlq"}]}"#)]).workspace)
        let after = try #require(WorkspaceLoader.validate(files: [(name: "Rules/hooks.json", text: Self.ruleFile(auth: Self.apiKey, endpoint: "\(server.base)/in"))]).workspace)
        let runtime = try RouterRuntime(workspace: before, clock: .virtual(clock), seed: 7)
        let changes = WorkspaceChanges(from: before, to: after)
        let (lines, _) = try runtime.applyReload(changes)
        #expect(lines.contains("Connections and ApiDestinations: 1 connection and 1 API destination from the files"))
        try Self.put(runtime)
        #expect(await runtime.settle().settled)
        #expect(server.requests.count == 1)
        #expect(runtime.apiDestinations.destination(account: Self.account, region: "us-east-1", name: "orders-hook") != nil)
        let (_, _) = try runtime.applyReload(WorkspaceChanges(from: after, to: before))
        #expect(runtime.apiDestinations.destination(account: Self.account, region: "us-east-1", name: "orders-hook") == nil)
        await runtime.shutdown()
    }
}
