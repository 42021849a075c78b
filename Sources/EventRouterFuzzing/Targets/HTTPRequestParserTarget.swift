import EventRouter
import EventRouterHTTP

/// The HTTP/1.1 request parser of `eventrouter run`: any bytes end in requests, a need for more
/// data, or a failure with a 4xx/5xx status and a message; and the same bytes give the same
/// requests and the same failure whether they arrive at once or in pieces (split points taken
/// from the input itself, so the check is deterministic).
struct HTTPRequestParserTarget: FuzzTarget {
    let name = "http"
    let summary = "HTTPRequestParser: never traps; requests or a 4xx/5xx with a message; the same events whole or in pieces"
    let maximumInputSize = 4096

    static let limits = HTTPParserLimits(maximumHeaderBytes: 1024, maximumBodyBytes: 2048)
    static let statuses: Set<Int> = [400, 408, 413, 417, 431, 501, 505]

    var seeds: [[UInt8]] {
        [
            "GET /_eventrouter/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 14\r\n\r\n{\"Entries\":[]}",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\nT: v\r\n\r\n",
            "PUT /a%20b?c=d HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nxyGET / HTTP/1.0\n\n",
            "POST /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho/invocations HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}",
        ].map(\.bytes)
    }

    var dictionary: [[UInt8]] {
        ["\r\n", "\n", ": ", "%", "%zz", "0\r\n\r\n", "Content-Length: ", "Transfer-Encoding: chunked\r\n",
         "Expect: 100-continue\r\n", "ffffffffffffffffff", "99999999999999999999", "HTTP/1.1", "\t", "Connection: close\r\n"].map(\.bytes)
    }

    func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
        let whole = try Self.events(input, pieces: [input.count])
        // Pieces of 1…16 bytes, their sizes read from the input so that a failure reproduces.
        var sizes: [Int] = []
        var covered = 0
        var i = 0
        while covered < input.count {
            let size = 1 + Int(input[i % input.count] % 16)
            sizes.append(size)
            covered += size
            i += 1
        }
        let split = try Self.events(input, pieces: sizes)
        try require(whole == split, "whole input gives \(whole), in pieces \(split)")
        return whole.contains(where: { $0.hasPrefix("request") }) ? .accepted : .rejected
    }

    /// The parser's events for `input` fed in pieces of the given sizes, as comparable text.
    static func events(_ input: [UInt8], pieces: [Int]) throws(FuzzFailure) -> [String] {
        var parser = HTTPRequestParser(limits: limits)
        var out: [String] = []
        var offset = 0
        for size in pieces where offset < input.count {
            parser.append(input[offset..<min(offset + size, input.count)])
            offset += size
            while true {
                switch parser.next() {
                case .needMoreData:
                    break
                case .continueExpected:
                    continue
                case .request(let request):
                    out.append("request \(request.method) \(request.target) 1.\(request.minorVersion) body \(request.body.count):\(request.body.reduce(0) { ($0 &* 31) &+ Int($1) })")
                    continue
                case .failure(let error):
                    try require(statuses.contains(error.status) && !error.message.isEmpty, "failure \(error) has no 4xx/5xx status or no message")
                    out.append("failure \(error.status) \(error.code)")
                    return out
                }
                break
            }
        }
        if let error = parser.endOfInput() {
            try require(statuses.contains(error.status) && !error.message.isEmpty, "end of input: \(error)")
            out.append("truncated \(error.status)")
        }
        return out
    }
}
