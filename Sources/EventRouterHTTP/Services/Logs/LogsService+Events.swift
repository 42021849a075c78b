import EventRouter

/// PutLogEvents, GetLogEvents and FilterLogEvents.
extension LogsService {
    /// The most events in one PutLogEvents call.
    static let maximumBatch = 10_000
    /// How far in the future (2 hours) and the past (14 days) PutLogEvents accepts events.
    static let tooNewMilliseconds: Int64 = 2 * 3_600_000
    static let tooOldMilliseconds: Int64 = 14 * 86_400_000

    func putLogEvents(_ input: JSONInput) async throws(LogGroupError) -> JSONObject {
        let group = try Self.groupName(input)
        let stream = try Self.string(input, "logStreamName", required: true) ?? ""
        guard let items = try Self.read({ () throws(AWSError) in try input.list("logEvents", required: true) }), !items.isEmpty else {
            throw Self.invalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        guard items.count <= Self.maximumBatch else {
            throw Self.invalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to \(Self.maximumBatch)")
        }
        var events: [(timestamp: Int64, message: String)] = []
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item, let t = o["timestamp"]?.intValue, t >= 0, let m = o["message"]?.stringValue else {
                throw Self.invalid("logEvents[\(i)] must be {\"timestamp\": MILLISECONDS, \"message\": \"TEXT\"}")
            }
            if let previous = events.last, Int64(t) < previous.timestamp {
                throw Self.invalid("Log events in a single PutLogEvents request must be in chronological order (logEvents[\(i)] is older than logEvents[\(i - 1)]).")
            }
            events.append((Int64(t), m))
        }
        let now = runtime.router.clock.now.millisecondsSinceEpoch
        let tooNew = events.firstIndex { $0.timestamp > now + Self.tooNewMilliseconds }
        let tooOld = events.lastIndex { $0.timestamp < now - Self.tooOldMilliseconds }
        let expired = logGroups.lastExpiredIndex(of: events.map(\.timestamp), group: group)
        let oldest = max(tooOld ?? -1, expired ?? -1)
        let accepted = events.indices.filter { i in (tooNew.map { i < $0 } ?? true) && i > oldest }
        if !accepted.isEmpty {
            try await logGroups.put(accepted.map { events[$0] }, group: group, stream: stream)
        } else if logGroups.group(group) == nil {
            throw LogGroupError(.resourceNotFound, "The specified log group does not exist: '\(group)'")
        }
        var o = JSONObject()
        if tooNew != nil || tooOld != nil || expired != nil {
            var info = JSONObject()
            if let i = tooNew { info["tooNewLogEventStartIndex"] = .number(JSONNumber(i)) }
            if let i = tooOld { info["tooOldLogEventEndIndex"] = .number(JSONNumber(i)) }
            if let i = expired { info["expiredLogEventEndIndex"] = .number(JSONNumber(i)) }
            o["rejectedLogEventsInfo"] = .object(info)
        }
        return o
    }

    func getLogEvents(_ input: JSONInput) throws(LogGroupError) -> JSONObject {
        let group = try Self.groupName(input)
        let stream = try Self.string(input, "logStreamName", required: true) ?? ""
        let start = try Self.millis(input, "startTime")
        let end = try Self.millis(input, "endTime")
        let limit = try Self.integer(input, "limit", range: 1...10_000) ?? 10_000
        let fromHead = try Self.read { () throws(AWSError) in try input.boolean("startFromHead") } ?? false
        let token = try Self.string(input, "nextToken")
        let events = try logGroups.events(group: group, stream: stream).filter { e in
            (start.map { e.timestamp >= $0 } ?? true) && (end.map { e.timestamp < $0 } ?? true)
        }
        // Tokens: f/N reads forward from position N, b/N backward from before position N.
        var forward = fromHead
        var position = fromHead ? 0 : events.count
        if let token {
            guard token.count > 2, token.hasPrefix("f/") || token.hasPrefix("b/"), let n = Int(token.dropFirst(2)), n >= 0 else {
                throw Self.invalid("The specified nextToken is invalid: '\(token)'; send nextForwardToken or nextBackwardToken of the previous reply")
            }
            forward = token.hasPrefix("f/")
            position = min(n, events.count)
        }
        let range = forward ? position..<min(position + limit, events.count) : max(0, position - limit)..<position
        var o = JSONObject()
        o["events"] = .array(events[range].map { e in
            .object(JSONObject([.init(key: "timestamp", value: Self.number(e.timestamp)),
                                .init(key: "message", value: .string(e.message)),
                                .init(key: "ingestionTime", value: Self.number(e.ingestionTime))]))
        })
        o["nextForwardToken"] = .string("f/\(range.upperBound)")
        o["nextBackwardToken"] = .string("b/\(range.lowerBound)")
        return o
    }

    func filterLogEvents(_ input: JSONInput) throws(LogGroupError) -> JSONObject {
        let group = try Self.groupName(input)
        let names = try Self.read { () throws(AWSError) in try input.list("logStreamNames") }
        let prefix = try Self.string(input, "logStreamNamePrefix")
        if names != nil, prefix != nil { throw Self.invalid("logStreamNames and logStreamNamePrefix are mutually exclusive; send one") }
        var streamSet: Set<String>?
        if let names {
            streamSet = []
            for (i, n) in names.enumerated() {
                guard let s = n.stringValue else { throw Self.invalid("logStreamNames[\(i)] must be a string") }
                streamSet?.insert(s)
            }
        }
        let start = try Self.millis(input, "startTime")
        let end = try Self.millis(input, "endTime")
        let limit = try Self.integer(input, "limit", range: 1...10_000) ?? 10_000
        let offset = try Self.offset(Self.string(input, "nextToken"))
        let pattern = try Self.string(input, "filterPattern").flatMap { text throws(LogGroupError) -> LogFilterPattern? in
            text.allSatisfy(\.isWhitespace) ? nil : try LogFilterPattern(parsing: text)
        }
        let found = try logGroups.filter(group: group, streams: streamSet, streamPrefix: prefix, start: start, end: end, pattern: pattern)
        let page = found.dropFirst(offset).prefix(limit)
        var o = JSONObject()
        o["events"] = .array(page.map { f in
            .object(JSONObject([.init(key: "logStreamName", value: .string(f.stream)),
                                .init(key: "timestamp", value: Self.number(f.event.timestamp)),
                                .init(key: "message", value: .string(f.event.message)),
                                .init(key: "ingestionTime", value: Self.number(f.event.ingestionTime)),
                                .init(key: "eventId", value: .string(f.eventId))]))
        })
        let searched = Set(found.map(\.stream)).sorted()
        o["searchedLogStreams"] = .array(searched.map { .object(JSONObject([.init(key: "logStreamName", value: .string($0)),
                                                                             .init(key: "searchedCompletely", value: .bool(true))])) })
        if offset + page.count < found.count { o["nextToken"] = .string(String(offset + page.count)) }
        return o
    }
}
