import EventRouter

/// StartReplay, DescribeReplay, ListReplays, CancelReplay: replays run in the background through
/// the runtime's ``ReplayRegistry`` on its clock, STARTING → RUNNING → COMPLETED (or
/// CANCELLED / FAILED), kept in the data directory with their progress.
extension EventBridgeService {
    func startReplay(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let name = try input.string("ReplayName", required: true) ?? ""
        let description = try input.string("Description")
        let archiveArn = try input.string("EventSourceArn", required: true) ?? ""
        let start = try input.timestamp("EventStartTime", required: true) ?? .epoch
        let end = try input.timestamp("EventEndTime", required: true) ?? .epoch
        let destination = try input.structure("Destination", required: true) ?? JSONInput(object: JSONObject())
        let destinationArn = try destination.string("Arn", required: true) ?? ""
        let filters = try destination.strings("FilterArns") ?? []
        guard let archive = router.archives.archive(arn: archiveArn) else {
            throw .notFound("Archive \(ARN.nameOrSelf(archiveArn)) does not exist.")
        }
        let request = ArchiveReplayRequest(replayName: name, archiveArn: archiveArn, eventStartTime: start, eventEndTime: end,
                                           destinationBusArn: destinationArn, filterArns: filters)
        let now = router.clock.now
        do { try request.validate(archive: archive.definition, now: now) } catch { throw .events(error) }
        let arn = "arn:aws:events:\(region):\(account):replay/\(name)"
        let replay = ReplayRecord(request: request, arn: arn, account: account, description: description, started: now)
        guard replays.add(replay) else { throw .alreadyExists("Replay \(name) already exists.") }
        replays.run(arn: arn)
        return ["ReplayArn": .string(arn), "State": "STARTING", "StateReason": "Replay started", "ReplayStartTime": .epoch(now)]
    }

    func describeReplay(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let replay = try existingReplay(input, account: account)
        var o = Self.replayJSON(replay)
        o["ReplayArn"] = .string(replay.arn)
        o.set("Description", replay.description)
        var destination = JSONObject([.init(key: "Arn", value: .string(replay.request.destinationBusArn))])
        if !replay.request.filterArns.isEmpty { destination["FilterArns"] = .array(replay.request.filterArns.map { .string($0) }) }
        o["Destination"] = .object(destination)
        return .object(o)
    }

    func listReplays(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let prefix = try input.string("NamePrefix") ?? ""
        let state = try input.string("State")
        let source = try input.string("EventSourceArn")
        let replays = self.replays.all.filter { r in
            r.account == account && r.request.replayName.hasPrefix(prefix) && (state == nil || r.state.rawValue == state)
                && (source == nil || r.request.archiveArn == source)
        }.sorted { $0.request.replayName < $1.request.replayName }
        let page = try input.page(replays)
        return .page("Replays", page.items.map { .object(Self.replayJSON($0)) }, nextToken: page.nextToken)
    }

    /// CancelReplay: only a replay that is STARTING or RUNNING (else `IllegalStatusException`).
    func cancelReplay(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let replay = try existingReplay(input, account: account)
        var cancelled = false
        replays.update(replay.arn) { r in
            guard r.state == .starting || r.state == .running else { return }
            r.state = r.state == .starting ? .cancelled : .cancelling
            r.stateReason = "Cancelled by request"
            if r.state == .cancelled { r.ended = router.clock.now }
            cancelled = true
        }
        guard cancelled else {
            throw AWSError(code: "IllegalStatusException", message: "Replay \(replay.request.replayName) is \(replay.state.rawValue) and cannot be cancelled; only a STARTING or RUNNING replay can")
        }
        return ["ReplayArn": .string(replay.arn), "State": "CANCELLING", "StateReason": "Cancelled by request"]
    }

    /// The replays started through the API (the runtime's, kept in the data directory).
    var replays: ReplayRegistry { runtime.archiveReplays.started }

    private func existingReplay(_ input: JSONInput, account: String) throws(AWSError) -> ReplayRecord {
        let name = try input.string("ReplayName", required: true) ?? ""
        guard let replay = replays.replay(arn: "arn:aws:events:\(region):\(account):replay/\(name)") else {
            throw .notFound("Replay \(name) does not exist.")
        }
        return replay
    }

    private static func replayJSON(_ r: ReplayRecord) -> JSONObject {
        var o = JSONObject()
        o["ReplayName"] = .string(r.request.replayName)
        o["EventSourceArn"] = .string(r.request.archiveArn)
        o["State"] = .string(r.state.rawValue)
        o.set("StateReason", r.stateReason)
        o["EventStartTime"] = .epoch(r.request.eventStartTime)
        o["EventEndTime"] = .epoch(r.request.eventEndTime)
        if let t = r.lastReplayed { o["EventLastReplayedTime"] = .epoch(t) }
        o["ReplayStartTime"] = .epoch(r.started)
        if let t = r.ended { o["ReplayEndTime"] = .epoch(t) }
        return o
    }
}

extension ARN {
    /// The resource name of an ARN text, or the text itself when it is not an ARN.
    static func nameOrSelf(_ text: String) -> String { (try? ARN(parsing: text))?.name ?? text }
}
