import EventRouter
import Testing
@testable import EventRouterHTTP

/// The AWS front in process: routing, accounts, strict authentication and each protocol's errors.
@Suite struct AWSEndpointTests {
    static let keys = AccessKeyTable(keys: [AccessKey(accessKeyId: "AKIDALICE", secretAccessKey: "alice-secret", account: "111122223333")])

    static func endpoint(strict: Bool = false) -> AWSEndpoint {
        AWSEndpoint(services: [STSService()], authenticator: Authenticator(keys: keys, strict: strict, defaultRegion: "us-east-1"),
                    requestIds: SharedRandom(seed: 7))
    }

    /// A request signed the way an SDK signs it (host and x-amz-date).
    static func signed(_ request: HTTPRequest, key: String, secret: String, service: String, region: String = "eu-west-1") -> HTTPRequest {
        var request = request
        request.headers.set("Host", "127.0.0.1:4566")
        request.headers.set("X-Amz-Date", "20240102T030405Z")
        let credential = SigV4Credential(accessKeyId: key, date: "20240102", region: region, service: service,
                                         signedHeaders: ["host", "x-amz-date"], signature: "", presigned: false, algorithm: "AWS4-HMAC-SHA256")
        let signature = SigV4Signer.signature(request, credential: credential, secret: secret)
        request.headers.set("Authorization", "AWS4-HMAC-SHA256 Credential=\(key)/20240102/\(region)/\(service)/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(signature)")
        return request
    }

    static func form(_ body: String) -> HTTPRequest {
        HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([("Host", "h"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]),
                    body: Array(body.utf8))
    }

