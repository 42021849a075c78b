/// Runs an archive replay on a router: the `StartReplay` request is checked, the archived
/// events of its window are put back on the archive's bus bucket by bucket (one minute of
/// receipt time each, every event with `replay-name`, only to the request's rules if any),
/// and every delivery settles. Replayed events are never archived again.
public enum ArchiveReplayRunner {
    /// What a replay did.
    public struct Report: Sendable {
        /// The final state machine: state, reason, `EventLastReplayedTime`, counts.
        public var machine: ReplayStateMachine
        /// The minute buckets put, in order.
        public var buckets: [Timestamp] = []
        /// Events the bus refused (with why).
        public var rejected: [String] = []
        /// Deliveries made by the replayed events.
        public var deliveries = DeliveryStatistics()
        /// The rule names the replay was limited to (empty: every rule).
        public var ruleNames: [String] = []
        /// What the archive held when the replay started: events and first/last receipt time.
        public var archived: (count: Int, first: Timestamp?, last: Timestamp?) = (0, nil, nil)

        /// The human-readable report.
        public var text: String {
            let r = machine.request
            var lines = ["archive replay \(r.replayName): \(machine.state.rawValue)" + (machine.stateReason.map { " (\($0))" } ?? "")]
            func row(_ label: String, _ value: String) { lines.append("  " + label + String(repeating: " ", count: max(1, 15 - label.count)) + value) }
            row("archive:", r.archiveArn)
            row("window:", "\(r.eventStartTime.iso8601) to \(r.eventEndTime.iso8601)")
            if let first = archived.first, let last = archived.last {
                row("archive holds:", "\(archived.count) event\(archived.count == 1 ? "" : "s") received \(first.iso8601Milliseconds) to \(last.iso8601Milliseconds)")
            } else {
                row("archive holds:", "no events")
            }
            row("rules:", ruleNames.isEmpty ? "all rules of \(r.destinationBusArn)" : ruleNames.joined(separator: ", "))
            row("replayed:", "\(machine.replayedEvents) of \(machine.totalEvents) events in \(buckets.count) one-minute bucket\(buckets.count == 1 ? "" : "s")")
            row("last replayed:", machine.eventLastReplayedTime?.iso8601Milliseconds ?? "-")
            for reason in rejected { row("rejected:", reason) }
            row("delivered:", "\(deliveries.succeeded)")
            row("retried:", "\(deliveries.retried)")
            row("dead-lettered:", "\(deliveries.deadLettered)")
            row("dropped:", "\(deliveries.dropped)")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Builds a request from command-line terms: the archive by name (or ARN), rules by name
    /// (or ARN) on the archive's bus.
    /// - Throws: ``EventRouterError`` naming an unknown or ambiguous archive or an unknown rule.
    public static func request(archive nameOrArn: String, from: Timestamp, to: Timestamp, rules: [String], replayName: String?,
                               workspace: Workspace) throws(EventRouterError) -> ArchiveReplayRequest {
        let matches = workspace.archives.filter { $0.arn == nameOrArn || $0.name == nameOrArn }
        guard let archive = matches.first else {
            var message = "no archive named '\(nameOrArn)' in the workspace"
            if let hint = DidYouMean.suggestion(for: nameOrArn, among: workspace.archives.map(\.name)) { message += " (did you mean '\(hint)'?)" }
            message += workspace.archives.isEmpty ? "; declare one under Archives in a rule file" : "; archives: \(workspace.archives.map(\.name).joined(separator: ", "))"
            throw EventRouterError(.notFound, message)
        }
        guard matches.count == 1 else {
            throw EventRouterError(.validation, "several accounts have an archive named '\(nameOrArn)'; give its ARN: \(matches.map(\.arn).joined(separator: ", "))")
        }
        let onBus = workspace.rules.filter { $0.busArn == archive.sourceArn }
        var filter: [String] = []
        for name in rules {
            guard let rule = onBus.first(where: { $0.name == name || $0.arn == name }) else {
                var message = "no rule '\(name)' on \(archive.sourceArn), the bus of archive \(archive.name)"
                if let hint = DidYouMean.suggestion(for: name, among: onBus.map(\.name)) { message += " (did you mean '\(hint)'?)" }
                throw EventRouterError(.notFound, message + (onBus.isEmpty ? "" : "; its rules: \(onBus.map(\.name).joined(separator: ", "))"))
            }
            filter.append(rule.arn)
        }
        return ArchiveReplayRequest(replayName: replayName ?? "\(archive.name)-replay", archiveArn: archive.arn, eventStartTime: from,
                                    eventEndTime: to, destinationBusArn: archive.sourceArn, filterArns: filter)
    }

    /// Runs `request` on `router` and settles its deliveries.
    /// - Parameter settle: how to settle (default: the router's deliveries only); pass
    ///   ``RouterRuntime/settle(limits:)`` to settle functions, topics and mappings too.
    /// - Throws: ``EventRouterError`` when the archive does not exist or the request is invalid (as StartReplay).
    public static func run(_ request: ArchiveReplayRequest, router: Router,
                           settle: (@Sendable () async -> Void)? = nil) async throws(EventRouterError) -> Report {
        var report = try begin(request, router: router)
        let before = router.scheduler.statistics
        put(&report, on: router)
        if let settle { await settle() } else { await router.scheduler.settle() }
        report.count(from: before, to: router.scheduler.statistics)
        return report
    }

    /// Runs `request` on a runtime: its ``RouterRuntime/archiveReplays`` component puts the
    /// events when the runtime's driver runs, and the driver settles their deliveries with
    /// functions, topics and mappings.
    /// - Throws: ``EventRouterError`` when the archive does not exist or the request is invalid (as StartReplay).
    public static func run(_ request: ArchiveReplayRequest, runtime: RouterRuntime) async throws(EventRouterError) -> Report {
        let before = runtime.router.scheduler.statistics
        let handle = try runtime.archiveReplays.start(request)
        _ = await runtime.settle()
        guard var report = runtime.archiveReplays.finished(handle) else {
            throw EventRouterError(.internalFailure, "archive replay \(request.replayName) did not run: the runtime stopped settling before its turn")
        }
        report.count(from: before, to: runtime.router.scheduler.statistics)
        return report
    }

    /// Checks `request` (as StartReplay) and builds its report with the events of its window.
    static func begin(_ request: ArchiveReplayRequest, router: Router) throws(EventRouterError) -> Report {
        guard let store = router.archives.archive(arn: request.archiveArn) else {
            throw EventRouterError(.notFound, "archive \(request.archiveArn) does not exist")
        }
        try request.validate(archive: store.definition, now: router.clock.now)
        var report = Report(machine: ReplayStateMachine(request: request, events: store.events(from: request.eventStartTime, to: request.eventEndTime)))
        let held = store.allEvents
        report.archived = (held.count, held.first?.receivedAt, held.last?.receivedAt)
        report.ruleNames = request.filterArns.map { String($0.split(separator: "/").last ?? "") }
        return report
    }

    /// Puts the replay's events on its bus, bucket by bucket, until its state machine finishes.
    static func put(_ report: inout Report, on router: Router) {
        let request = report.machine.request
        let options = BusPutOptions(ruleFilter: request.filterArns.isEmpty ? nil : Set(request.filterArns))
        loop: while true {
            switch report.machine.next() {
            case .put(let events, let bucket, _):
                report.buckets.append(bucket)
                for json in events {
                    do {
                        let event = try Event(envelope: json, defaults: router.defaults, now: router.clock.now, random: router.random)
                        try router.put(event, onBus: request.destinationBusArn, options: options)
                    } catch {
                        if error.code == .notFound {
                            report.machine.fail(error.message)
                            continue loop
                        }
                        report.rejected.append("event \(json["id"]?.stringValue ?? "?"): \(error.message)")
                    }
                }
            case .finished:
                break loop
            }
        }
    }
}

extension ArchiveReplayRunner.Report {
    /// The deliveries made between two snapshots of the scheduler's statistics.
    mutating func count(from before: DeliveryStatistics, to after: DeliveryStatistics) {
        deliveries.attempts = after.attempts - before.attempts
        deliveries.succeeded = after.succeeded - before.succeeded
        deliveries.retried = after.retried - before.retried
        deliveries.deadLettered = after.deadLettered - before.deadLettered
        deliveries.dropped = after.dropped - before.dropped
        deliveries.deadLetterFailures = after.deadLetterFailures - before.deadLetterFailures
    }
}
