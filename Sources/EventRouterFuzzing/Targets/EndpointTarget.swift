import EventRouter
import EventRouterHTTP

/// The whole AWS endpoint of `eventrouter run` (``AWSEndpoint`` over a runtime in memory, every
/// service, see ``EndpointWorld``) fed one raw HTTP/1.1 request per input.
///
/// The input's `Content-Length` is set to the length of its body before parsing (so that
/// mutations of the body reach the services; the `http` target covers the parser's framing);
/// inputs ``HTTPRequestParser`` refuses are rejected, their error answer checked for its shape.
/// Each request is served as the server does (``AWSEndpoint/answerAtOnce(_:)`` first, else
/// ``AWSEndpoint/handle(_:)``, then the after-sending work and a bounded settle of the runtime).
/// Properties: never traps; answers within ``EndpointWorld/wallLimit`` (long polls are bounded
/// by jumping the manual clock); a status 200–599; an error in the shape of the protocol the
/// request was routed to (``EndpointAnswerCheck``); and every 16th execution a probe of
/// resources no input names still answers 200. The engine is rebuilt every 2048 executions so
/// that what inputs create does not pile up.
struct EndpointTarget: FuzzTarget {
    let name = "endpoint"
    let summary = "AWSEndpoint (every service, in memory, manual clock): no trap or hang; status 200-599; errors in the routed protocol's shape (JSON __type+message, query <ErrorResponse>, Lambda x-amzn-ErrorType, CBOR); a probe still answers"
    let maximumInputSize = 8192

    static let probeEvery = 16
    static let rebuildEvery = 2048

    /// The engine and how many inputs it has served (made at the first execution).
    private let state = EndpointTargetState()

    var seeds: [[UInt8]] { EndpointSeeds.all }
    var dictionary: [[UInt8]] { EndpointSeeds.dictionary }

    func generate(_ random: inout SeededGenerator) -> [UInt8]? { EndpointGenerator.request(&random) }

    func run(_ input: [UInt8]) async throws(FuzzFailure) -> FuzzOutcome {
        let (world, count) = try state.next()
        var parser = HTTPRequestParser()
        parser.append(Self.fixingContentLength(input))
        var request: HTTPRequest?
        parsing: while true {
            switch parser.next() {
            case .request(let r):
                request = r
                break parsing
            case .continueExpected:
                continue
            case .needMoreData:
                if let error = parser.endOfInput() { try Self.checkParseError(error, parser.currentHead) }
                return .rejected
            case .failure(let error):
                try Self.checkParseError(error, parser.currentHead)
                return .rejected
            }
        }
        guard let request else { return .rejected }
        let answer = try await world.serve(request)
        let shape = EndpointAnswerCheck.shape(of: request, atOnce: answer.atOnce, authenticator: world.authenticator)
        do {
            try EndpointAnswerCheck.check(answer.response, shape: shape)
        } catch {
            throw FuzzFailure("\(request.method) \(request.target.prefix(200)) (\(shape)): \(error.message)")
        }
        if count % Self.probeEvery == 0 {
            do {
                try await world.probe()
            } catch {
                throw FuzzFailure("after \(request.method) \(request.target.prefix(200)) answered \(answer.response.status): \(error.message)")
            }
        }
        return answer.response.status < 400 ? .accepted : .rejected
    }

    /// The error answer `eventrouter run` gives to bytes that are not a request has a shape too.
    static func checkParseError(_ parseError: HTTPParseError, _ head: HTTPRequestHead?) throws(FuzzFailure) {
        let response = AWSResponseWriter.parseError(parseError, head)
        let form = response.headers["Content-Type"] == "text/xml"
        do {
            try EndpointAnswerCheck.check(response, shape: form ? .query : .json(.json11))
            try require(response.status >= 400, "a parse error answered \(response.status)")
        } catch {
            throw FuzzFailure("the answer to an unparsable request (\(parseError)): \(error.message)")
        }
    }

    /// `input` with the value of its first `Content-Length` header set to the length of what
    /// follows the end of its head (unchanged without either, or with `Transfer-Encoding`).
    static func fixingContentLength(_ input: [UInt8]) -> [UInt8] {
        let end: [UInt8] = [13, 10, 13, 10]
        guard input.count >= 4, let headEnd = (0...(input.count - 4)).first(where: { input[$0..<$0 + 4].elementsEqual(end) }) else { return input }
        let head = input[..<headEnd]
        let lower = head.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if containsSequence(lower, Array("\ntransfer-encoding:".utf8)) != nil { return input }
        let name = Array("\ncontent-length:".utf8)
        guard let at = containsSequence(lower, name) else { return input }
        var valueStart = at + name.count
        while valueStart < headEnd, input[valueStart] == 0x20 || input[valueStart] == 0x09 { valueStart += 1 }
        var valueEnd = valueStart
        while valueEnd < headEnd, input[valueEnd] != 13, input[valueEnd] != 10 { valueEnd += 1 }
        var fixed = input
        fixed.replaceSubrange(valueStart..<valueEnd, with: Array(String(input.count - headEnd - 4).utf8))
        return fixed
    }

    private static func containsSequence(_ bytes: [UInt8], _ needle: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
