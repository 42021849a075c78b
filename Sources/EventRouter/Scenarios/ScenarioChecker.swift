/// Checks a scenario's expectations against the final state of its run.
struct ScenarioChecker {
    let scenario: Scenario
    let workspace: Workspace
    let state: JSONValue
    let functions: [String: FunctionMetrics.Snapshot]
    let matched: [Int: [String]]
    let rejections: [Int: String]
    let trace: [String]

    /// One item a resource received.
    struct Item {
        var json: JSONValue
        var attributes: [String: String]
        var at: Timestamp?
    }

    static func name(_ arn: String) -> String {
        String(arn.split(separator: ":").last.map { $0.split(separator: "/").last ?? $0 } ?? Substring(arn))
    }

    func queueItems(_ arn: String) -> [Item] {
        let messages = state["queues"]?[arn]?["messages"]?.arrayValue ?? []
        return messages.map { m in
            let body = m["Body"]?.stringValue ?? ""
            var attributes: [String: String] = [:]
            for member in m["MessageAttributes"]?.objectValue?.members ?? [] { attributes[member.key] = member.value["StringValue"]?.stringValue }
            let sent = m["Attributes"]?["SentTimestamp"]
            let ms = sent?.stringValue.flatMap { Int64($0) } ?? sent?.intValue.map(Int64.init)
            return Item(json: (try? JSONValue(parsing: body)) ?? .string(body), attributes: attributes,
                        at: ms.map { Timestamp(nanosecondsSinceEpoch: $0 &* 1_000_000) })
        }
    }

    func streamItems(_ arn: String) -> [Item] {
        (state["streams"]?[arn]?["shards"]?.arrayValue ?? []).flatMap { shard in
            (shard["records"]?.arrayValue ?? []).map { r in
                let data = r["Data"]?.stringValue ?? ""
                let at = r["ApproximateArrivalTimestamp"]?.doubleValue.map { Timestamp(secondsSinceEpoch: $0) }
                return Item(json: (try? JSONValue(parsing: data)) ?? .string(data), attributes: ["PartitionKey": r["PartitionKey"]?.stringValue ?? ""], at: at)
            }
        }
    }

    func topicCount(_ arn: String) -> Int { state["topics"]?[arn]?["published"]?.intValue ?? 0 }

    func check(_ e: ScenarioExpectation) -> ScenarioOutcome.Failure? {
        switch e.subject {
        case .queue(let arn), .deadLetterQueue(let arn):
            return checkItems(e, items: queueItems(arn), what: "queue \(Self.name(arn))", arn: arn)
        case .stream(let arn):
            return checkItems(e, items: streamItems(arn), what: "stream \(Self.name(arn))", arn: arn)
        case .topic(let arn):
            let n = topicCount(arn)
            guard !e.count.admits(n) else { return nil }
            return fail(e, "topic \(Self.name(arn)) published messages", expected: e.count.text, actual: "\(n)", arn: arn)
        case .function(let arn):
            let m = functions[arn] ?? .init()
            for (label, count, value) in [("invocations", e.invocations, m.invocations), ("throttles", e.throttles, m.throttles),
                                          ("errors", e.errors, m.errors + m.timeouts)] {
                guard let count, !count.admits(value) else { continue }
                return fail(e, "function \(Self.name(arn)) \(label)", expected: count.text,
                            actual: "\(value) (invocations \(m.invocations), throttles \(m.throttles), errors \(m.errors), timeouts \(m.timeouts))", arn: arn)
            }
            return nil
        case .event(let index) where e.rejected != nil:
            let want = e.rejected ?? ""
            guard let reason = rejections[index] else {
                return .init(path: e.path, summary: "event \(index) (\(scenario.events[index].origin)) was accepted",
                             expected: want.isEmpty ? "rejected" : "rejected with a reason containing '\(want)'",
                             actual: "accepted; matched \((matched[index] ?? []).sorted().joined(separator: ", ").ifEmpty("no rule"))", trace: [])
            }
            guard want.isEmpty || reason.contains(want) else {
                return .init(path: e.path, summary: "event \(index) was rejected for another reason", expected: "a reason containing '\(want)'", actual: reason, trace: [])
            }
            return nil
        case .event(let index):
            let got = matched[index] ?? []
            let want = e.matchedRules ?? []
            guard Set(got) != Set(want) else { return nil }
            let label = "event \(index)"
            return .init(path: e.path, summary: "event \(index) (\(scenario.events[index].origin)) matched other rules",
                         expected: want.sorted().joined(separator: ", ").ifEmpty("no rule"),
                         actual: got.sorted().joined(separator: ", ").ifEmpty("no rule"),
                         trace: Array(trace.filter { $0.contains("line \(index) ") || $0.contains(label) }.prefix(15)))
        case .nothingElse:
            var named = Set<String>()
            for x in scenario.expectations {
                switch x.subject {
                case .queue(let a), .deadLetterQueue(let a), .stream(let a), .topic(let a), .function(let a): named.insert(a)
                default: break
                }
            }
            var extra: [String] = []
            for q in workspace.queues where !named.contains(q.arn) {
                let n = queueItems(q.arn).count
                if n > 0 { extra.append("queue \(q.name): \(n) message\(n == 1 ? "" : "s")") }
            }
            for s in workspace.streams where !named.contains(s.arn) {
                let n = streamItems(s.arn).count
                if n > 0 { extra.append("stream \(s.name): \(n) record\(n == 1 ? "" : "s")") }
            }
            for t in workspace.topics where !named.contains(t.arn) {
                let n = topicCount(t.arn)
                if n > 0 { extra.append("topic \(t.name): \(n) published") }
            }
            for f in workspace.functions where !named.contains(f.arn) {
                let n = functions[f.arn]?.invocations ?? 0
                if n > 0 { extra.append("function \(f.name): \(n) invocation\(n == 1 ? "" : "s")") }
            }
            guard !extra.isEmpty else { return nil }
            return .init(path: e.path, summary: "something else was delivered", expected: "nothing delivered beyond the resources the scenario names",
                         actual: extra.joined(separator: "; "), trace: [])
        }
    }

