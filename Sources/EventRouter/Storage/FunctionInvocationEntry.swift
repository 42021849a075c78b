/// The journal's form of a pending asynchronous invocation: `{"arn": function, "k": key, "id":
/// requestId, "p": payload, "t": enqueued (ms), "q"?: qualifier, "n": invocations, "th": throttles,
/// "at"?: next attempt (ms), "r"?: last result}`; `invoke.queued` carries it whole,
/// `invoke.attempt` the members an attempt changes (`arn`, `k`, `n`, `th`, `at`, `r`).
enum FunctionInvocationEntry {
    /// `invoke.queued`: the whole entry of a new invocation.
    static func queued(_ functionArn: String, key: Int, _ event: AsyncInvocationStateMachine.Event) -> JSONValue {
        var o: JSONObject = ["arn": .string(functionArn), "k": .number(JSONNumber(key)), "id": .string(event.requestId),
                             "p": event.payload, "t": ms(event.enqueuedAt), "n": 0, "th": 0]
        if let q = event.qualifier { o["q"] = .string(q) }
        return .object(o)
    }

    /// `invoke.attempt`: the counts after an attempt, its result and when the next is due.
    static func attempt(_ functionArn: String, key: Int, _ event: AsyncInvocationStateMachine.Event, retryAt: Timestamp) -> JSONValue {
        var o: JSONObject = ["arn": .string(functionArn), "k": .number(JSONNumber(key)), "n": .number(JSONNumber(event.invokeCount)),
                             "th": .number(JSONNumber(event.throttleCount)), "at": ms(retryAt)]
        if let r = event.lastResult { o["r"] = result(r) }
        return .object(o)
    }

    /// `entry` with the members of an `invoke.attempt` record.
    static func merging(_ change: JSONValue, into entry: JSONValue) -> JSONValue {
        guard case .object(var o) = entry, let members = change.objectValue?.members else { return entry }
        for m in members where m.key != "arn" && m.key != "k" { o[m.key] = m.value }
        return .object(o)
    }

    static func ms(_ t: Timestamp) -> JSONValue { .number(JSONNumber(Int(t.millisecondsSinceEpoch))) }

    /// `{"s": value}`, `{"e": {"type", "message", "document"?}}` or `{"t": true}`.
    static func result(_ r: InvocationResult) -> JSONValue {
        switch r {
        case .success(let v): return ["s": v]
        case .throttled: return ["t": true]
        case .functionError(let e):
            var o: JSONObject = ["type": .string(e.type), "message": .string(e.message)]
            if let d = e.document { o["document"] = d }
            return ["e": .object(o)]
        }
    }

    /// The invocation an entry describes, and when its next attempt is due (nil: now).
    /// - Throws: ``StateJournalFailure`` saying which member is missing or wrong.
    static func event(_ entry: JSONValue, at place: String) throws(StateJournalFailure) -> (event: AsyncInvocationStateMachine.Event, retryAt: Timestamp?) {
        guard let id = entry["id"]?.stringValue, let payload = entry["p"] else {
            throw StateJournalFailure("\(place) has no request id \"id\" or payload \"p\"")
        }
        var event = AsyncInvocationStateMachine.Event(requestId: id, payload: payload, enqueuedAt: try time(entry["t"], "t", at: place))
        event.qualifier = entry["q"]?.stringValue
        guard let n = entry["n"]?.intValue, n >= 0, let th = entry["th"]?.intValue, th >= 0 else {
            throw StateJournalFailure("\(place) needs the attempt counts \"n\" and \"th\" as whole numbers ≥ 0")
        }
        event.invokeCount = n
        event.throttleCount = th
        if let r = entry["r"] {
            if let v = r["s"] {
                event.lastResult = .success(v)
            } else if r["t"] != nil {
                event.lastResult = .throttled
            } else if let e = r["e"], let type = e["type"]?.stringValue, let message = e["message"]?.stringValue {
                var error = FunctionError(type: type, message: message)
                error.document = e["document"]
                event.lastResult = .functionError(error)
            } else {
                throw StateJournalFailure("\(place) has a last result \"r\" that is none of {\"s\"}, {\"t\"}, {\"e\": {\"type\", \"message\"}}")
            }
        }
        let retryAt = entry["at"] == nil ? nil : try time(entry["at"], "at", at: place)
        return (event, retryAt)
    }

    /// A time in milliseconds since the epoch, checked.
    static func time(_ value: JSONValue?, _ name: String, at place: String) throws(StateJournalFailure) -> Timestamp {
        guard let ms = value?.intValue else {
            throw StateJournalFailure("\(place) needs \"\(name)\" as milliseconds since the epoch (a whole number)")
        }
        let (ns, overflow) = Int64(ms).multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { throw StateJournalFailure("\(place) has \"\(name)\" \(ms), too far from 1970 to be a time") }
        return Timestamp(nanosecondsSinceEpoch: ns)
    }
}
