import EventRouter
import Testing
@testable import EventRouterHTTP

/// Seeded mutations of valid requests: the parser never traps, and every input ends in requests,
/// a need for more data, or an error answered with a 4xx/5xx status.
@Suite struct HTTPParserFuzzTests {
    static let seeds = [
        "GET /_eventrouter/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 13\r\n\r\n{\"Entries\":[]}",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\nT: v\r\n\r\n",
        "PUT /a%20b?c=d HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nxyGET / HTTP/1.0\n\n",
    ]
    static let allowedStatuses: Set<Int> = [400, 408, 413, 417, 431, 501, 505]
    static let dictionary = ["\r\n", "\n", ":", " ", "%", "%zz", "0\r\n\r\n", "Content-Length: ", "Transfer-Encoding: chunked\r\n",
                             "Expect: 100-continue\r\n", "ffffffffffffffffff", "99999999999999999999", "\u{00}", "HTTP/1.1", "\t"]

    @Test func survivesThousandsOfMutatedRequests() {
        var random = SeededGenerator(seed: 0x5eed_4177)
        let limits = HTTPParserLimits(maximumHeaderBytes: 512, maximumBodyBytes: 1024)
        var outcomes = [0, 0, 0]  // requests, failures, incomplete
        for _ in 0..<4000 {
            var bytes = Array(Self.seeds[Int(random.next() % UInt64(Self.seeds.count))].utf8)
            for _ in 0..<(1 + Int(random.next() % 6)) { mutate(&bytes, &random) }
            var parser = HTTPRequestParser(limits: limits)
            var offset = 0
            var failed = false
            var requests = 0
            while offset < bytes.count && !failed {
                let step = 1 + Int(random.next() % 64)
                parser.append(bytes[offset..<min(offset + step, bytes.count)])
                offset += step
                drain: while true {
                    switch parser.next() {
                    case .needMoreData: break drain
                    case .continueExpected: continue
                    case .request: requests += 1
                    case .failure(let error):
                        #expect(Self.allowedStatuses.contains(error.status), "status \(error.status) for \(HTTPRequestHead.printable(bytes))")
                        #expect(!error.message.isEmpty)
                        failed = true
                        break drain
                    }
                }
            }
            if !failed, let error = parser.endOfInput() {
                #expect(error.status == 400)
                failed = true
            }
            outcomes[failed ? 1 : (requests > 0 ? 0 : 2)] += 1
        }
        #expect(outcomes[0] > 100 && outcomes[1] > 100, "outcomes \(outcomes): the mutations must exercise both paths")
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
        switch random.next() % 6 {
        case 0: if !bytes.isEmpty { bytes[position] = UInt8(truncatingIfNeeded: random.next()) }
        case 1: if !bytes.isEmpty { bytes.remove(at: position) }
        case 2: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        case 3: bytes.insert(contentsOf: Array(Self.dictionary[Int(random.next() % UInt64(Self.dictionary.count))].utf8), at: position)
        case 4: bytes.removeSubrange(position..<min(bytes.count, position + Int(random.next() % 16)))
        default:
            let length = min(bytes.count - position, Int(random.next() % 32))
            bytes.insert(contentsOf: bytes[position..<(position + length)], at: position)
        }
    }
}
