import Foundation

/// Reads and checks a scenario file against its workspace: unknown keys (with the likely
/// intended one), resources that do not exist, patterns that do not compile, contradictory
/// counts and horizons past ``maximumHorizon`` are ``ValidationProblem``s with file and JSON path.
public enum ScenarioParser {
    /// The longest horizon (and latest event or window offset) a scenario may ask for.
    public static let maximumHorizon: Duration = .seconds(30 * 86_400)

    static let topKeys = ["Description", "Events", "EventsFile", "Start", "Horizon", "Faults", "Expect"]
    static let faultKeys = ["Rule", "TargetId", "Arn", "Queue", "Stream", "Function", "ErrorCode", "Message",
                            "Error", "Timeout", "Throttle", "BatchItemFailures", "FirstAttempts", "From", "Until", "Always"]
    static let expectKeys = ["Queue", "DeadLetterQueue", "Stream", "Topic", "Function", "Event", "NothingElse",
                             "Count", "AtLeast", "AtMost", "Matching", "Equals", "After", "Before", "ErrorCode",
                             "ExhaustedRetryCondition", "Invocations", "Throttles", "Errors", "MatchedRules", "Rejected"]
    static let countKeys = ["Exactly", "AtLeast", "AtMost"]

    /// Parses `text` (the file `file`, named `name`) against `workspace` (`directory` resolves `EventsFile`).
    public static func parse(text: String, file: String, name: String, workspace: Workspace, directory: String) -> (Scenario?, [ValidationProblem]) {
        var r = FieldReader(file: file)
        let root: JSONValue
        do { root = try JSONValue(parsing: text) } catch {
            r.error("$", "not valid JSON: \(error)")
            return (nil, r.problems)
        }
        guard let o = root.objectValue else {
            r.error("$", "a scenario is a JSON object with Events and Expect, not a \(root.kindName)")
            return (nil, r.problems)
        }
        r.checkKeys(o, allowed: topKeys, what: "a scenario", at: "$")
        var s = Scenario(name: name, file: file, description: o["Description"]?.stringValue, events: [], start: Scenario.defaultStart,
                         horizon: nil, faults: [], expectations: [])
        if let v = o["Start"] {
            if let t = v.stringValue, let ts = try? Timestamp.parse(iso8601: t) { s.start = ts } else {
                r.error("$.Start", "write an ISO-8601 time such as \"2024-01-01T10:00:00Z\", not \(v.jsonText)")
            }
        }
        if let v = o["Horizon"] {
            if let d = duration(v), d > .zero {
                if d > maximumHorizon { r.error("$.Horizon", "a horizon of \(v.jsonText) is past the bound of 30 days: a run that long never settles; shorten it") } else { s.horizon = d }
            } else { r.error("$.Horizon", "write a positive duration: seconds (3600) or \"90m\", \"2h\", \"1d\", not \(v.jsonText)") }
        }
        let resolver = Resolver(workspace: workspace)
        s.events = readEvents(o, &r, start: s.start, directory: directory)
        if let list = o["Faults"] {
            if let items = list.arrayValue {
                for (i, item) in items.enumerated() {
                    if let f = readFault(item, at: "$.Faults[\(i)]", &r, resolver, start: s.start) { s.faults.append(f) }
                }
            } else { r.error("$.Faults", "write an array of faults, not a \(list.kindName)") }
        }
        if let list = o["Expect"] {
            if let items = list.arrayValue {
                for (i, item) in items.enumerated() {
                    if let e = readExpectation(item, at: "$.Expect[\(i)]", &r, resolver, start: s.start, events: s.events.count) {
                        s.expectations.append(e)
                    }
                }
            } else { r.error("$.Expect", "write an array of expectations, not a \(list.kindName)") }
        } else {
            r.error("$", "missing required key 'Expect': a scenario without expectations tests nothing")
        }
        checkContradictions(s.expectations, &r)
        return (r.hasErrors ? nil : s, r.problems)
    }

    // MARK: - Events

