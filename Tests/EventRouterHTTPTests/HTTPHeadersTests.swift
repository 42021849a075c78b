import Testing
@testable import EventRouterHTTP

/// Field lookup (ASCII case-insensitive, first of repeated fields, every value in order) and the
/// whitespace rules of field values, as the parser and the handlers rely on them.
@Suite struct HTTPHeadersTests {
    static let headers = HTTPHeaders([("Host", "h"), ("X-Amz-Target", "AWSEvents.PutEvents"), ("X-Repeat", "1"), ("x-repeat", "2"),
                                      ("Connection", "Keep-Alive, Upgrade"), ("X-A@", "at"), ("X-[", "bracket")])

    @Test(arguments: [("X-Amz-Target", "AWSEvents.PutEvents"), ("x-amz-target", "AWSEvents.PutEvents"), ("X-AMZ-TARGET", "AWSEvents.PutEvents"),
                      ("host", "h"), ("X-Repeat", "1"), ("X-REPEAT", "1"), ("X-A@", "at"), ("x-a@", "at"), ("X-A`", nil), ("X-{", nil),
                      ("X-[", "bracket"), ("Hos", nil), ("Hostt", nil), ("", nil), ("X-Amz-Targe\u{E9}", nil)] as [(String, String?)])
    func looksUpNamesIgnoringOnlyTheCaseOfASCIILetters(_ name: String, _ expected: String?) {
        #expect(Self.headers[name] == expected)
    }

    @Test func listsRepeatedFieldsInOrderAndFindsTokens() {
        #expect(Self.headers.values("X-REPEAT") == ["1", "2"])
        #expect(Self.headers.values("Missing").isEmpty)
        #expect(Self.headers.contains("connection", token: "keep-alive"))
        #expect(Self.headers.contains("Connection", token: "UPGRADE"))
        #expect(!Self.headers.contains("Connection", token: "close"))
        #expect(!Self.headers.contains("Missing", token: "close"))
        var edited = Self.headers
        edited.set("X-REPEAT", "3")
        #expect(edited.values("x-repeat") == ["3"])
        #expect(edited.fields.last == HTTPHeaders.Field(name: "X-REPEAT", value: "3"))
        edited.remove("HOST")
        #expect(edited["Host"] == nil && edited.fields.count == Self.headers.fields.count - 2)
    }

    @Test func parsedFieldsKeepTheirSpellingOrderAndInnerSpacesWithoutOuterOnes() throws {
        let text = "GET / HTTP/1.1\r\nhost:h\r\nX-Value: \t a  b \t \r\nEmpty:\r\nSpaces:   \r\nX-Value: second\r\nUTF8: caf\u{E9}\r\n\r\n"
        for oneByteAtATime in [false, true] {
            let request = try #require(parseAll(text, oneByteAtATime: oneByteAtATime).first?.request)
            #expect(request.headers.fields.map(\.name) == ["host", "X-Value", "Empty", "Spaces", "X-Value", "UTF8"])
            #expect(request.headers.fields.map(\.value) == ["h", "a  b", "", "", "second", "caf\u{E9}"])
            #expect(request.headers["HOST"] == "h" && request.headers.values("x-value") == ["a  b", "second"])
        }
    }

    @Test(arguments: [("/a?b?c", "/a", "b?c"), ("/", "/", ""), ("/?", "/", ""), ("/p%3Fq?r=%3F", "/p%3Fq", "r=%3F"),
                      ("/caf\u{E9}?x=\u{E9}", "/caf\u{E9}", "x=\u{E9}"), ("/\u{E9}?\u{301}x?y", "/\u{E9}?\u{301}x", "y"), ("/a?\u{301}?b", "/a?\u{301}", "b"),
                      ("HTTPS://h/p?q", "/p", "q"), ("http://h", "/", ""), ("*", "*", ""), ("", "", "")])
    /// A non-ASCII target splits at the first `?` that is a `Character` of its own (as before the
    /// byte path for ASCII targets): a `?` with a combining mark after it is not one.
    func splitsTheTargetIntoPathAndQuery(_ target: String, _ path: String, _ query: String) {
        let request = HTTPRequest(method: "GET", target: target)
        #expect(request.path == path && request.query == query)
    }

    @Test func splitsAParsedTargetTheSameWay() throws {
        let request = try #require(parseAll("GET http://h:1/p?q=%2F HTTP/1.1\r\nHost: h\r\n\r\n").first?.request)
        #expect(request.path == "/p" && request.query == "q=%2F")
    }
}
