@testable import EventRouterFuzzing
import Testing
@testable import EventRouter
import EventRouterCloudFormation
import EventRouterStorage
import Foundation
import EventRouterHTTP

/// The fuzz harness itself, and a short fixed-seed run of every target (the long runs are
/// `eventrouter-fuzz`, docs/fuzzing.md).
@Suite("Fuzzing: harness and a short run of every target")
struct FuzzHarnessTests {
    static let iterations = ["json": 1500, "pattern": 600, "matcher": 250, "rulefile": 300, "transformer": 600, "replay": 250, "cbor": 1500, "yaml": 400, "journal": 120, "endpoint": 400]

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
        #expect(names == ["json", "pattern", "matcher", "rulefile", "transformer", "replay", "http", "cbor", "yaml", "journal", "endpoint"])
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

    /// Found by `eventrouter-fuzz all --seconds 240 --seed 1205` (session 12): the target took the
    /// rules-file reader's refusal of a repeated key for a disagreement.
    @Test("pattern target: a key given twice is kept last by the compiler and refused by rule files")
    func patternWithRepeatedKey() throws {
        let input = Array(#"{"source":["É"],"detail-type":["OrderPlaced"],"x":["É"],"detail-type":["OrderPlaced"],"detail":{"channel":["web"]}}"#.utf8)
        #expect(try PatternCompilerTarget().run(input) == .accepted)
        #expect(PatternCompilerTarget.isStrictJSON(input) == false)
        #expect(throws: (any Error).self) { try RuleSetFile.patterns(fromJSON: Array("[".utf8) + input + Array("]".utf8)) }
    }

    /// Found by `eventrouter-fuzz replay --seconds 20 --seed 7` (session 12): an entries array on one
    /// line gives one event per element, which the target counted against lines.
    @Test("replay target: an entries array on one line gives an event per element")
    func replayArrayOnOneLine() async throws {
        let input = Array(#"[{"Source":"s","DetailType":"|","Detail":"{}"},{"Source":"s","DetailType":"|","Detail":"{}"}]"#.utf8)
        #expect(try await ReplayFileTarget().run(input) == .accepted)
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

    @Test("the journal target's seed is the bytes the journal writer writes, and it recovers two queues and one message (m-1 removed, the FIFO queue purged)")
    func journalSeedIsWhatTheWriterWrites() async throws {
        let folder = FileManager.default.temporaryDirectory.path + "/fuzz-journal-seed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try JournalWriter(directory: folder, firstSegment: 1, configuration: .init(fsync: .off))
        _ = try await writer.append(JournalTarget.records)
        await writer.close()
        let written = try #require(FileManager.default.contents(atPath: folder + "/00000000000000000001.journal"))
        #expect([UInt8](written) == JournalTarget.segment(JournalTarget.records))
        #expect(JournalTarget().seeds.first == [UInt8](written))

        var state = StateRecovery()
        for record in JournalTarget.records { try state.apply(StateRecord(type: record.type, payload: record.payload)) }
        let counts = try state.restore(queues: QueueRegistry(clock: ManualClock(), seed: 1))
        #expect(counts.queues == 2 && counts.messages == 1, "\(counts)")
    }

    @Test("the journal target's snapshot seed recovers one queue with one message")
    func journalSnapshotSeedRecovers() throws {
        let file = JournalTarget.snapshot
        var state = StateRecovery()
        try state.applySnapshot(Array(file[SnapshotFile.headerSize...]))
        let counts = try state.restore(queues: QueueRegistry(clock: ManualClock(), seed: 1))
        #expect(counts.queues == 1 && counts.messages == 1, "\(counts)")
        #expect(JournalTarget().seeds.contains(file))
    }

    @Test("the journal target checks a cut anywhere in a valid segment: the records wholly before the cut")
    func journalCutsRecoverThePrefix() async throws {
        let whole = JournalTarget.segment(JournalTarget.records)
        for cut in stride(from: 0, through: whole.count, by: 7) {
            let outcome = try await JournalTarget().run(Array(whole.prefix(cut)))
            #expect(outcome == .accepted || cut < JournalRecordFrame.headerSize, "cut at \(cut)")
        }
    }

    @Test("the YAML target's billion-laughs seed is refused, naming the bound")
    func yamlAliasBound() throws {
        let laughs = try #require(YAMLTarget().seeds.first { $0.starts(with: Array("x: &a".utf8)) })
        do {
            _ = try YAMLParser.parse(String(decoding: laughs, as: UTF8.self))
            Issue.record("a document of 10^6 expanded nodes was accepted")
        } catch {
            #expect(error.message.contains("expands to more than 1000000 nodes"), "\(error)")
        }
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
