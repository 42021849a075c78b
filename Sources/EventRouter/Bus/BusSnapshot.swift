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

    private let byID: [Int: BusRuleSet.Entry]
    private let template: RuleMatcher
    private let pool = Mutex<[Worker]>([])

    init(byID: [Int: BusRuleSet.Entry], matcher: RuleMatcher) {
        self.byID = byID
        self.template = matcher
    }

    /// The enabled rules whose pattern matches `event`, in declaration order.
    func matchingRules(for event: Event) -> [BusRuleSet.Entry] {
        guard !byID.isEmpty else { return [] }
        var worker = pool.withLock { $0.popLast() } ?? Worker(matcher: template)
        defer {
            pool.withLock { p in if p.count < Self.poolLimit { p.append(worker) } }
        }
        var text = event.jsonText
        let failed: Bool = text.withUTF8 { bytes in
            do {
                try worker.matcher.matches(eventUTF8: UnsafeRawBufferPointer(bytes), into: &worker.ids)
                return false
            } catch {
                return true
            }
        }
        // An event the router built is always valid JSON; should its text ever not be, match
        // the parsed value instead of dropping the event.
        if failed { worker.ids = worker.matcher.matches(event.json) }
        var result: [BusRuleSet.Entry] = []
        for id in worker.ids {
            if let entry = byID[id], entry.rule.enabled { result.append(entry) }
        }
        return result
    }
}