    static func json(_ target: String, _ body: String) -> HTTPRequest {
        HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([("Host", "h"), ("X-Amz-Target", target), ("Content-Type", "application/x-amz-json-1.1")]),
                    body: Array(body.utf8))
    }

    static let callerIdentity = "Action=GetCallerIdentity&Version=2011-06-15"

    @Test func getCallerIdentityAnswersTheAccountOfTheKey() async {
        let endpoint = Self.endpoint()
        let mapped = await endpoint.handle(Self.signed(Self.form(Self.callerIdentity), key: "AKIDALICE", secret: "anything", service: "sts"))
        #expect(mapped.status == 200)
        #expect(String(decoding: mapped.body, as: UTF8.self).contains("<GetCallerIdentityResult><UserId>AKIDALICE</UserId><Account>111122223333</Account><Arn>arn:aws:iam::111122223333:root</Arn></GetCallerIdentityResult>"))
        let digits = await endpoint.handle(Self.signed(Self.form(Self.callerIdentity), key: "444455556666", secret: "x", service: "sts"))
        #expect(String(decoding: digits.body, as: UTF8.self).contains("<Account>444455556666</Account>"))
        let unsigned = await endpoint.handle(Self.form(Self.callerIdentity))
        #expect(String(decoding: unsigned.body, as: UTF8.self).contains("<Account>123456789012</Account>"))
        #expect(unsigned.headers["Content-Type"] == "text/xml")
    }

    @Test func strictAuthenticationRefusesWrongSecretsAndUnknownKeysInEachProtocol() async {
        let endpoint = Self.endpoint(strict: true)
        let good = await endpoint.handle(Self.signed(Self.form(Self.callerIdentity), key: "AKIDALICE", secret: "alice-secret", service: "sts"))
        #expect(good.status == 200)

        let wrong = await endpoint.handle(Self.signed(Self.form(Self.callerIdentity), key: "AKIDALICE", secret: "guess", service: "sts"))
        #expect(wrong.status == 403)
        #expect(String(decoding: wrong.body, as: UTF8.self).contains("<Code>SignatureDoesNotMatch</Code>"))

        let unknown = await endpoint.handle(Self.signed(Self.form(Self.callerIdentity), key: "AKIDMALLORY", secret: "x", service: "sts"))
        #expect(unknown.status == 403)
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("<Code>InvalidClientTokenId</Code>"))

        let jsonWrong = await endpoint.handle(Self.signed(Self.json("AWSEvents.ListRules", "{}"), key: "AKIDALICE", secret: "guess", service: "events"))
        #expect(jsonWrong.status == 403)
        #expect(String(decoding: jsonWrong.body, as: UTF8.self).hasPrefix(#"{"__type":"InvalidSignatureException""#))

        let jsonUnknown = await endpoint.handle(Self.signed(Self.json("AWSEvents.ListRules", "{}"), key: "AKIDMALLORY", secret: "x", service: "events"))
        #expect(String(decoding: jsonUnknown.body, as: UTF8.self).hasPrefix(#"{"__type":"UnrecognizedClientException""#))

        let unsigned = await endpoint.handle(Self.form(Self.callerIdentity))
        #expect(unsigned.status == 403)
        #expect(String(decoding: unsigned.body, as: UTF8.self).contains("<Code>MissingAuthenticationToken</Code>"))
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var request: HTTPRequest
        var status: Int
        var fragment: String
        var testDescription: String { name }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(name: "JSON body not an object", request: json("AWSEvents.PutEvents", "[1]"), status: 400,
                  fragment: #"{"__type":"SerializationException","message":"the request body must be a JSON object ({...}), not array"}"#),
        ErrorCase(name: "JSON body not JSON", request: json("AWSEvents.PutEvents", "{\"a\":"), status: 400,
                  fragment: #"{"__type":"SerializationException","message":"the request body is not valid JSON: "#),
        ErrorCase(name: "JSON body not UTF-8", request: HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([("Host", "h"), ("X-Amz-Target", "AWSEvents.PutEvents")]), body: [0x7B, 0xFF, 0x7D]),
                  status: 400, fragment: #"{"__type":"SerializationException","message":"the request body is not valid UTF-8; send JSON text in UTF-8"}"#),
        ErrorCase(name: "unknown target prefix", request: json("DynamoDB_20120810.GetItem", "{}"), status: 400,
                  fragment: #"{"__type":"UnknownOperationException","message":"X-Amz-Target prefix 'DynamoDB_20120810' is not served; known: AWSEvents, AmazonSQS, Firehose_20150804, Kinesis_20131202, Logs_20140328"}"#),
        ErrorCase(name: "target without operation", request: json("AWSEvents", "{}"), status: 400,
                  fragment: #"{"__type":"UnknownOperationException","message":"X-Amz-Target 'AWSEvents' is not PREFIX.Operation"}"#),
        ErrorCase(name: "service not served yet", request: json("AWSEvents.PutEvents", "{}"), status: 400,
                  fragment: #"{"__type":"UnknownOperationException","message":"EventRouter does not serve events PutEvents; it serves EventBridge (events), SQS (sqs), SNS (sns), Kinesis (kinesis), Lambda (lambda), STS GetCallerIdentity and /_eventrouter/ (health, state, shutdown)"}"#),
        ErrorCase(name: "unknown STS action", request: form("Action=AssumeRoot&Version=2011-06-15"), status: 400,
                  fragment: "<Code>InvalidAction</Code><Message>The action AssumeRoot is not valid for this web service (sts).</Message>"),
        ErrorCase(name: "missing Action", request: form("Version=2011-06-15"), status: 400,
                  fragment: "<Code>MissingAction</Code><Message>the request has no Action parameter; send Action=OPERATION&amp;Version=API-VERSION</Message>"),
        ErrorCase(name: "bad form encoding", request: form("Action=Get%ZZ&Version=2011-06-15"), status: 400,
                  fragment: "<Code>MalformedQueryString</Code><Message>invalid form encoding in parameter 'Action' (body offset 0): '%' must be followed by two hex digits ('%ZZ')</Message>"),
        ErrorCase(name: "nothing recognisable", request: HTTPRequest(method: "GET", target: "/nothing", headers: HTTPHeaders([("Host", "h")])), status: 400,
                  fragment: "cannot tell which AWS API GET /nothing is for: no X-Amz-Target header, no form body with Action=, and not a Lambda or /_eventrouter/ path"),
        ErrorCase(name: "CBOR body", request: HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([("Host", "h"), ("X-Amz-Target", "AWSEvents.PutEvents"), ("Content-Type", "application/x-amz-cbor-1.1")])),
                  status: 415, fragment: "CBOR bodies are served for Kinesis only; switch CBOR off in the SDK"),
        ErrorCase(name: "Lambda not served", request: HTTPRequest(method: "GET", target: "/2015-03-31/functions/fn", headers: HTTPHeaders([("Host", "h")])),
                  status: 404, fragment: #"{"Type":"User","Message":"EventRouter does not serve lambda GET /2015-03-31/functions/fn;"#),
        ErrorCase(name: "unknown admin path", request: HTTPRequest(method: "GET", target: "/_eventrouter/nope", headers: HTTPHeaders([("Host", "h")])),
                  status: 404, fragment: #"{"__type":"NotFound","message":"no admin endpoint /_eventrouter/nope; served: GET /_eventrouter/health, GET /_eventrouter/state, GET /_eventrouter/export, GET /_eventrouter/graph, POST /_eventrouter/shutdown"}"#),
    ]

    @Test(arguments: errorCases)
    func answersBadInputWithTheProtocolsError(_ testCase: ErrorCase) async {
        let response = await Self.endpoint().handle(testCase.request)
        #expect(response.status == testCase.status)
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body.contains(testCase.fragment), "\(body)")
    }

    @Test func sqsErrorsOverJSONCarryTheQueryErrorHeader() async {
        var request = Self.json("AmazonSQS.ListQueues", "{}")
        request.headers.set("Content-Type", "application/x-amz-json-1.0")
        let response = await Self.endpoint().handle(request)
        #expect(response.headers["x-amzn-query-error"] == "UnknownOperationException;Sender")
        #expect(response.headers["Content-Type"] == "application/x-amz-json-1.0")
    }

    @Test func healthAnswersReadyAndRefusesOtherMethods() async {
        let health = await Self.endpoint().handle(HTTPRequest(method: "GET", target: "/_eventrouter/health", headers: HTTPHeaders([("Host", "h")])))
        #expect(health.status == 200 && String(decoding: health.body, as: UTF8.self) == #"{"status":"ready"}"#)
        let post = await Self.endpoint().handle(HTTPRequest(method: "POST", target: "/_eventrouter/health", headers: HTTPHeaders([("Host", "h")])))
        #expect(post.status == 405)
        let starting = AWSEndpoint(services: [], authenticator: Authenticator(keys: Self.keys, strict: false, defaultRegion: "us-east-1"),
                                   admin: AdminEndpoint(isReady: { false }))
        #expect(await starting.handle(HTTPRequest(method: "GET", target: "/_eventrouter/health", headers: HTTPHeaders([("Host", "h")]))).status == 503)
    }

    /// A form body is recognised by its `Content-Type` in any case, with or without parameters.
    @Test(arguments: [
        ("application/x-www-form-urlencoded", true), ("application/x-www-form-urlencoded; charset=utf-8", true),
        ("Application/X-WWW-Form-URLEncoded", true), ("application/x-www-form-urlencode", false),
        ("application/json", false), ("", false), ("application/x-www-form-urlencodeD;x", true),
    ] as [(String, Bool)])
    func aFormContentTypeIsRecognisedInAnyCase(_ value: String, _ expected: Bool) {
        #expect(AWSEndpoint.isForm(value) == expected)
        #expect(AWSEndpoint.isForm(value) == value.lowercased().hasPrefix("application/x-www-form-urlencoded"))
    }

    @Test func noContentTypeIsNoForm() {
        #expect(!AWSEndpoint.isForm(nil))
    }
}
