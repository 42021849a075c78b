import Synchronization

/// Fires scheduled rules: every enabled rule with a `ScheduleExpression` on a default bus, at
/// every scheduled minute of its window, delivers one event to that rule's targets only.
///
/// The event is AWS's scheduled event: `source` `aws.events`, `detail-type` `Scheduled Event`,
/// `resources` [the rule's ARN], `detail` `{}`, `time` the scheduled minute, the account and
/// region of the rule's bus. It goes through the normal delivery (see
/// ``Router/deliver(_:toRuleNamed:onBus:)``): input shaping, retries, dead-letter queues.
///
/// A ``TimedComponent`` of the runtime: it holds no pending work, only a next deadline (the
/// earliest firing), so settling never waits for it, while ``TimeDriver/run(until:limits:)``
/// fires every minute up to its deadline — on virtual time in milliseconds. Rules added,
/// changed, disabled or deleted at run time (PutRule, DisableRule, DeleteRule over the API) are
/// picked up at once: the runner re-reads the scheduled rules whenever
/// ``Router/ruleChanges`` moves. A rate schedule counts from when the runner first sees the
/// rule (the window's start for the workspace's rules); a cron schedule fires at its minutes.
public final class ScheduleRunner: TimedComponent {
    /// One firing: the rule and the scheduled minute.
    public struct Firing: Sendable, Hashable {
        public var ruleArn: String
        public var time: Timestamp
    }

    /// A scheduled rule as the runner tracks it.
    private struct Entry {
        var name: String
        var busArn: String
        var ruleArn: String
        var expressionText: String
        var expression: ScheduleExpression
        var anchor: Timestamp
        /// The next firing, `nil` when none is left in the window.
        var next: Timestamp?
    }

    private struct State {
        /// ``Router/ruleChanges`` when the rules were last read (`nil`: never).
        var seenChanges: UInt64?
        var entries: [String: Entry] = [:]
        var firings = 0
        var recent: [Firing] = []
    }

    /// The router whose rules fire.
    public let router: Router
    /// The first instant a firing may have.
    public let start: Timestamp
    /// The last instant a firing may have (`nil`: no end).
    public let until: Timestamp?
    /// How many of the latest firings ``recentFirings`` keeps.
    public static let recentLimit = 1_000
    private let state = Mutex(State())

    /// A runner firing the scheduled rules of `router` at their minutes in `[start, until]`.
    public init(router: Router, start: Timestamp, until: Timestamp? = nil) {
        self.router = router
        self.start = start
        self.until = until
    }

    /// Firings so far.
    public var firings: Int { state.withLock { $0.firings } }

    /// The latest firings (at most ``recentLimit``), oldest first.
    public var recentFirings: [Firing] { state.withLock { $0.recent } }

    public var timedRole: TimedRole { .scheduled }

    public func timedStatusNow(at now: Timestamp) -> TimedStatus? {
        state.withLock { s in
            refresh(&s, now: now)
            return TimedStatus(pending: 0, nextDeadline: s.entries.values.compactMap(\.next).min())
        }
    }

    public func timedStatus(at now: Timestamp) async -> TimedStatus {
        timedStatusNow(at: now) ?? TimedStatus(pending: 0, nextDeadline: nil)
    }

    public func runDue(at now: Timestamp) async -> Int {
        // Collect what is due under the lock, deliver outside it, in (minute, rule ARN) order.
        let due: [(Firing, Entry)] = state.withLock { s in
            refresh(&s, now: now)
            var due: [(Firing, Entry)] = []
            for key in s.entries.keys.sorted() {
                guard var entry = s.entries[key] else { continue }
                while let next = entry.next, next <= now {
                    due.append((Firing(ruleArn: entry.ruleArn, time: next), entry))
                    entry.next = following(entry, after: next)
                }
                s.entries[key] = entry
            }
            due.sort { ($0.0.time, $0.0.ruleArn) < ($1.0.time, $1.0.ruleArn) }
            s.firings += due.count
            s.recent.append(contentsOf: due.map(\.0))
            if s.recent.count > Self.recentLimit { s.recent.removeFirst(s.recent.count - Self.recentLimit) }
            return due
        }
        for (firing, entry) in due {
            router.deliver(Self.event(for: firing, rule: entry, random: router.random), toRuleNamed: entry.name, onBus: entry.busArn)
        }
        return due.count
    }

    /// The scheduled event of `firing`.
    private static func event(for firing: Firing, rule: Entry, random: SharedRandom) -> Event {
        let bus = BusReference(arn: rule.busArn)
        return Event(id: random.uuid(), detailType: "Scheduled Event", source: "aws.events", account: bus?.account ?? "",
                     time: firing.time, region: bus?.region ?? "", resources: [firing.ruleArn], detail: .object(JSONObject()))
    }

    /// The firing after `time`, if it lies in the window.
    private func following(_ entry: Entry, after time: Timestamp) -> Timestamp? {
        inWindow(entry.expression.nextFiring(atOrAfter: time + .seconds(60), anchor: entry.anchor))
    }

    private func inWindow(_ time: Timestamp?) -> Timestamp? {
        // A rate that overflowed answers the largest timestamp: no firing.
        guard let time, time.nanosecondsSinceEpoch < Int64.max - 3_600_000_000_000 else { return nil }
        if let until, time > until { return nil }
        return time
    }

    /// Re-reads the scheduled rules when the router's rules changed: new rules start now (or at
    /// the window's start), unchanged ones keep their next firing, gone or disabled ones stop.
    private func refresh(_ s: inout State, now: Timestamp) {
        let changes = router.ruleChanges
        guard s.seenChanges != changes else { return }
        s.seenChanges = changes
        var entries: [String: Entry] = [:]
        let from = max(now, start)
        for busArn in router.busArns where BusReference(arn: busArn)?.name == RouterDefaults.defaultBusName {
            for rule in router.rules(onBus: busArn) where rule.enabled {
                guard let text = rule.scheduleExpression else { continue }
                let arn = rule.arn
                if let existing = s.entries[arn], existing.expressionText == text {
                    entries[arn] = existing
                    continue
                }
                guard let expression = try? ScheduleExpression(parsing: text) else { continue }  // PutRule and the validator refuse these
                var entry = Entry(name: rule.name, busArn: busArn, ruleArn: arn, expressionText: text, expression: expression,
                                  anchor: from, next: nil)
                entry.next = inWindow(expression.nextFiring(atOrAfter: from, anchor: from))
                entries[arn] = entry
            }
        }
        s.entries = entries
    }
}
