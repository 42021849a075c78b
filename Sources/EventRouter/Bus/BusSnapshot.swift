import Synchronization

/// The rules of one bus compiled at one moment: immutable, shared by every thread that
/// matches an event on the bus while it is current.
///
/// A ``RuleMatcher`` reuses scratch buffers from event to event, so matching needs a matcher of
/// its own: each call takes one from a small pool (a lock held for one pop or push, never while
/// matching) and gives it back, so concurrent calls match in parallel, each on its own copy
/// (copies share the compiled rules).
final class BusSnapshot: Sendable {
    /// A matcher with its result buffer.
    private struct Worker: Sendable {
        var matcher: RuleMatcher
        var ids: [Int] = []
    }

    /// The most idle workers kept for reuse.
    private static let poolLimit = 8

    /// The enabled rules by matcher id (ids are dense: `0..<nextID` of the rule set), `nil`
    /// where a rule was removed or is disabled.
    private let byID: [BusRuleSet.Entry?]
    private let template: RuleMatcher
    private let pool = Mutex<[Worker]>([])
    /// The rules that match events (enabled, not schedule-only) in declaration order, when every
    /// one of their patterns tests only envelope strings for exact values
    /// (``EnvelopeFieldPattern``): then an event is matched from its fields, not its text.
    private let envelopeRules: [(entry: BusRuleSet.Entry, pattern: EnvelopeFieldPattern)]?

    init(byID: [Int: BusRuleSet.Entry], matcher: RuleMatcher) {
        var table = [BusRuleSet.Entry?](repeating: nil, count: (byID.keys.max() ?? -1) + 1)
        for (id, entry) in byID where entry.rule.enabled { table[id] = entry }
        self.byID = table
        self.template = matcher
        // The compiled matcher holds every rule but the schedule-only ones; disabled ones are
        // dropped from its answer (`table`).
        var envelopeRules: [(entry: BusRuleSet.Entry, pattern: EnvelopeFieldPattern)]? = []
        for case let entry? in table where !entry.rule.isScheduleOnly {
            guard let pattern = EnvelopeFieldPattern(entry.rule.pattern) else {
                envelopeRules = nil
                break
            }
            envelopeRules?.append((entry, pattern))
        }
        self.envelopeRules = envelopeRules
    }

    /// The enabled rules whose pattern matches `event`, in declaration order.
    func matchingRules(for event: Event) -> [BusRuleSet.Entry] {
        var result: [BusRuleSet.Entry] = []
        matchingRules(for: event, into: &result)
        return result
    }

    /// Replaces `result` with the enabled rules whose pattern matches `event`, in declaration
    /// order (a caller matching many events reuses one buffer).
    func matchingRules(for event: Event, into result: inout [BusRuleSet.Entry]) {
        result.removeAll(keepingCapacity: true)
        guard !byID.isEmpty else { return }
        if let envelopeRules {
            for rule in envelopeRules where rule.pattern.matches(event) { result.append(rule.entry) }
            return
        }
        var worker = pool.withLock { $0.popLast() } ?? Worker(matcher: template)
        defer {
            pool.withLock { p in if p.count < Self.poolLimit { p.append(worker) } }
        }
        var text = event.jsonText
        let failed: Bool = text.withUTF8 { bytes in
            do {
                try worker.matcher.matches(eventUTF8: UnsafeRawBufferPointer(bytes), envelope: true, into: &worker.ids)
                return false
            } catch {
                return true
            }
        }
        // An event the router built is always valid JSON; should its text ever not be, match
        // the parsed value instead of dropping the event.
        if failed { worker.ids = worker.matcher.matches(event.json) }
        for id in worker.ids where id < byID.count {
            if let entry = byID[id] { result.append(entry) }
        }
    }
}