    func checkItems(_ e: ScenarioExpectation, items: [Item], what: String, arn: String) -> ScenarioOutcome.Failure? {
        var conditions: [String] = []
        if let p = e.patternText { conditions.append("matching \(p)") }
        if let v = e.equals { conditions.append("equal to \(v.jsonText)") }
        if let c = e.errorCode { conditions.append("with ERROR_CODE \(c)") }
        if let c = e.exhaustedRetryCondition { conditions.append("with EXHAUSTED_RETRY_CONDITION \(c)") }
        if let a = e.after { conditions.append("arriving at or after \(a.iso8601)") }
        if let b = e.before { conditions.append("arriving before \(b.iso8601)") }
        let counted = items.filter { item in
            if let p = e.pattern, !p.matches(item.json) { return false }
            if let v = e.equals, v != item.json { return false }
            if let c = e.errorCode, item.attributes["ERROR_CODE"] != c { return false }
            if let c = e.exhaustedRetryCondition, item.attributes["EXHAUSTED_RETRY_CONDITION"] != c { return false }
            if let a = e.after, (item.at ?? .epoch) < a { return false }
            if let b = e.before, (item.at ?? .epoch) >= b { return false }
            return true
        }
        guard !e.count.admits(counted.count) else { return nil }
        var actual = "\(counted.count)"
        if !conditions.isEmpty { actual += " of \(items.count) item\(items.count == 1 ? "" : "s")" }
        if let first = items.first(where: { i in !counted.contains { $0.json == i.json } }) ?? items.first {
            var shown = first.json.jsonText
            if shown.count > 300 { shown = String(shown.prefix(300)) + "…" }
            actual += "; e.g. \(shown)"
            let attrs = first.attributes.filter { ["ERROR_CODE", "EXHAUSTED_RETRY_CONDITION"].contains($0.key) }.sorted { $0.key < $1.key }
            if !attrs.isEmpty { actual += " with " + attrs.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        }
        let summary = "\(what): \(e.count.text) item\(e.count.exactly == 1 ? "" : "s")" + (conditions.isEmpty ? "" : " " + conditions.joined(separator: ", "))
        return fail(e, summary, expected: e.count.text + (conditions.isEmpty ? "" : " " + conditions.joined(separator: ", ")), actual: actual, arn: arn)
    }

    /// A failure with the trace of the first event whose deliveries touched `arn`.
    func fail(_ e: ScenarioExpectation, _ summary: String, expected: String, actual: String, arn: String) -> ScenarioOutcome.Failure {
        let targets = workspace.rules.flatMap { rule in
            rule.targets.filter { $0.arn == arn || $0.deadLetterArn == arn }.map { "rule \(rule.name) target \($0.id)" }
        }
        let name = Self.name(arn)
        let first = trace.first { line in targets.contains { line.contains($0) } || line.contains(arn) || line.contains("function \(name)") }
        var shown: [String] = []
        if let first, let label = Self.eventLabel(first) {
            shown = trace.filter { $0.contains(label) }
        } else {
            shown = trace
        }
        // The start (what matched, the first attempts) and the end (how it ended).
        if shown.count > 16 { shown = Array(shown.prefix(6)) + ["… \(shown.count - 14) lines …"] + Array(shown.suffix(8)) }
        return .init(path: e.path, summary: summary, expected: expected, actual: actual, trace: shown)
    }

    /// `event ID` in a trace line.
    static func eventLabel(_ line: String) -> String? {
        guard let r = line.range(of: "event ") else { return nil }
        let rest = line[r.upperBound...]
        let id = rest.prefix { $0 != " " && $0 != ":" }
        return id.isEmpty ? nil : "event \(id)"
    }
}

extension String {
    fileprivate func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
