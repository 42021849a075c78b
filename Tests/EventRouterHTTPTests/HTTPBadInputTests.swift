import EventRouter
import Testing
@testable import EventRouterHTTP

/// Each class of bad input of issue 12, sent over a socket to the router as `eventrouter run`
/// serves it: answered with its protocol's AWS-shaped error (status and `__type` / `<Code>`),
/// never a hang or a silent close, while another client on a keep-alive connection is served.
@Suite struct HTTPBadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        /// Close the sending side after the bytes (a client that stops mid-request).
        var halfClose = false
        var status: Int
        /// `__type` of a JSON answer or `<Code>` of an XML one.
        var code: String
        var xml = false
        /// Whether the server closes the connection after the answer (HTTP-level errors do).
        var closes: Bool
        var testDescription: String { name }

        init(_ name: String, _ text: String, halfClose: Bool = false, status: Int, code: String, xml: Bool = false, closes: Bool) {
            self.init(name, Array(text.utf8), halfClose: halfClose, status: status, code: code, xml: xml, closes: closes)
        }

        init(_ name: String, _ bytes: [UInt8], halfClose: Bool = false, status: Int, code: String, xml: Bool = false, closes: Bool) {
            self.name = name
            self.bytes = bytes
            self.halfClose = halfClose
            self.status = status
            self.code = code
            self.xml = xml
            self.closes = closes
        }
    }

    static func json(_ target: String, _ body: [UInt8], version: String = "1.1") -> [UInt8] {
        Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: \(target)\r\nContent-Type: application/x-amz-json-\(version)\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    static func form(_ body: String, service: String) -> String {
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=test/20240102/us-east-1/\(service)/aws4_request, SignedHeaders=host, Signature=00\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    static let cases: [Case] = [
        Case("malformed request line", "GARBAGE\r\n\r\n", status: 400, code: "BadRequest", closes: true),
        Case("header without colon", "GET / HTTP/1.1\r\nHost: h\r\nNoColonHere\r\n\r\n", status: 400, code: "BadRequest", closes: true),
        Case("oversize headers", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "a", count: 17_000) + "\r\n\r\n",
             status: 431, code: "RequestHeaderFieldsTooLarge", closes: true),
        Case("oversize body", "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Length: 16777217\r\n\r\n{",
             status: 413, code: "RequestEntityTooLarge", closes: true),
        Case("oversize form body answers in XML", "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16777217\r\n\r\nA",
             status: 413, code: "RequestEntityTooLarge", xml: true, closes: true),
        Case("Content-Length not a number", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12abc\r\n\r\n", status: 400, code: "BadRequest", closes: true),
        Case("Content-Length longer than the body", "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: AWSEvents.ListRules\r\nContent-Length: 10\r\n\r\n{}",
             halfClose: true, status: 400, code: "BadRequest", closes: true),
        Case("Content-Length shorter than the body", Self.json("AWSEvents.NoSuchOperation", Array("{}".utf8)) + Array("junk\r\n\r\n".utf8),
             status: 400, code: "BadRequest", closes: true),
        Case("truncated chunked body", "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: AWSEvents.PutEvents\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"En",
             halfClose: true, status: 400, code: "BadRequest", closes: true),
        Case("invalid percent-encoding in the target", "GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n", status: 400, code: "BadRequest", closes: true),
        Case("invalid percent-encoding in a form body", Self.form("Action=GetCallerIdentity&Version=2011-06-15&X=%G1", service: "sts"),
             status: 400, code: "MalformedQueryString", xml: true, closes: false),
        Case("non-UTF-8 JSON", Self.json("AWSEvents.PutEvents", [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]), status: 400, code: "SerializationException", closes: false),
        Case("JSON that does not parse", Self.json("AmazonSQS.ListQueues", Array("{\"a\":".utf8), version: "1.0"), status: 400, code: "SerializationException", closes: false),
        Case("body not a JSON object", Self.json("AWSEvents.PutEvents", Array("[1, 2]".utf8)), status: 400, code: "SerializationException", closes: false),
        Case("unknown X-Amz-Target service", Self.json("DynamoDB_20120810.GetItem", Array("{}".utf8), version: "1.0"),
             status: 400, code: "UnknownOperationException", closes: false),
        Case("unknown EventBridge operation", Self.json("AWSEvents.NoSuchOperation", Array("{}".utf8)), status: 400, code: "UnknownOperationException", closes: false),
        Case("unknown SQS operation", Self.json("AmazonSQS.NoSuchOperation", Array("{}".utf8), version: "1.0"), status: 400, code: "UnknownOperationException", closes: false),
        Case("unknown STS query Action", Self.form("Action=NoSuchAction&Version=2011-06-15", service: "sts"), status: 400, code: "InvalidAction", xml: true, closes: false),
        Case("unknown SQS query Action", Self.form("Action=NoSuchAction&Version=2012-11-05", service: "sqs"), status: 400, code: "InvalidAction", xml: true, closes: false),
        Case("missing query Action", Self.form("Version=2011-06-15", service: "sts"), status: 400, code: "MissingAction", xml: true, closes: false),
    ]

    /// The `__type` of a JSON error or the `<Code>` of an XML one.
    static func code(_ response: TestResponse, xml: Bool) -> String? {
        if xml {
            guard let start = response.body.range(of: "<Code>"), let end = response.body.range(of: "</Code>") else { return nil }
            return String(response.body[start.upperBound..<end.lowerBound])
        }
        return (try? JSONValue(parsing: response.body))?["__type"]?.stringValue
    }

    @Test func eachClassIsAnsweredInItsProtocolWhileAnotherClientIsServed() async throws {
        let workspace = try #require(WorkspaceLoader.validate(files: [("a.json", #"{"Queues": [{"QueueName": "orders"}]}"#)]).workspace)
        var options = RouterServer.Options()
        options.port = 0
        let router = try RouterServer(workspace: workspace, options: options)
        let port = router.port
        async let serving: Void = router.run()
        let cases = Self.cases
        let results = await offPool { () -> [(name: String, response: TestResponse?, closed: Bool, otherServed: Bool)] in
            guard let other = LoopbackSocket(port: port) else { return [] }
            return cases.map { testCase in
                guard let bad = LoopbackSocket(port: port) else { return (testCase.name, nil, false, false) }
                // The bad request's first part is in; the other client is answered before it ends.
                let split = max(1, testCase.bytes.count / 2)
                bad.send(Array(testCase.bytes[..<split]))
                other.send("GET /_eventrouter/health HTTP/1.1\r\nHost: h\r\n\r\n")
                let otherServed = other.readResponse()?.status == 200
                bad.send(Array(testCase.bytes[split...]))
                if testCase.halfClose { bad.shutdownWrite() }
                var response = bad.readResponse()
                if testCase.name == "Content-Length shorter than the body" {
                    // The declared 2 bytes are one request (answered), the rest is a malformed next request.
                    response = response?.status == 400 ? bad.readResponse() : nil
                }
                let closed: Bool
                if testCase.closes {
                    closed = bad.readsEndOfStream()
                } else {
                    bad.send("GET /_eventrouter/health HTTP/1.1\r\nHost: h\r\n\r\n")
                    closed = bad.readResponse()?.status != 200
                }
                return (testCase.name, response, closed, otherServed)
            }
        }
        router.shutdown()
        await serving
        #expect(results.count == cases.count)
        for (testCase, result) in zip(cases, results) {
            let response = try #require(result.response, "\(testCase.name): no answer")
            #expect(response.status == testCase.status, "\(testCase.name): \(response.body)")
            #expect(Self.code(response, xml: testCase.xml) == testCase.code, "\(testCase.name): \(response.body)")
            #expect(result.closed == testCase.closes, "\(testCase.name): the connection \(testCase.closes ? "stays open" : "closes")")
            #expect(result.otherServed, "\(testCase.name): the other client waited")
        }
    }
}