    static func readEvents(_ o: JSONObject, _ r: inout FieldReader, start: Timestamp, directory: String) -> [Scenario.ScheduledEvent] {
        var events: [Scenario.ScheduledEvent] = []
        switch (o["Events"], o["EventsFile"]) {
        case (nil, nil): r.error("$", "missing 'Events' (an array of events) or 'EventsFile' (a file replay reads, relative to the workspace)")
        case (.some, .some): r.error("$.EventsFile", "give either 'Events' or 'EventsFile', not both")
        case (let list?, nil):
            guard let items = list.arrayValue else { r.error("$.Events", "write an array of events, not a \(list.kindName)"); break }
            var last = start
            for (i, item) in items.enumerated() {
                let path = "$.Events[\(i)]"
                guard var obj = item.objectValue else { r.error(path, "each event is an object (an event envelope or a PutEvents entry), not a \(item.kindName)"); continue }
                var at = last
                if let v = obj["At"] {
                    if let t = time(v, start: start) { at = t } else { r.error("\(path).At", "write an offset from Start (\"+90m\", seconds) or an ISO-8601 time, not \(v.jsonText)") }
                    obj.members.removeAll { $0.key == "At" }
                }
                if at < last { r.error("\(path).At", "events must be in time order: this one is before the previous one") }
                if at - start > maximumHorizon { r.error("\(path).At", "more than 30 days after Start") }
                last = at
                events.append(.init(json: .object(obj), at: at, origin: path))
            }
        case (nil, let f?):
            guard let name = f.stringValue else { r.error("$.EventsFile", "write a file path, not a \(f.kindName)"); break }
            let full = name.hasPrefix("/") ? name : (directory as NSString).appendingPathComponent(name)
            do {
                let input = try ReplayInput(bytes: try ReplayRunner.readEventsFile(full))
                for i in 0..<input.count {
                    switch input.value(at: i) {
                    case .success(let v): events.append(.init(json: v, at: start, origin: "\(name) \(input.itemName) \(input.line(at: i))"))
                    case .failure(let e): r.error("$.EventsFile", "\(name) \(input.itemName) \(input.line(at: i)): malformed JSON: \(e)")
                    }
                }
            } catch {
                r.error("$.EventsFile", "cannot read \(name): \(error.message)")
            }
        }
        return events
    }

    // MARK: - Faults

