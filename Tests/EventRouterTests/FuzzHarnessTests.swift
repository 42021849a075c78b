@testable import EventRouterFuzzing
import Testing
@testable import EventRouter
import EventRouterHTTP

/// The fuzz harness itself, and a short fixed-seed run of every target (the long runs are
/// `eventrouter-fuzz`, docs/fuzzing.md).
@Suite("Fuzzing: harness and a short run of every target")
struct FuzzHarnessTests {
    static let iterations = ["json": 1500, "pattern": 600, "matcher": 250, "rulefile": 300, "transformer": 600, "replay": 250, "endpoint": 400]

    @Test("every target survives a short fixed-seed run", arguments: FuzzTargets.all.map(\.name))
    func shortRun(name: String) async throws {
        let target = try #require(FuzzTargets.named(name))
        let report = await FuzzDriver(target: target, seed: 1).run(.iterations(Self.iterations[name] ?? 300))
        #expect(report.failure == nil, "\(report.failure?.message ?? ""): \(String(decoding: report.failure?.input ?? [], as: UTF8.self))")
        #expect(report.executions == Self.iterations[name] ?? 300)
        #expect(report.accepted > 0, "no input was accepted: the seeds or the mutations are broken")
    }

    @Test("the targets have distinct names, seeds and summaries")
    func registry() {
        let names = FuzzTargets.all.map(\.name)
        #expect(names == ["json", "pattern", "matcher", "rulefile", "transformer", "replay", "http", "endpoint"])
        for t in FuzzTargets.all {
            #expect(!t.seeds.isEmpty, "\(t.name) has no seeds")
            #expect(!t.summary.isEmpty)
            #expect(t.seeds.allSatisfy { $0.count <= t.maximumInputSize }, "\(t.name): a seed is over the size limit")
        }
    }

