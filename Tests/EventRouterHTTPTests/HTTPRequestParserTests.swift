import Testing
@testable import EventRouterHTTP

/// Feeds `text` to a fresh parser and collects every event until it needs more data.
func parseAll(_ text: String, limits: HTTPParserLimits = HTTPParserLimits(), oneByteAtATime: Bool = false) -> [HTTPRequestParser.Event] {
    var parser = HTTPRequestParser(limits: limits)
    var events: [HTTPRequestParser.Event] = []
    let bytes = Array(text.utf8)
    let pieces: [ArraySlice<UInt8>] = oneByteAtATime ? bytes.indices.map { bytes[$0...$0] } : [bytes[...]]
    for piece in pieces {
        parser.append(piece)
        loop: while true {
            let event = parser.next()
            switch event {
            case .needMoreData: break loop
            case .failure:
                events.append(event)
                return events
            default: events.append(event)
            }
        }
    }
    return events
}

extension HTTPRequestParser.Event {
    var request: HTTPRequest? { if case .request(let r) = self { r } else { nil } }
    var failure: HTTPParseError? { if case .failure(let f) = self { f } else { nil } }
    var isContinue: Bool { if case .continueExpected = self { true } else { false } }
}

@Suite struct HTTPRequestParserTests {
    @Test(arguments: [false, true])
    func readsAPostWithContentLengthInOnePieceOrByteByByte(oneByteAtATime: Bool) throws {
        let events = parseAll("POST /a/b%20c?x=1&y=%2F HTTP/1.1\r\nHost: h\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Length: 5\r\n\r\nhello",
                              oneByteAtATime: oneByteAtATime)
        #expect(events.count == 1)
        let request = try #require(events.first?.request)
        #expect(request.method == "POST")
        #expect(request.path == "/a/b%20c")
        #expect(request.query == "x=1&y=%2F")
        #expect(request.headers["x-amz-target"] == "AWSEvents.PutEvents")
        #expect(String(decoding: request.body, as: UTF8.self) == "hello")
        #expect(request.keepAlive)
    }

    @Test func answersPipelinedRequestsInOrder() {
        let text = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nabGET /3 HTTP/1.1\r\nHost: h\r\n\r\n"
        let paths = parseAll(text).compactMap { $0.request?.path }
        #expect(paths == ["/1", "/2", "/3"])
    }

    @Test(arguments: [false, true])
    func decodesChunkedBodiesWithExtensionsAndTrailers(oneByteAtATime: Bool) throws {
        let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nTrailer: x\r\n\r\n"
        let request = try #require(parseAll(text, oneByteAtATime: oneByteAtATime).first?.request)
        #expect(String(decoding: request.body, as: UTF8.self) == "hello, world!!!")
    }

    @Test func asksForContinueBeforeTheBodyArrives() {
        var parser = HTTPRequestParser()
        parser.append(Array("PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        #expect(parser.next().isContinue)
        #expect(parser.isMidRequest)
        parser.append(Array("abc".utf8))
        #expect(parser.next().request.map { String(decoding: $0.body, as: UTF8.self) } == "abc")
        #expect(!parser.isMidRequest)
    }

    @Test func doesNotAskForContinueWhenTheBodyCameAlong() {
        let events = parseAll("PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc")
        #expect(events.count == 1 && events[0].request != nil)
    }

    @Test func readsHTTP10AndBareLineFeeds() throws {
        let request = try #require(parseAll("GET /old HTTP/1.0\nUser-Agent: x\n\n").first?.request)
        #expect(request.minorVersion == 0)
        #expect(!request.keepAlive)
        let kept = try #require(parseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").first?.request)
        #expect(kept.keepAlive)
        let closing = try #require(parseAll("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").first?.request)
        #expect(!closing.keepAlive)
    }

    @Test func takesThePathOfAnAbsoluteFormTarget() throws {
        let request = try #require(parseAll("GET http://localhost:4566/_eventrouter/health?a=b HTTP/1.1\r\nHost: h\r\n\r\n").first?.request)
        #expect(request.path == "/_eventrouter/health")
        #expect(request.query == "a=b")
    }

    @Test func reportsARequestCutShortAtEndOfInput() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc".utf8))
        _ = parser.next()
        #expect(parser.endOfInput()?.message == "the connection ended after 3 of the 10 body bytes that Content-Length announced")
        var chunked = HTTPRequestParser()
        chunked.append(Array("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel".utf8))
        _ = chunked.next()
        #expect(chunked.endOfInput()?.message == "the connection ended inside a chunked body, before its last (zero-size) chunk")
        var idle = HTTPRequestParser()
        idle.append(Array("\r\n".utf8))
        #expect(idle.endOfInput() == nil)
    }

    @Test func acceptsHeadersExactlyAtTheLimitAndRefusesOneByteMore() {
        let limits = HTTPParserLimits(maximumHeaderBytes: 100)
        let base = "GET / HTTP/1.1\r\nHost: h\r\nX: "
        let fill = String(repeating: "a", count: 100 - base.utf8.count - 4)
        #expect(parseAll(base + fill + "\r\n\r\n", limits: limits).first?.request != nil)
        #expect(parseAll(base + fill + "a\r\n\r\n", limits: limits).first?.failure?.status == 431)
    }
}