    static func readFault(_ item: JSONValue, at path: String, _ r: inout FieldReader, _ res: Resolver, start: Timestamp) -> FaultPlan.Fault? {
        guard let o = item.objectValue else { r.error(path, "each fault is an object, not a \(item.kindName)"); return nil }
        guard r.checkKeys(o, allowed: faultKeys, what: "a fault", at: path) else { return nil }
        let when: FaultPlan.When
        let hasWindow = o["From"] != nil || o["Until"] != nil
        if let n = o["FirstAttempts"] {
            guard let k = n.intValue, k > 0 else { r.error("\(path).FirstAttempts", "write a whole number of attempts ≥ 1, not \(n.jsonText)"); return nil }
            if hasWindow || o["Always"] != nil { r.error(path, "give one of FirstAttempts, From/Until or Always"); return nil }
            when = .first(k)
        } else if hasWindow {
            let from = o["From"].map { time($0, start: start) } ?? start
            let until = o["Until"].map { time($0, start: start) } ?? start + maximumHorizon
            guard let from, let until else { r.error(hasWindow ? "\(path).From" : path, "write From/Until as an offset from Start (\"+2h\") or an ISO-8601 time"); return nil }
            guard from < until else { r.error("\(path).Until", "the window ends before it starts"); return nil }
            when = .window(from: from, to: until)
        } else {
            when = .always
        }
        if let fn = o["Function"] {
            guard let arn = res.function(fn) else { r.error("\(path).Function", "no function \(fn.jsonText) in the workspace" + res.hint(fn, res.functionNames)); return nil }
            if o["Throttle"]?.boolValue == true { return .init(arn: arn, effect: .functionThrottle, when: when) }
            if o["Timeout"]?.boolValue == true { return .init(arn: arn, effect: .functionTimeout, when: when) }
            if let b = o["BatchItemFailures"] {
                if let n = b.intValue, n >= 1 { return .init(arn: arn, effect: .batchItemFailures(count: n, pattern: nil), when: when) }
                if let m = b.objectValue, r.checkKeys(m, allowed: ["Matching"], what: "BatchItemFailures", at: "\(path).BatchItemFailures"), let p = m["Matching"] {
                    do { return .init(arn: arn, effect: .batchItemFailures(count: nil, pattern: try EventPattern(json: p)), when: when) } catch {
                        r.error("\(path).BatchItemFailures.Matching", "the pattern does not compile: \(error)"); return nil
                    }
                }
                r.error("\(path).BatchItemFailures", "write a number of records ≥ 1 or {\"Matching\": PATTERN} (records whose body matches), not \(b.jsonText)")
                return nil
            }
            if let e = o["Error"]?.objectValue {
                r.checkKeys(e, allowed: ["Type", "Message"], what: "a function error", at: "\(path).Error")
                return .init(arn: arn, effect: .functionError(type: e["Type"]?.stringValue ?? "Injected", message: e["Message"]?.stringValue ?? "injected by the scenario"), when: when)
            }
            r.error(path, "a function fault needs \"Error\": {\"Type\", \"Message\"}, \"Timeout\": true, \"Throttle\": true or \"BatchItemFailures\"")
            return nil
        }
        var arn: String?
        var ruleArn: String?
        if let rule = o["Rule"] {
            guard let def = res.rule(rule) else { r.error("\(path).Rule", "no rule \(rule.jsonText) in the workspace" + res.hint(rule, res.ruleNames)); return nil }
            ruleArn = def.arn
            if let id = o["TargetId"] {
                guard let t = def.targets.first(where: { $0.id == id.stringValue }) else {
                    r.error("\(path).TargetId", "rule \(def.name) has no target \(id.jsonText); its targets: \(def.targets.map(\.id).joined(separator: ", "))"); return nil
                }
                arn = t.arn
            } else if def.targets.count == 1 { arn = def.targets[0].arn } else {
                r.error(path, "rule \(def.name) has several targets: name one with TargetId"); return nil
            }
        } else if let a = o["Arn"] {
            guard let text = a.stringValue, res.knownTargetArns.contains(text) else {
                r.error("\(path).Arn", "no rule target, dead-letter queue or destination has the ARN \(a.jsonText)" + res.hint(a, res.knownTargetArns)); return nil
            }
            arn = text
        } else if let q = o["Queue"] {
            guard let a = res.queue(q) else { r.error("\(path).Queue", "no queue \(q.jsonText) in the workspace" + res.hint(q, res.queueNames)); return nil }
            arn = a
        } else if let st = o["Stream"] {
            guard let a = res.stream(st) else { r.error("\(path).Stream", "no stream \(st.jsonText) in the workspace" + res.hint(st, res.streamNames)); return nil }
            arn = a
        } else {
            r.error(path, "name what fails: Rule (and TargetId), Arn, Queue, Stream or Function"); return nil
        }
        let defaultCode = o["Stream"] != nil ? DeliveryOutcome.Code.throttling : DeliveryOutcome.Code.connectionFailure
        guard let arn else { return nil }
        var code = defaultCode
        if let c = o["ErrorCode"] {
            guard let s = c.stringValue, !s.isEmpty else { r.error("\(path).ErrorCode", "write an EventBridge error code such as THROTTLING"); return nil }
            code = s
        }
        let message = o["Message"]?.stringValue ?? "injected by the scenario"
        return .init(arn: arn, ruleArn: ruleArn, effect: .delivery(code: code, message: message), when: when)
    }

    // MARK: - Expectations

    static func readCount(_ v: JSONValue, at path: String, _ r: inout FieldReader) -> ScenarioExpectation.Count? {
        if let n = v.intValue, n >= 0 { return .init(exactly: n) }
        if let o = v.objectValue {
            r.checkKeys(o, allowed: countKeys, what: "a count", at: path)
            var c = ScenarioExpectation.Count()
            for (k, kp) in [("Exactly", \ScenarioExpectation.Count.exactly), ("AtLeast", \.atLeast), ("AtMost", \.atMost)] {
                if let x = o[k] { if let n = x.intValue, n >= 0 { c[keyPath: kp] = n } else { r.error("\(path).\(k)", "write a whole number ≥ 0, not \(x.jsonText)") } }
            }
            return c
        }
        r.error(path, "write a whole number ≥ 0 or {\"AtLeast\": N, \"AtMost\": M}, not \(v.jsonText)")
        return nil
    }

