import Testing
@testable import EventRouterHTTP

/// Every class of malformed request, with the status and the message it is answered with.
@Suite struct HTTPMalformedRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: String
        var status: Int
        var message: String
        var testDescription: String { name }
    }

    static let limits = HTTPParserLimits(maximumHeaderBytes: 256, maximumBodyBytes: 64)

    static let cases: [Case] = [
        Case(name: "bad request line", input: "GARBAGE\r\n\r\n", status: 400,
             message: "malformed request line 'GARBAGE': expected METHOD TARGET HTTP/1.1, separated by single spaces"),
        Case(name: "double space in request line", input: "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", status: 400,
             message: "malformed request line 'GET  / HTTP/1.1': expected METHOD TARGET HTTP/1.1, separated by single spaces"),
        Case(name: "target without slash", input: "GET x HTTP/1.1\r\nHost: h\r\n\r\n", status: 400,
             message: "the request target 'x' must start with '/'"),
        Case(name: "not HTTP", input: "GET / FTP/1.1\r\nHost: h\r\n\r\n", status: 400,
             message: "malformed request line 'GET / FTP/1.1': 'FTP/1.1' is not an HTTP version (expected HTTP/1.1)"),
        Case(name: "HTTP/2.0", input: "GET / HTTP/2.0\r\nHost: h\r\n\r\n", status: 505,
             message: "HTTP/2.0 is not supported; send HTTP/1.1 or HTTP/1.0"),
        Case(name: "header without colon", input: "GET / HTTP/1.1\r\nHost: h\r\nNoColonHere\r\n\r\n", status: 400,
             message: "header line 2 ('NoColonHere') has no colon; write it as Name: value"),
        Case(name: "space before colon", input: "GET / HTTP/1.1\r\nHost : h\r\n\r\n", status: 400,
             message: "header line 1 has an invalid field name 'Host ' (no spaces or separators before the colon)"),
        Case(name: "obsolete line folding", input: "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", status: 400,
             message: "header line 2 starts with whitespace (obsolete line folding is not accepted); put each field on one line"),
        Case(name: "missing Host", input: "GET / HTTP/1.1\r\n\r\n", status: 400, message: "an HTTP/1.1 request needs a Host header field"),
        Case(name: "oversize headers", input: "GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "a", count: 300) + "\r\n\r\n", status: 431,
             message: "the request line and header fields are over the limit of 256 bytes"),
        Case(name: "oversize body", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 65\r\n\r\n", status: 413,
             message: "the request body of 65 bytes is over the limit of 64 bytes"),
        Case(name: "oversize chunked body", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", status: 413,
             message: "a chunk of size 0x41 is over the body limit of 64 bytes"),
        Case(name: "Content-Length not a number", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12abc\r\n\r\n", status: 400,
             message: "Content-Length '12abc' is not a whole number of bytes"),
        Case(name: "Content-Length negative", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", status: 400,
             message: "Content-Length '-1' is not a whole number of bytes"),
        Case(name: "Content-Length huge", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", status: 400,
             message: "Content-Length '99999999999999999999999' is not a whole number of bytes"),
        Case(name: "conflicting Content-Length", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", status: 400,
             message: "the request has conflicting Content-Length values (1, 2)"),
        Case(name: "both framings", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400,
             message: "the request has both Content-Length and Transfer-Encoding; send only one of them"),
        Case(name: "unknown transfer coding", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501,
             message: "Transfer-Encoding 'gzip' is not supported; send the body with Content-Length or Transfer-Encoding: chunked"),
        Case(name: "bad chunk size", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", status: 400,
             message: "invalid chunk size 'zz': not a hexadecimal number"),
        Case(name: "chunk longer than its size", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", status: 400,
             message: "chunk data is not followed by CRLF (the chunk is longer than its size says)"),
        Case(name: "invalid percent-encoding", input: "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", status: 400,
             message: "invalid percent-encoding '%zz' at offset 2 of the request target: '%' must be followed by two hex digits"),
        Case(name: "truncated percent-encoding", input: "GET /a?b=%4 HTTP/1.1\r\nHost: h\r\n\r\n", status: 400,
             message: "invalid percent-encoding '%4' at offset 5 of the request target: '%' must be followed by two hex digits"),
        Case(name: "unsupported expectation", input: "POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\n", status: 417,
             message: "Expect '200-ok' is not supported; only Expect: 100-continue is"),
        Case(name: "control byte in a header value", input: "GET / HTTP/1.1\r\nHost: h\u{01}x\r\n\r\n", status: 400,
             message: "header field 'Host' has a control character (byte 1) in its value"),
    ]

    @Test(arguments: cases)
    func answersEachClassWithItsStatusAndMessage(_ testCase: Case) throws {
        let failure = try #require(parseAll(testCase.input, limits: Self.limits).last?.failure)
        #expect(failure.status == testCase.status)
        #expect(failure.message == testCase.message)
    }

    @Test func rendersParseErrorsInTheRequestsProtocol() {
        let error = HTTPParseError(status: 413, code: "RequestEntityTooLarge", message: "too big")
        let json = AWSResponseWriter.parseError(error, nil)
        #expect(json.status == 413)
        #expect(String(decoding: json.body, as: UTF8.self) == #"{"__type":"RequestEntityTooLarge","message":"too big"}"#)
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1\r\n\r\n".utf8))
        _ = parser.next()
        let xml = String(decoding: AWSResponseWriter.parseError(error, parser.currentHead).body, as: UTF8.self)
        #expect(xml.contains("<ErrorResponse><Error><Type>Sender</Type><Code>RequestEntityTooLarge</Code><Message>too big</Message></Error>"))
    }
}
