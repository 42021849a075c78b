import Testing
@testable import EventRouter

/// The Runtime API's decisions without sockets: replies, outcomes, Lambda's error bodies.
@Suite struct RuntimeAPISessionTests {
    static let invocation = RuntimeAPIInvocation(requestId: "r-1", payload: Array(#"{"a":1}"#.utf8), deadlineMs: 1_700_000_000_000,
                                                 functionArn: "arn:aws:lambda:us-east-1:123456789012:function:f", traceId: "Root=1-0-0;Parent=0;Sampled=0")

    static func request(_ method: String, _ path: String, body: String = "", headers: [(String, String)] = [], tooLarge: Bool = false) -> RuntimeAPIRequest {
        RuntimeAPIRequest(method: method, path: RuntimeAPISession.prefix + path, headers: headers, body: Array(body.utf8), bodyTooLarge: tooLarge)
    }

    /// A session whose runtime has received ``invocation`` on connection 1.
    static func delivered() -> RuntimeAPISession {
        var s = RuntimeAPISession()
        _ = s.handle(request("GET", "invocation/next"), connection: 1)
        _ = s.submit(invocation)
        return s
    }

    static func body(_ action: RuntimeAPISession.Action?) -> String {
        guard case .reply(_, let reply) = action else { return "" }
        return "\(reply.status) " + String(decoding: reply.body, as: UTF8.self)
    }

    @Test func nextWaitsForAnInvocationAndCarriesLambdasHeaders() {
        var s = RuntimeAPISession()
        #expect(s.handle(Self.request("GET", "invocation/next"), connection: 1).isEmpty)
        let actions = s.submit(Self.invocation)
        guard case .reply(1, let reply) = actions.first else { Issue.record("no reply: \(actions)"); return }
        #expect(reply.status == 200)
        #expect(reply.headers.contains("Lambda-Runtime-Aws-Request-Id: r-1"))
        #expect(reply.headers.contains("Lambda-Runtime-Deadline-Ms: 1700000000000"))
        #expect(reply.headers.contains("Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:f"))
        #expect(reply.headers.contains("Lambda-Runtime-Trace-Id: Root=1-0-0;Parent=0;Sampled=0"))
        #expect(reply.body == Self.invocation.payload)
    }

    @Test func aResponseEndsTheInvocationAndIsAccepted() {
        var s = Self.delivered()
        let actions = s.handle(Self.request("POST", "invocation/r-1/response", body: #"{"ok":true}"#), connection: 1)
        #expect(Self.body(actions.first) == #"202 {"status":"OK"}"#)
        #expect(actions.last == .complete(.response(Array(#"{"ok":true}"#.utf8))))
    }

    @Test func aResponseForAnotherRequestIdIsInvalidRequestID() {
        var s = Self.delivered()
        let actions = s.handle(Self.request("POST", "invocation/r-9/response", body: "{}"), connection: 1)
        #expect(actions.count == 1)
        #expect(Self.body(actions.first) == #"400 {"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
    }

    @Test func aSecondResponseIsAnInvalidStateTransition() {
        var s = Self.delivered()
        _ = s.handle(Self.request("POST", "invocation/r-1/response", body: "1"), connection: 1)
        let again = s.handle(Self.request("POST", "invocation/r-1/response", body: "2"), connection: 1)
        #expect(again.count == 1)
        #expect(Self.body(again.first) == #"403 {"errorMessage":"State transition from ResponseSent to InvocationResponse failed for runtime. Error: request r-1 was already answered","errorType":"InvalidStateTransition"}"#)
    }

    @Test func aResponseOverSixMegabytesIs413AndFailsTheInvocation() {
        var s = Self.delivered()
        let actions = s.handle(Self.request("POST", "invocation/r-1/response", tooLarge: true), connection: 1)
        #expect(Self.body(actions.first) == #"413 {"errorMessage":"Exceeded maximum allowed payload size (6291456 bytes).","errorType":"RequestEntityTooLarge"}"#)
        #expect(actions.last == .complete(.failure(.responseTooLarge, keepEnvironment: true)))
    }

    @Test func anErrorDocumentIsKeptAsThePayload() {
        var s = Self.delivered()
        let doc = #"{"errorMessage":"bad","errorType":"ValueError","stackTrace":["  File \"app.py\", line 2"]}"#
        let actions = s.handle(Self.request("POST", "invocation/r-1/error", body: doc, headers: [("lambda-runtime-function-error-type", "Unhandled")]), connection: 1)
        guard case .complete(.failure(let error, true)) = actions.last else { Issue.record("\(actions)"); return }
        #expect(error.type == "ValueError")
        #expect(error.message == "bad")
        #expect(error.payload["stackTrace"]?.arrayValue?.count == 1)
    }

    @Test func aMalformedErrorBodyKeepsTheHeadersTypeAndSaysWhatIsWrong() {
        var s = Self.delivered()
        let actions = s.handle(Self.request("POST", "invocation/r-1/error", body: "not json", headers: [("lambda-runtime-function-error-type", "Custom.Failure")]), connection: 1)
        #expect(Self.body(actions.first) == #"202 {"status":"OK"}"#)
        #expect(actions.last == .complete(.failure(FunctionError(type: "Custom.Failure", message: #"the runtime posted an error body that is not Lambda's {"errorMessage", "errorType", "stackTrace"} JSON: not json"#), keepEnvironment: true)))
    }

    @Test func anInitErrorFailsTheWaitingInvocationAndEndsTheEnvironment() {
        var s = RuntimeAPISession()
        _ = s.submit(Self.invocation)
        let doc = #"{"errorMessage":"Unable to import module 'app'","errorType":"Runtime.ImportModuleError"}"#
        let actions = s.handle(Self.request("POST", "init/error", body: doc), connection: 1)
        guard case .complete(.failure(let error, false)) = actions.last else { Issue.record("\(actions)"); return }
        #expect(error.type == "Runtime.ImportModuleError")
        // After the first /next, an init error is refused.
        var later = Self.delivered()
        #expect(Self.body(later.handle(Self.request("POST", "init/error", body: doc), connection: 1).first).hasPrefix("403 "))
    }

    @Test func anExitDuringInitIsRuntimeExitErrorAndBetweenInvocationsLetsAFreshOneServe() {
        var s = RuntimeAPISession()
        _ = s.submit(Self.invocation)
        let (actions, _) = s.exited(status: "exit status 3", cleanly: false, output: "boom")
        #expect(actions == [.complete(.failure(FunctionError(type: "Runtime.ExitError", message: "RequestId: r-1 Error: Runtime exited with error: exit status 3; its last output: boom"), keepEnvironment: false))])
        var warm = Self.delivered()
        _ = warm.handle(Self.request("POST", "invocation/r-1/response", body: "1"), connection: 1)
        let (_, terminal) = warm.exited(status: "exit status 0", cleanly: true, output: "")
        #expect(terminal == .exitedBeforeDelivery(FunctionError(type: "Runtime.ExitError", message: "RequestId:  Error: Runtime exited without providing a reason")))
    }

    @Test func anUnknownPathIs404NamingTheServedOnes() {
        var s = RuntimeAPISession()
        let text = Self.body(s.handle(RuntimeAPIRequest(method: "GET", path: "/2018-06-01/runtime/invocation/later", headers: [], body: []), connection: 1).first)
        #expect(text.hasPrefix("404 "))
        #expect(text.contains("it serves GET /2018-06-01/runtime/invocation/next"))
    }

    @Test func theReaderTakesPipelinedAndChunkedRequests() throws {
        var reader = RuntimeAPIRequestReader(bodyLimit: 10)
        reader.feed(ArraySlice("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nPOST /c HTTP/1.1\r\nContent-Length: 12\r\n\r\n123456789012".utf8))
        #expect(try reader.next()?.path == "/a")
        let chunked = try #require(try reader.next())
        #expect(String(decoding: chunked.body, as: UTF8.self) == "abcde")
        let big = try #require(try reader.next())
        #expect(big.bodyTooLarge && big.body.isEmpty)
        #expect(try reader.next() == nil)
        var bad = RuntimeAPIRequestReader(bodyLimit: 10)
        bad.feed(ArraySlice("NONSENSE\r\n\r\n".utf8))
        #expect(throws: RuntimeAPIRequestReader.Malformed(reason: "the request line is not 'METHOD PATH HTTP/1.1': NONSENSE")) { try bad.next() }
    }
}