    static func readExpectation(_ item: JSONValue, at path: String, _ r: inout FieldReader, _ res: Resolver, start: Timestamp, events: Int) -> ScenarioExpectation? {
        guard let o = item.objectValue else { r.error(path, "each expectation is an object, not a \(item.kindName)"); return nil }
        guard r.checkKeys(o, allowed: expectKeys, what: "an expectation", at: path) else { return nil }
        let subjects = ["Queue", "DeadLetterQueue", "Stream", "Topic", "Function", "Event", "NothingElse"].filter { o[$0] != nil }
        guard subjects.count == 1 else {
            r.error(path, subjects.isEmpty ? "name what is expected: Queue, DeadLetterQueue, Stream, Topic, Function, Event or NothingElse"
                                           : "one subject per expectation, not \(subjects.joined(separator: " and "))")
            return nil
        }
        let key = subjects[0], v = o[key] ?? .null
        let subject: ScenarioExpectation.Subject
        switch key {
        case "Queue", "DeadLetterQueue":
            guard let a = res.queue(v) else { r.error("\(path).\(key)", "no queue \(v.jsonText) in the workspace" + res.hint(v, res.queueNames)); return nil }
            subject = key == "Queue" ? .queue(a) : .deadLetterQueue(a)
        case "Stream":
            guard let a = res.stream(v) else { r.error("\(path).Stream", "no stream \(v.jsonText) in the workspace" + res.hint(v, res.streamNames)); return nil }
            subject = .stream(a)
        case "Topic":
            guard let a = res.topic(v) else { r.error("\(path).Topic", "no topic \(v.jsonText) in the workspace" + res.hint(v, res.topicNames)); return nil }
            subject = .topic(a)
        case "Function":
            guard let a = res.function(v) else { r.error("\(path).Function", "no function \(v.jsonText) in the workspace" + res.hint(v, res.functionNames)); return nil }
            subject = .function(a)
        case "Event":
            guard let i = v.intValue, i >= 0, i < events else { r.error("\(path).Event", "write the index of one of the scenario's \(events) events (0 to \(max(events - 1, 0))), not \(v.jsonText)"); return nil }
            subject = .event(i)
        default:
            guard v.boolValue == true else { r.error("\(path).NothingElse", "write true (or leave the expectation out)"); return nil }
            subject = .nothingElse
        }
        var e = ScenarioExpectation(subject: subject, path: path, count: .init())
        if let c = o["Count"] { e.count = readCount(c, at: "\(path).Count", &r) ?? .init() }
        if let x = o["AtLeast"] { if let n = x.intValue, n >= 0 { e.count.atLeast = n } else { r.error("\(path).AtLeast", "write a whole number ≥ 0") } }
        if let x = o["AtMost"] { if let n = x.intValue, n >= 0 { e.count.atMost = n } else { r.error("\(path).AtMost", "write a whole number ≥ 0") } }
        if let p = o["Matching"] {
            do { e.pattern = try EventPattern(json: p); e.patternText = p.jsonText } catch {
                r.error("\(path).Matching", "the pattern does not compile: \(error)")
            }
        }
        e.equals = o["Equals"]
        for (k, kp) in [("After", \ScenarioExpectation.after), ("Before", \.before)] {
            if let t = o[k] { if let ts = time(t, start: start) { e[keyPath: kp] = ts } else { r.error("\(path).\(k)", "write an offset from Start (\"+2h\") or an ISO-8601 time") } }
        }
        if let c = o["ErrorCode"] {
            guard key == "DeadLetterQueue" else { r.error("\(path).ErrorCode", "ErrorCode applies to a DeadLetterQueue expectation"); return nil }
            e.errorCode = c.stringValue
        }
        if let c = o["ExhaustedRetryCondition"] {
            guard key == "DeadLetterQueue" else { r.error("\(path).ExhaustedRetryCondition", "ExhaustedRetryCondition applies to a DeadLetterQueue expectation"); return nil }
            guard let s = c.stringValue, ["MaximumRetryAttempts", "MaximumEventAgeInSeconds"].contains(s) else {
                r.error("\(path).ExhaustedRetryCondition", "write MaximumRetryAttempts or MaximumEventAgeInSeconds, not \(c.jsonText)"); return nil
            }
            e.exhaustedRetryCondition = s
        }
        for (k, kp) in [("Invocations", \ScenarioExpectation.invocations), ("Throttles", \.throttles), ("Errors", \.errors)] {
            if let x = o[k] {
                guard key == "Function" else { r.error("\(path).\(k)", "\(k) applies to a Function expectation"); return nil }
                e[keyPath: kp] = readCount(x, at: "\(path).\(k)", &r)
            }
        }
        if let m = o["MatchedRules"] {
            guard key == "Event" else { r.error("\(path).MatchedRules", "MatchedRules applies to an Event expectation"); return nil }
            guard let names = m.arrayValue?.compactMap(\.stringValue), names.count == m.arrayValue?.count else {
                r.error("\(path).MatchedRules", "write an array of rule names"); return nil
            }
            for (i, n) in names.enumerated() where !res.ruleNames.contains(n) {
                r.error("\(path).MatchedRules[\(i)]", "no rule '\(n)' in the workspace" + res.hint(.string(n), res.ruleNames))
            }
            e.matchedRules = names
        }
        if let x = o["Rejected"] {
            guard key == "Event" else { r.error("\(path).Rejected", "Rejected applies to an Event expectation"); return nil }
            if x.boolValue == true { e.rejected = "" } else if let t = x.stringValue { e.rejected = t } else {
                r.error("\(path).Rejected", "write true or a text the rejection reason contains, not \(x.jsonText)"); return nil
            }
        }
        if key == "Event", e.matchedRules == nil, e.rejected == nil { r.error(path, "an Event expectation needs MatchedRules or Rejected") }
        if e.matchedRules?.isEmpty == false, e.rejected != nil { r.error(path, "contradictory: a rejected event matches no rule") }
        if key == "Function", e.invocations == nil, e.throttles == nil, e.errors == nil {
            r.error(path, "a Function expectation needs Invocations, Throttles or Errors")
        }
        checkCount(e.count, at: path, &r)
        for c in [e.invocations, e.throttles, e.errors].compactMap({ $0 }) { checkCount(c, at: path, &r) }
        if let a = e.after, let b = e.before, b <= a { r.error("\(path).Before", "no item can arrive before \(b.iso8601) and at or after \(a.iso8601)") }
        if ["Queue", "DeadLetterQueue", "Stream", "Topic"].contains(key), e.count.isEmpty {
            e.count.atLeast = 1
        }
        return e
    }

