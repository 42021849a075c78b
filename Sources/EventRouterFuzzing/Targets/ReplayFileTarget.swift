import EventRouter

/// The replay-file reader (``ReplayInput``: NDJSON with LF or CRLF line ends, an entries array,
/// one entry) and ``ReplayRunner`` on virtual time: every item is read once and is either
/// accepted or rejected with a reason, the run settles, and the same file with CRLF line ends
/// reads the same.
struct ReplayFileTarget: FuzzTarget {
    let name = "replay"
    let summary = "Replay file reader (NDJSON, entries array, one entry): each item accepted or rejected with a reason, settles, CRLF reads as LF"

    /// A workspace with a rule that sends every event of the default bus to a queue.
    static let workspace: Workspace? = WorkspaceLoader.validate(files: [(name: "Rules/fuzz.json", text: #"""
        {"Queues":[{"QueueName":"all"}],
         "Rules":[{"Name":"all","EventPattern":{"source":[{"prefix":""}]},"Targets":[{"Id":"q","Arn":"arn:aws:sqs:us-east-1:123456789012:all"}]}]}
        """#)]).workspace

    var seeds: [[UInt8]] {
        [
            #"{"Source":"shop","DetailType":"OrderPlaced","Detail":"{\"id\":1}"}"# + "\n"
                + #"{"Source":"shop","DetailType":"x","Detail":"{}","EventBusName":"default","Resources":["r"]}"#,
            #"{"version":"0","id":"e1","detail-type":"t","source":"s","account":"123456789012","time":"2024-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"a":1}}"#,
            "\n  \n" + #"{"Source":"a","DetailType":"b","Detail":"[]"}"# + "\r\n" + #"{"Source":"a"}"# + "\n",
            #"[{"Source":"s","DetailType":"t","Detail":"{}"}]"#,
            #"{"Source":"s","DetailType":"t","Detail":"{}","Time":"2024-02-29T12:00:00Z","TraceHeader":"x"}"#,
            "not json\n{}\n[]\n\"x\"",
        ].map(\.bytes)
    }

    var dictionary: [[UInt8]] {
        ["\"Source\":", "\"DetailType\":", "\"Detail\":", "\"EventBusName\":", "\"Resources\":", "\"Time\":",
         "\"detail-type\":", "\"source\":", "\"detail\":", "\"time\":", "\"2024-01-01T00:00:00Z\"", "\"{}\"", "\n", "\r\n"].map(\.bytes)
    }

    func run(_ input: [UInt8]) async throws(FuzzFailure) -> FuzzOutcome {
        guard let (summary, read) = try await Self.replay(input) else { return .rejected }
        let lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        // At most one event per item: a line of NDJSON, an element of an array (several may share a line).
        try require(read.shape == .array || read.count <= lines, "\(read.count) \(read.shape.rawValue) items in \(lines) lines")
        try require(summary.eventsRead <= read.count, "\(summary.eventsRead) events read from \(read.count) \(read.itemName)s")
        try require(summary.accepted + summary.rejected.count == summary.eventsRead,
                    "\(summary.eventsRead) events read, \(summary.accepted) accepted, \(summary.rejected.count) rejected")
        try require(summary.rejected.allSatisfy { !$0.reason.isEmpty && $0.line >= 1 && $0.line <= lines }, "a rejection without a reason or line")
        try require(summary.settleProblem == nil, "did not settle: \(summary.settleProblem ?? "")")
        // The same file with CRLF line ends reads the same (LF alone and CR LF are one line end).
        if !input.contains(UInt8(ascii: "\r")) {
            var crlf: [UInt8] = []
            crlf.reserveCapacity(input.count + lines)
            for byte in input {
                if byte == UInt8(ascii: "\n") { crlf.append(UInt8(ascii: "\r")) }
                crlf.append(byte)
            }
            let other = try await Self.replay(crlf)?.summary
            try require(other?.eventsRead == summary.eventsRead && other?.accepted == summary.accepted
                            && other?.rejected.map(\.line) == summary.rejected.map(\.line),
                        "CRLF line ends read differently from LF: \(summary.accepted)/\(summary.eventsRead) vs \(other?.accepted ?? -1)/\(other?.eventsRead ?? -1)")
        }
        return summary.accepted > 0 ? .accepted : .rejected
    }

    /// Reads `bytes` as a replay file and replays it; nil when the file is refused as a whole
    /// (an array that is not JSON, bytes that are not UTF-8 where the shape needs the whole file).
    private static func replay(_ bytes: [UInt8]) async throws(FuzzFailure) -> (summary: ReplaySummary, input: ReplayInput)? {
        guard let workspace else { throw FuzzFailure("the replay target's workspace does not validate") }
        let input: ReplayInput
        do { input = try ReplayInput(bytes: bytes) } catch { return nil }
        do {
            return (try await ReplayRunner.run(input: input, workspace: workspace, options: .init(virtualTime: true, seed: 1)).0, input)
        } catch {
            throw FuzzFailure("replay failed as a whole: \(error)")
        }
    }
}
