/// One `StartReplay` as the API reports it and the data directory keeps it: the request, its
/// state and its progress (`EventLastReplayedTime`, from which a replay interrupted by a crash
/// resumes).
public struct ReplayRecord: Sendable, Hashable {
    public var request: ArchiveReplayRequest
    /// `arn:aws:events:REGION:ACCOUNT:replay/NAME`
    public var arn: String
    public var account: String
    public var description: String?
    public var state: ReplayState = .starting
    public var stateReason: String? = "Replay started"
    public var started: Timestamp
    public var ended: Timestamp?
    /// The receipt time of the last event put back (its whole one-minute bucket was put).
    public var lastReplayed: Timestamp?

    public init(request: ArchiveReplayRequest, arn: String, account: String, description: String? = nil, started: Timestamp) {
        self.request = request
        self.arn = arn
        self.account = account
        self.description = description
        self.started = started
    }

    /// The record's JSON in the journal and the snapshot (times in nanoseconds since the epoch).
    var journalJSON: JSONValue {
        func ns(_ t: Timestamp) -> JSONValue { .number(JSONNumber(Int(t.nanosecondsSinceEpoch))) }
        var o: JSONObject = ["arn": .string(arn), "account": .string(account), "name": .string(request.replayName),
                             "archive": .string(request.archiveArn), "from": ns(request.eventStartTime), "to": ns(request.eventEndTime),
                             "bus": .string(request.destinationBusArn), "state": .string(state.rawValue), "started": ns(started)]
        if !request.filterArns.isEmpty { o["filters"] = .array(request.filterArns.map { .string($0) }) }
        if let description { o["description"] = .string(description) }
        if let stateReason { o["reason"] = .string(stateReason) }
        if let ended { o["ended"] = ns(ended) }
        if let lastReplayed { o["last"] = ns(lastReplayed) }
        return .object(o)
    }

    /// Reads ``journalJSON``.
    /// - Throws: ``StateJournalFailure`` naming what is missing or wrong, `at` saying where.
    init(journalJSON json: JSONValue, at: String) throws(StateJournalFailure) {
        func string(_ key: String) throws(StateJournalFailure) -> String {
            guard let s = json[key]?.stringValue else { throw StateJournalFailure("\(at): the replay has no \"\(key)\" string") }
            return s
        }
        func time(_ key: String, required: Bool = true) throws(StateJournalFailure) -> Timestamp? {
            guard let value = json[key] else {
                if required { throw StateJournalFailure("\(at): the replay has no \"\(key)\" time") }
                return nil
            }
            guard let n = ArchiveRecovery.exactInteger(value) else {
                throw StateJournalFailure("\(at): the replay's \"\(key)\" must be a whole number of nanoseconds since the epoch, not \(value.jsonText.prefix(40))")
            }
            return Timestamp(nanosecondsSinceEpoch: n)
        }
        let stateText = try string("state")
        guard let state = ReplayState(rawValue: stateText) else {
            throw StateJournalFailure("\(at): the replay's \"state\" must be one of \(ReplayState.allCases.map(\.rawValue).joined(separator: ", ")), not '\(stateText)'")
        }
        let request = ArchiveReplayRequest(replayName: try string("name"), archiveArn: try string("archive"), eventStartTime: try time("from") ?? .epoch,
                                           eventEndTime: try time("to") ?? .epoch, destinationBusArn: try string("bus"),
                                           filterArns: json["filters"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        self.init(request: request, arn: try string("arn"), account: try string("account"), description: json["description"]?.stringValue,
                  started: try time("started") ?? .epoch)
        self.state = state
        stateReason = json["reason"]?.stringValue
        ended = try time("ended", required: false)
        lastReplayed = try time("last", required: false)
    }
}