    static func checkCount(_ c: ScenarioExpectation.Count, at path: String, _ r: inout FieldReader) {
        if let lo = c.atLeast, let hi = c.atMost, lo > hi { r.error(path, "contradictory: at least \(lo) and at most \(hi)") }
        if let x = c.exactly, let lo = c.atLeast, x < lo { r.error(path, "contradictory: exactly \(x) and at least \(lo)") }
        if let x = c.exactly, let hi = c.atMost, x > hi { r.error(path, "contradictory: exactly \(x) and at most \(hi)") }
    }

    /// Two expectations on the same items (same subject, no filter) whose counts cannot both hold.
    static func checkContradictions(_ list: [ScenarioExpectation], _ r: inout FieldReader) {
        for (i, a) in list.enumerated() {
            for b in list[(i + 1)...] where a.subject == b.subject && a.pattern == nil && b.pattern == nil && a.equals == nil && b.equals == nil
                && a.errorCode == b.errorCode && a.exhaustedRetryCondition == b.exhaustedRetryCondition && a.after == b.after && a.before == b.before {
                let lo = max(a.count.exactly ?? a.count.atLeast ?? 0, b.count.exactly ?? b.count.atLeast ?? 0)
                let hi = min(a.count.exactly ?? a.count.atMost ?? .max, b.count.exactly ?? b.count.atMost ?? .max)
                if lo > hi { r.error(b.path, "contradicts \(a.path): \(a.count.text) versus \(b.count.text) of the same items") }
                if let x = a.matchedRules, let y = b.matchedRules, Set(x) != Set(y) { r.error(b.path, "contradicts \(a.path): different MatchedRules for the same event") }
            }
            if a.subject == .nothingElse, !a.count.isEmpty || a.pattern != nil { r.error(a.path, "NothingElse takes no count or pattern") }
        }
    }

    // MARK: - Times

    /// Seconds (a number), or `"90s"`, `"15m"`, `"2h"`, `"1d"`.
    static func duration(_ v: JSONValue) -> Duration? {
        if let n = v.intValue { return n >= 0 && n <= 1_000_000_000 ? .seconds(n) : nil }
        guard var s = v.stringValue, let unit = s.last else { return nil }
        let scale: Int
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        default: return nil
        }
        s.removeLast()
        guard let n = Int(s), n >= 0, n <= 1_000_000_000 / scale else { return nil }
        return .seconds(n * scale)
    }

    /// `"+2h"` / seconds after `start`, or an ISO-8601 time.
    static func time(_ v: JSONValue, start: Timestamp) -> Timestamp? {
        if let s = v.stringValue, s.hasPrefix("+") { return duration(.string(String(s.dropFirst()))).map { start + $0 } }
        if let s = v.stringValue { return try? Timestamp.parse(iso8601: s) }
        return duration(v).map { start + $0 }
    }
}
