import Testing
@testable import EventRouterHTTP

/// AWS's SigV4 test suite (aws-sig-v4-test-suite, as kept in awslabs/aws-c-auth
/// `tests/aws-signing-test-suite/v4/*/header-signed-request.txt`): credentials AKIDEXAMPLE /
/// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2015-08-30T12:36:00Z, us-east-1, service `service`.
@Suite struct SigV4Tests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var target: String
        var headers: [(String, String)] = []
        var body = ""
        var signedHeaders = "host;x-amz-date"
        var signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "get-vanilla", target: "/", signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(name: "get-vanilla-query-order-key-case", target: "/?Param2=value2&Param1=value1",
               signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(name: "get-vanilla-query-order-value", target: "/?Param1=value2&Param1=value1",
               signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
        Vector(name: "get-vanilla-empty-query-key", target: "/?Param1=value1",
               signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        Vector(name: "get-vanilla-utf8-query", target: "/?\u{1234}=bar",
               signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        Vector(name: "get-vanilla-query-order-encoded", target: "/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1",
               signature: "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"),
        Vector(name: "get-unreserved", target: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
               signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        Vector(name: "get-utf8", target: "/\u{1234}", signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        Vector(name: "get-space-normalized", target: "/example space/",
               signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        Vector(name: "get-slashes-normalized", target: "//example//",
               signature: "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
        Vector(name: "get-relative-relative-normalized", target: "/example1/example2/../..",
               signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(name: "get-header-key-duplicate", target: "/", headers: [("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")],
               signedHeaders: "host;my-header1;x-amz-date", signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        Vector(name: "get-header-value-order", target: "/",
               headers: [("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"), ("My-Header1", "value2")],
               signedHeaders: "host;my-header1;x-amz-date", signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        Vector(name: "get-header-value-trim", target: "/", headers: [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")],
               signedHeaders: "host;my-header1;my-header2;x-amz-date", signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        Vector(name: "get-vanilla-with-session-token", target: "/",
               headers: [("X-Amz-Security-Token", "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")],
               signedHeaders: "host;x-amz-date;x-amz-security-token", signature: "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"),
        Vector(name: "post-vanilla-query", method: "POST", target: "/?Param1=value1",
               signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        Vector(name: "post-x-www-form-urlencoded", method: "POST", target: "/", headers: [("Content-Type", "application/x-www-form-urlencoded")],
               body: "Param1=value1", signedHeaders: "content-type;host;x-amz-date",
               signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        Vector(name: "post-x-www-form-urlencoded (content-sha256)", method: "POST", target: "/",
               headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", "13"),
                         ("x-amz-content-sha256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")],
               body: "Param1=value1", signedHeaders: "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
               signature: "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"),
    ]

    static func request(_ v: Vector) -> HTTPRequest {
        var headers = HTTPHeaders([("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")])
        for (name, value) in v.headers { headers.add(name, value) }
        headers.add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=\(v.signedHeaders), Signature=\(v.signature)")
        return HTTPRequest(method: v.method, target: v.target, headers: headers, body: Array(v.body.utf8))
    }

    @Test(arguments: vectors)
    func computesAndVerifiesTheSuitesSignature(_ vector: Vector) throws {
        let request = Self.request(vector)
        let credential = try #require(try SigV4Credential.of(request))
        #expect(credential.accessKeyId == "AKIDEXAMPLE" && credential.region == "us-east-1" && credential.service == "service")
        #expect(SigV4Signer.signature(request, credential: credential, secret: Self.secret) == vector.signature)
        #expect(throws: Never.self) { try SigV4Signer.verify(request, credential: credential, secret: Self.secret) }
        #expect(throws: SigV4Error.self) { try SigV4Signer.verify(request, credential: credential, secret: Self.secret + "x") }
    }

    @Test func verifiesAPresignedRequest() throws {
        let request = HTTPRequest(method: "GET", target: "/?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5",
                                  headers: HTTPHeaders([("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")]))
        let credential = try #require(try SigV4Credential.of(request))
        #expect(credential.presigned && credential.signedHeaders == ["host"])
        #expect(SigV4Signer.signature(request, credential: credential, secret: Self.secret) == credential.signature)
    }

    @Test func encodesCanonicalPathsTwiceAsNonS3ServicesDo() {
        #expect(SigV4Signer.canonicalURI("/2015-03-31/functions/arn%3Aaws%3Alambda/invocations") == "/2015-03-31/functions/arn%253Aaws%253Alambda/invocations")
        #expect(SigV4Signer.canonicalURI("") == "/")
        #expect(SigV4Signer.canonicalURI("/a/./b/../c/") == "/a/c/")
    }

    @Test func readsTheCredentialScopeAndRejectsMalformedOnes() throws {
        let parsed = try SigV4Credential.parse(header: "AWS4-HMAC-SHA256 Credential=AKIA1/20240102/eu-west-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab")
        #expect(parsed.scope == "20240102/eu-west-1/sqs/aws4_request")
        #expect(parsed.signedHeaders == ["host", "x-amz-date"])
        #expect(throws: SigV4Error.malformed("the credential 'AKIA1/20240102/sqs' is not ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request")) {
            try SigV4Credential.parse(header: "AWS4-HMAC-SHA256 Credential=AKIA1/20240102/sqs, SignedHeaders=host, Signature=ab")
        }
        #expect(throws: SigV4Error.malformed("the Authorization header has no Credential=AKID/DATE/REGION/SERVICE/aws4_request")) {
            try SigV4Credential.parse(header: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab")
        }
        #expect(throws: SigV4Error.malformed("the Authorization header 'AWS4-HMAC-SHA256' is not 'AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…'")) {
            try SigV4Credential.parse(header: "AWS4-HMAC-SHA256")
        }
    }

    /// One `Authorization` header and what it must give.
    struct HeaderCase: Sendable {
        let header: String
        let algorithm: String, key: String, region: String, service: String
        let signed: [String]
        let signature: String
    }

    static let headerCases: [HeaderCase] = [
        HeaderCase(header: "AWS4-HMAC-SHA256 Credential=K/20240102/eu-west-1/sns/aws4_request,SignedHeaders=Host;X-Amz-Date,Signature=ab12",
                   algorithm: "AWS4-HMAC-SHA256", key: "K", region: "eu-west-1", service: "sns", signed: ["host", "x-amz-date"], signature: "ab12"),
        HeaderCase(header: "AWS4-HMAC-SHA256  Signature=cd , \tSignedHeaders=host ,Credential=K2/20240102/us-east-1/sqs/aws4_request\t",
                   algorithm: "AWS4-HMAC-SHA256", key: "K2", region: "us-east-1", service: "sqs", signed: ["host"], signature: "cd"),
        HeaderCase(header: "AWS4-HMAC-SHA256 Credential=OLD/20240102/us-east-1/sqs/aws4_request, stray, Credential=NEW/20240102/us-west-2/events/aws4_request, Other=x",
                   algorithm: "AWS4-HMAC-SHA256", key: "NEW", region: "us-west-2", service: "events", signed: [], signature: ""),
        HeaderCase(header: "AWS4-ECDSA-P256-SHA256 Credential=K3/20240102/lambda/aws4_request, SignedHeaders=host;;x-amz-region-set, Signature=ef",
                   algorithm: "AWS4-ECDSA-P256-SHA256", key: "K3", region: "", service: "lambda", signed: ["host", "x-amz-region-set"], signature: "ef"),
    ]

    /// The header is read as bytes: spacing, item order, stray items and repeated names as before.
    @Test(arguments: headerCases)
    func readsTheAuthorizationHeaderItemsWhateverTheirSpacingAndOrder(_ c: HeaderCase) throws {
        let parsed = try SigV4Credential.parse(header: c.header)
        #expect(parsed.algorithm == c.algorithm)
        #expect(parsed.accessKeyId == c.key)
        #expect(parsed.region == c.region)
        #expect(parsed.service == c.service)
        #expect(parsed.signedHeaders == c.signed)
        #expect(parsed.signature == c.signature)
    }

    /// Without signature fields (authentication not strict) the scope is read the same and the
    /// signature's fields are left empty.
    @Test(arguments: headerCases)
    func readsTheScopeAloneWithoutSignatureFields(_ c: HeaderCase) throws {
        let parsed = try SigV4Credential.parse(header: c.header, signatureFields: false)
        var expected = try SigV4Credential.parse(header: c.header)
        expected.signedHeaders = []
        expected.signature = ""
        #expect(parsed == expected)
        #expect(parsed.accessKeyId == c.key)
    }

    /// A malformed header is refused with the same message either way.
    @Test func refusesMalformedHeadersWithoutSignatureFieldsToo() {
        #expect(throws: SigV4Error.malformed("the Authorization header has no Credential=AKID/DATE/REGION/SERVICE/aws4_request")) {
            try SigV4Credential.parse(header: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab", signatureFields: false)
        }
        #expect(throws: SigV4Error.malformed("the credential 'AKIA1/20240102/sqs' is not ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request")) {
            try SigV4Credential.parse(header: "AWS4-HMAC-SHA256 Credential=AKIA1/20240102/sqs, Signature=ab", signatureFields: false)
        }
    }
}
