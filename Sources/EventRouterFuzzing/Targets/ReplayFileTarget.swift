import EventRouter

/// The replay-file reader, through today's entry point ``ReplayRunner/run(text:workspace:options:)``
/// on virtual time: every non-blank line is read once and is either accepted or rejected with a
/// reason, and the run settles. Kept in its own file: when the reader is replaced (shared byte
/// line reader, CRLF, entries arrays), only this target changes.
struct ReplayFileTarget: FuzzTarget {
    let name = "replay"
    let summary = "Replay file reader (NDJSON of envelopes and PutEvents entries): each line accepted or rejected with a reason, settles"

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
        guard let workspace = Self.workspace else { throw FuzzFailure("the replay target's workspace does not validate") }
        // Today's reader takes text (the file reader decodes UTF-8 the same way).
        let text = String(decoding: input, as: UTF8.self)
        let summary: ReplaySummary
        do {
            (summary, _) = try await ReplayRunner.run(text: text, workspace: workspace, options: .init(virtualTime: true, seed: 1))
        } catch {
            throw FuzzFailure("replay failed as a whole: \(error)")
        }
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        try require(summary.eventsRead <= lines, "\(summary.eventsRead) events read from \(lines) lines")
        try require(summary.accepted + summary.rejected.count == summary.eventsRead,
                    "\(summary.eventsRead) events read, \(summary.accepted) accepted, \(summary.rejected.count) rejected")
        try require(summary.rejected.allSatisfy { !$0.reason.isEmpty && $0.line >= 1 && $0.line <= lines }, "a rejection without a reason or line")
        try require(summary.settleProblem == nil, "did not settle: \(summary.settleProblem ?? "")")
        return summary.accepted > 0 ? .accepted : .rejected
    }
}
