import Testing
@testable import EventRouterHTTP

/// The bytes of an answer (``HTTPResponse/serialized(keepAlive:headRequest:)``): status line,
/// fields but the server's own, `Content-Length` in decimal, `Connection: close`, body.
@Suite struct HTTPResponseSerializationTests {
    @Test(arguments: [(200, 0), (200, 9), (404, 10), (413, 12_345), (599, 1_000_000), (201, 99)])
    func statusAndLengthAreWrittenInDecimal(_ status: Int, _ length: Int) {
        var headers = HTTPHeaders([("x-amzn-RequestId", "r"), ("Content-Length", "7"), ("connection", "keep-alive"), ("Content-Type", "text/xml")])
        headers.add("X-Empty", "")
        let response = HTTPResponse(status: status, headers: headers, body: [UInt8](repeating: 0x61, count: length))
        let text = String(decoding: response.serialized(keepAlive: false), as: UTF8.self)
        let expected = "HTTP/1.1 \(status) \(HTTPResponse.reason(for: status))\r\nx-amzn-RequestId: r\r\nContent-Type: text/xml\r\nX-Empty: \r\n"
            + "Content-Length: \(length)\r\nConnection: close\r\n\r\n" + String(repeating: "a", count: length)
        #expect(text == expected)
    }

    @Test func bodylessStatusesAndHeadRequestsCarryNoBody() {
        let noContent = HTTPResponse(status: 204, contentType: "text/plain", text: "ignored")
        #expect(String(decoding: noContent.serialized(keepAlive: true), as: UTF8.self) == "HTTP/1.1 204 No Content\r\nContent-Type: text/plain\r\n\r\n")
        let head = HTTPResponse(status: 200, contentType: "text/plain", text: "hello")
        #expect(String(decoding: head.serialized(keepAlive: true, headRequest: true), as: UTF8.self)
            == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n")
    }
}
