import EventRouter
import Testing
@testable import EventRouterHTTP

/// The one-pass head scan against the line-by-line parse it stands in for: wherever the scan
/// takes a head, the two give the same method, target, version and fields.
@Suite struct HTTPHeadScanTests {
    static let seeds = [
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:4566\r\nAccept-Encoding: identity\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
            + "User-Agent: Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux#6.1\r\nX-Amz-Date: 20261204T233000Z\r\n"
            + "amz-sdk-invocation-id: 5a1b2c3d-0000-4000-8000-000000000000\r\namz-sdk-request: attempt=1\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20261204/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=00ff\r\n"
            + "Content-Length: 417\r\n\r\n",
        "GET /a%20b/c?x=%2F&y HTTP/1.0\nUser-Agent: x\nX-Tabs:\t v \t\nEmpty:\nX-Repeat: 1\nx-repeat: 2\n\n",
        "PUT /k?q=é HTTP/1.1\r\nHost: h\r\nX-Utf8: caf\u{E9} \u{1F600}\r\nX-Bad-Utf8: \u{FF}\r\n\r\n",
        "GET http://h:1/p?q HTTP/1.1\r\nHost: h\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
    ]
    static let dictionary = ["\r\n", "\n", "\r", ":", " ", "\t", "%", "%4", "%zz", "\u{7F}", "\u{00}", "HTTP/1.0", "HTTP/2.0", "/", "*", "X: y\r\n", "\u{80}"]
    static let limits = HTTPParserLimits(maximumHeaderCount: 12)

    @Test func scanAgreesWithTheLineParseWhereverItTakesAHead() {
        var random = SeededGenerator(seed: 0x5ca1_ab1e)
        var taken = 0, left = 0
        for round in 0..<6000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<Int(random.next() % 4) { mutate(&bytes, &random) }
            guard let head = Self.head(of: bytes) else { continue }
            let scanned = head.withUnsafeBufferPointer { HTTPRequestHead.scan($0, maximumFieldCount: Self.limits.maximumHeaderCount) }
            guard let scanned else {
                left += 1
                continue
            }
            taken += 1
            let parsed = head.withUnsafeBufferPointer { p in Result { () throws(HTTPParseError) in try HTTPRequestHead.parseLines(p, limits: Self.limits) } }
            guard case .success(let lines) = parsed else {
                Issue.record("the scan took a head the line parse refuses: \(HTTPRequestHead.printable(head)) (\(parsed))")
                continue
            }
            #expect(scanned.method == lines.method && scanned.target == lines.target && scanned.minorVersion == lines.minorVersion,
                    "\(HTTPRequestHead.printable(head))")
            #expect(scanned.headers == lines.headers, "\(HTTPRequestHead.printable(head))")
        }
        #expect(taken > 1000 && left > 1000, "taken \(taken), left \(left): the mutations must exercise both")
    }

    @Test func leavesEveryUnusualFormToTheLineParse() throws {
        for text in [Self.seeds[3], Self.seeds[4], "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
                     "GET / HTTP/1.1\r\n" + String(repeating: "X: y\r\n", count: 13) + "\r\n"] {
            let head = try #require(Self.head(of: Array(text.utf8)))
            #expect(head.withUnsafeBufferPointer { HTTPRequestHead.scan($0, maximumFieldCount: 12) } == nil, "\(text.debugDescription)")
        }
        let twelve = try #require(Self.head(of: Array(("GET / HTTP/1.1\r\n" + String(repeating: "X: y\r\n", count: 12) + "\r\n").utf8)))
        #expect(twelve.withUnsafeBufferPointer { HTTPRequestHead.scan($0, maximumFieldCount: 12) }?.headers.fields.count == 12)
    }

    @Test func countsTheFieldsBeforeReadingThem() {
        let limits = HTTPParserLimits(maximumHeaderCount: 2)
        #expect(parseAll("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\n\r\n", limits: limits).first?.request != nil)
        let over = parseAll("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nno colon\r\n\r\n", limits: limits).first?.failure
        #expect(over?.status == 431)
        #expect(over?.message == "the request has 3 header fields; at most 2 are allowed")
    }

    @Test func knowsTheNamesClientsSendSpelledExactly() {
        func known(_ name: String) -> String? { Array(name.utf8).withUnsafeBufferPointer { HTTPFieldNames.known($0.baseAddress!, count: $0.count) } }
        #expect(HTTPFieldNames.all.count > 20)
        for name in HTTPFieldNames.all {
            #expect(known(name) == name)
            #expect(known(name + "x") == nil && known(String(name.dropLast())) == nil)
        }
        for other in ["HOST", "Content-type", "Hosx", "X-Amz-Targex", "amz-sdk-invocation-ix", "X"] { #expect(known(other) == nil, "\(other)") }
    }

    @Test func tokenMaskIsTheTcharSet() {
        let separators = Set("!#$%&'*+-.^_`|~".utf8)
        for c in UInt8.min...UInt8.max {
            let tchar = (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || separators.contains(c)
            #expect(HTTPRequestHead.isTokenByte(c) == tchar, "byte \(c)")
        }
    }

    @Test(arguments: [("417", 417), ("0", 0), (" 12\t", 12), ("007", 7), ("999999999999999999", 999_999_999_999_999_999),
                      ("", nil), ("  ", nil), ("1 2", nil), ("+5", nil), ("-1", nil), ("1,1", nil), ("12abc", nil),
                      ("9999999999999999999", nil)] as [(String, Int?)])
    func plainDecimalTakesOnlyOneToEighteenDigits(_ text: String, _ expected: Int?) {
        #expect(HTTPRequestHead.plainDecimal(text) == expected)
    }

    /// The bytes up to and with the empty line, found as ``HTTPRequestParser`` finds it.
    static func head(of bytes: [UInt8]) -> [UInt8]? {
        var start = 0
        while start < bytes.count, bytes[start] == 0x0D || bytes[start] == 0x0A { start += 1 }
        for i in bytes.indices where i > start && bytes[i] == 0x0A {
            if bytes[i - 1] == 0x0A || (i > start + 1 && bytes[i - 1] == 0x0D && bytes[i - 2] == 0x0A) { return Array(bytes[start...i]) }
        }
        return nil
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        guard !bytes.isEmpty else { return }
        let position = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 4 {
        case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
        case 1: bytes.remove(at: position)
        case 2: bytes.insert(contentsOf: Array(Self.dictionary[Int(random.next() % UInt64(Self.dictionary.count))].utf8), at: position)
        default: bytes.removeSubrange(position..<min(bytes.count, position + Int(random.next() % 8)))
        }
    }
}