    /// A target whose property fails on inputs holding "BAD".
    struct Picky: FuzzTarget {
        let name = "picky"
        let summary = "fails on BAD"
        var seeds: [[UInt8]] { [Array("xxBAxx".utf8)] }
        var dictionary: [[UInt8]] { [Array("BAD".utf8)] }
        func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
            if input.count >= 3, (0...(input.count - 3)).contains(where: { input[$0..<$0 + 3].elementsEqual("BAD".utf8) }) {
                throw FuzzFailure("found BAD")
            }
            return .accepted
        }
    }

    @Test("a violated property is reported with the input that shows it, the same for the same seed")
    func failureIsReported() async throws {
        let first = await FuzzDriver(target: Picky(), seed: 9).run(.iterations(100_000))
        let failure = try #require(first.failure)
        #expect(failure.message == "found BAD")
        #expect(String(decoding: failure.input, as: UTF8.self).contains("BAD"))
        #expect(first.executions < 100_000)
        let second = await FuzzDriver(target: Picky(), seed: 9).run(.iterations(100_000))
        #expect(second.executions == first.executions)
        #expect(second.failure?.input == failure.input)
    }

    @Test("mutations are deterministic for a seed, bounded by the limit, and varied")
    func mutator() {
        func sequence(_ seed: UInt64) -> [[UInt8]] {
            var m = FuzzMutator(seed: seed)
            var out: [[UInt8]] = []
            for _ in 0..<200 {
                var input = Array(#"{"a":[1,"x",{"b":null}],"c":true}"#.utf8)
                m.mutate(&input, other: Array(#"["y",2.5]"#.utf8), limit: 40)
                out.append(input)
            }
            return out
        }
        let a = sequence(3)
        #expect(a == sequence(3))
        #expect(a != sequence(4))
        #expect(a.allSatisfy { $0.count <= 40 })
        #expect(Set(a).count > 150, "only \(Set(a).count) distinct mutations of 200")
    }

    @Test("the JSON lexer of the mutator finds tokens and balanced subtrees")
    func lexer() {
        let text = Array(#"{"a\"b":[1,-2.5e3,true],"c":{}}"#.utf8)
        let tokens = FuzzMutator.tokens(text).map { String(decoding: text[$0], as: UTF8.self) }
        #expect(tokens == [#""a\"b""#, "1", "-2.5e3", "true", #""c""#])
        let trees = FuzzMutator.subtrees(text).map { String(decoding: text[$0], as: UTF8.self) }
        #expect(trees == ["[1,-2.5e3,true]", "{}", #"{"a\"b":[1,-2.5e3,true],"c":{}}"#])
    }

    /// Answers of each protocol that the `endpoint` target must refuse, and the real writer's that it must take.
    @Test("the endpoint target's oracle takes AWSResponseWriter's error shapes and refuses others")
    func endpointOracle() throws {
        let error = AWSError(code: "InvalidParameterValue", message: "bad <value> & more")
        let shapes: [(AWSProtocol, EndpointAnswerCheck.Shape)] = [(.json10, .json(.json10)), (.json11, .json(.json11)), (.query, .query), (.restJSON, .rest), (.cbor11, .cbor)]
        for (proto, shape) in shapes {
            let answer = AWSResponseWriter.error(error, protocol: proto, requestId: "r-1", namespace: "http://queue.amazonaws.com/doc/2012-11-05/")
            #expect(throws: Never.self, "\(shape)") { try EndpointAnswerCheck.check(answer, shape: shape) }
        }
        func response(_ status: Int, _ type: String, _ body: String, _ extra: [(String, String)] = []) -> HTTPResponse {
            HTTPResponse(status: status, contentType: type, text: body, headers: HTTPHeaders([("x-amzn-RequestId", "r-1")] + extra))
        }
        let xml = "<?xml version=\"1.0\"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>X</Code><Message>m</Message></Error></ErrorResponse>"
        let bad: [(String, HTTPResponse, EndpointAnswerCheck.Shape)] = [
            ("a JSON error for a query request", response(400, "text/xml", #"{"__type":"X","message":"m"}"#), .query),
            ("a query error without <Message>", response(400, "text/xml", xml.replacingOccurrences(of: "<Message>m</Message>", with: "")), .query),
            ("a query error with a control character", response(400, "text/xml", xml.replacingOccurrences(of: ">m<", with: ">\u{1}<")), .query),
            ("a query error with a bare &", response(400, "text/xml", xml.replacingOccurrences(of: ">m<", with: ">a & b<")), .query),
            ("a query error with unbalanced tags", response(400, "text/xml", xml.replacingOccurrences(of: "</Error>", with: "")), .query),
            ("a JSON error without a message", response(400, "application/x-amz-json-1.1", #"{"__type":"X"}"#), .json(.json11)),
            ("a JSON error with an empty __type", response(400, "application/x-amz-json-1.0", #"{"__type":"","message":"m"}"#), .json(.json10)),
            ("a JSON answer that is not an object", response(200, "application/x-amz-json-1.1", "[]"), .json(.json11)),
            ("a Lambda error without x-amzn-ErrorType", response(404, "application/json", #"{"Message":"m"}"#), .rest),
            ("a CBOR answer that does not decode", response(400, "application/x-amz-cbor-1.1", "{"), .cbor),
            ("a status out of range", response(101, "application/x-amz-json-1.1", "{}"), .json(.json11)),
            ("an answer without a request id", HTTPResponse(status: 200, contentType: "application/x-amz-json-1.1", text: "{}"), .json(.json11)),
        ]
        for (name, answer, shape) in bad {
            #expect(throws: FuzzFailure.self, "\(name)") { try EndpointAnswerCheck.check(answer, shape: shape) }
        }
    }

    @Test("the endpoint target sets Content-Length to the body's length and leaves chunked requests alone")
    func endpointContentLength() {
        let fixed = EndpointTarget.fixingContentLength(Array("POST / HTTP/1.1\r\ncontent-LENGTH:  99x\r\nHost: h\r\n\r\nabcd".utf8))
        #expect(String(decoding: fixed, as: UTF8.self) == "POST / HTTP/1.1\r\ncontent-LENGTH:  4\r\nHost: h\r\n\r\nabcd")
        let chunked = Array("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n0\r\n\r\n".utf8)
        #expect(EndpointTarget.fixingContentLength(chunked) == chunked)
    }
}
