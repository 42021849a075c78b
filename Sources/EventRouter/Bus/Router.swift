import Synchronization

/// The router: event buses with their rules, PutEvents, and hand-off to the delivery engine.
///
/// ```swift
/// let router = Router(workspace: workspace, clock: clock, random: SharedRandom(seed: 1))
/// let result = try router.putEvents([PutEventsEntry(source: "shop", detailType: "OrderPlaced", detail: "{}")])
/// await router.scheduler.settle()
/// ```
/// Matching and input shaping happen synchronously in ``putEvents(_:)``; every matched
/// (event, target) pair becomes a ``DeliveryRequest`` on the ``scheduler``. Targets are looked
/// up by ARN in ``targets`` at delivery time, so target kinds plug in without touching this type.
public final class Router: Sendable {
    /// Settings of a router.
    public struct Configuration: Sendable {
        /// The PutEvents entry size limit (default 256 KB; EventBridge raised it to 1 MB in 2026).
        public var maximumEventSize: Int
        /// How deliveries run.
        public var delivery: DeliveryScheduler.Configuration
        /// Called on every put with the bus's ARN once its compiled rules are taken and before
        /// the event is matched against them (tests use it to hold one put mid-match).
        var matchingHook: (@Sendable (_ busArn: String) -> Void)?

        public init(maximumEventSize: Int = EventSize.defaultLimit, delivery: DeliveryScheduler.Configuration = .init()) {
            self.maximumEventSize = maximumEventSize
            self.delivery = delivery
        }
    }

    /// Observes matching (for `--trace`): the event, its bus ARN and the rules it matched.
    public typealias MatchObserver = @Sendable (_ event: Event, _ busArn: String, _ rules: [RuleDefinition]) -> Void

    /// The buses by ARN, and the default region's buses by (account, name) so that a PutEvents
    /// `EventBusName` finds its bus without building an ARN string.
    struct BusTable {
        struct NameKey: Hashable {
            var account: String
            var name: String
        }
        var byArn: [String: BusHandle] = [:]
        var byName: [NameKey: BusHandle] = [:]

        mutating func insert(_ bus: BusHandle, defaultRegion: String) {
            byArn[bus.arn] = bus
            if bus.region == defaultRegion && bus.isFoundByName { byName[NameKey(account: bus.account, name: bus.name)] = bus }
        }
    }

    public let defaults: RouterDefaults
    public let clock: any EventClock
    public let random: SharedRandom
    public let targets: TargetRegistry
    public let scheduler: DeliveryScheduler
    public let configuration: Configuration
    /// Bus resource policies and account organizations (issue 7).
    public let access: BusAccessControl
    /// The archives of the buses, fed as events are accepted (issue 7).
    public let archives: ArchiveRegistry
    private let matchObserver: MatchObserver?
    /// Held only to look a bus up or add one; matching happens outside it (see ``BusHandle``).
    let buses = Mutex(BusTable())
    let counters = RouterCounters()
    private let timeText = EventTimeText()
    /// Bumped on every rule or bus change (see ``ruleChanges``).
    let ruleChangeCount = Atomic<UInt64>(0)

    /// A router with the buses and rules of `workspace`.
    /// - Parameters:
    ///   - targets: where deliveries go; register queue and other targets here.
    ///   - observer: told about every delivery attempt, retry, dead-letter and drop.
    ///   - matchObserver: told about every accepted event and the rules it matched.
    ///   - wake: signalled when deliveries are enqueued (the runtime's one wake signal).
    public convenience init(workspace: Workspace = Workspace(), clock: any EventClock, random: SharedRandom, targets: TargetRegistry = TargetRegistry(),
                            configuration: Configuration = Configuration(), observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil,
                            matchObserver: MatchObserver? = nil, wake: WakeSignal = WakeSignal()) {
        self.init(workspace: workspace, clock: .real(clock), random: random, targets: targets, configuration: configuration,
                  observer: observer, matchObserver: matchObserver, wake: wake)
    }

    /// A router on `clock`, virtual (its delivery scheduler then runs attempts one at a time and
    /// a driver jumps the clock) or real.
    public init(workspace: Workspace = Workspace(), clock drive: DriveClock, random: SharedRandom, targets: TargetRegistry = TargetRegistry(),
                configuration: Configuration = Configuration(), observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil,
                matchObserver: MatchObserver? = nil, wake: WakeSignal = WakeSignal()) {
        let clock = drive.eventClock
        self.defaults = workspace.defaults
        self.clock = clock
        self.random = random
        self.targets = targets
        self.configuration = configuration
        self.matchObserver = matchObserver
        self.access = BusAccessControl(workspace: workspace)
        self.archives = ArchiveRegistry(clock: clock, archives: workspace.archives)
        self.scheduler = DeliveryScheduler(clock: drive, random: random, targets: targets, configuration: configuration.delivery, observer: observer, wake: wake)
        // Buses in declaration order (a later declaration of the same ARN wins, as before).
        var order: [String] = []
        var identity: [String: (account: String, region: String)] = [:]
        var rules: [String: [RuleDefinition]] = [:]
        func declare(_ arn: String, account: String, region: String) {
            if identity[arn] == nil { order.append(arn) }
            identity[arn] = (account, region)
        }
        declare(ARN.eventBus(RouterDefaults.defaultBusName, account: defaults.account, region: defaults.region).description,
                account: defaults.account, region: defaults.region)
        for bus in workspace.buses { declare(bus.arn, account: bus.account, region: bus.region) }
        for rule in workspace.rules {
            if identity[rule.busArn] == nil { declare(rule.busArn, account: rule.account, region: rule.region) }
            rules[rule.busArn, default: []].append(rule)
        }
        var table = BusTable()
        for arn in order {
            guard let id = identity[arn] else { continue }
            table.insert(BusHandle(arn: arn, account: id.account, region: id.region, rules: rules[arn] ?? []), defaultRegion: defaults.region)
        }
        buses.withLock { $0 = table }
        // Bus forwarding and bus destinations: resolved by ARN like every other target kind.
        targets.registerProvider(forService: "events") { [self] arn in arn.kind == .eventBus ? BusTarget(router: self) : nil }
    }

    /// The counters so far.
    public var statistics: RouterStatistics { counters.snapshot }

    // MARK: - PutEvents

    /// PutEvents: validates each entry alone, puts the valid ones on their buses, and returns
    /// one result per entry in order.
    ///
    /// Unlike AWS, which accepts events for a bus that does not exist and drops them, an unknown
    /// bus is a per-entry `ResourceNotFoundException` here, so a typo does not hide.
    /// An entry for a bus of another account is refused (`AccessDeniedException`) unless that
    /// bus's policy allows the sending account: `account`, or the entry's own `Account`.
    /// Concurrent calls proceed in parallel, on different buses and on the same bus.
    /// - Throws: ``EventRouterError`` (`ValidationException`) when there are not 1 to 10 entries.
    public func putEvents(_ entries: [PutEventsEntry], account: String? = nil) throws(EventRouterError) -> PutEventsResult {
        try putEventsJournaled(entries[...], account: account).0
    }

    /// ``putEvents(_:account:)`` of a part of a larger array (no copy of the entries).
    public func putEvents(_ entries: ArraySlice<PutEventsEntry>, account: String? = nil) throws(EventRouterError) -> PutEventsResult {
        try putEventsJournaled(entries, account: account).0
    }

    /// ``putEvents(_:account:)`` answered once its accepted deliveries are stored in the data
    /// directory's journal (at once in memory).
    /// - Throws: ``EventRouterError`` `InternalFailure` when they could not be stored (nothing is acknowledged).
    public func putEventsStored(_ entries: [PutEventsEntry], account: String? = nil) async throws(EventRouterError) -> PutEventsResult {
        let (result, ticket) = try putEventsJournaled(entries[...], account: account)
        do { try await ticket.stored() } catch { throw Self.eventsNotStored(error) }
        return result
    }

    /// ``putEventsStored(_:account:)`` without the wait: the result may be acknowledged only once
    /// the ticket says the call's records are stored (``StateJournalTicket/whenStored(_:)``),
    /// and must be answered with ``eventsNotStored(_:)`` when they were not.
    public func putEventsSubmitted(_ entries: [PutEventsEntry], account: String? = nil) throws(EventRouterError) -> (PutEventsResult, StateJournalTicket) {
        try putEventsJournaled(entries[...], account: account)
    }

    /// The error a PutEvents call whose records were not stored answers (nothing is acknowledged).
    public static func eventsNotStored(_ failure: StateJournalFailure) -> EventRouterError {
        EventRouterError(.internalFailure, "The events were not stored, so none of them is acknowledged: \(failure.message). Retry once the data directory has room again.")
    }

    private func putEventsJournaled(_ entries: ArraySlice<PutEventsEntry>, account: String?) throws(EventRouterError) -> (PutEventsResult, StateJournalTicket) {
        guard (1...10).contains(entries.count) else {
            throw EventRouterError(.validation, "PutEvents takes 1 to 10 entries; this request has \(entries.count)")
        }
        let now = clock.now
        var results: [PutEventsResult.Entry] = []
        results.reserveCapacity(entries.count)
        var lookup = EntryLookup()
        // The deliveries of every entry, handed to the scheduler at once (in entry order).
        var requests: [DeliveryRequest] = []
        requests.reserveCapacity(entries.count)
        // Counted once per call, and one buffer for the rules each entry matches.
        var tally = Tally()
        var matched: [BusRuleSet.Entry] = []
        let journal = scheduler.journal.withLock { $0 }
        var journaled: [(DeliveryRequest, busArn: String)] = []
        var archived = ArchiveJournalBatch()
        for i in entries.indices {
            switch validate(entries[i], now: now, account: account, lookup: &lookup) {
            case .failure(let failure):
                tally.rejected += 1
                results.append(.init(errorCode: failure.code, errorMessage: failure.message))
            case .success(let (event, bus)):
                let before = requests.count
                accept(event, bus: bus, at: now, matched: &matched, tally: &tally, into: &requests, archived: &archived)
                if journal != nil { for r in requests[before...] { journaled.append((r, bus.arn)) } }
                results.append(.init(eventId: event.id))
            }
        }
        let ticket = archived.submit().and(journal?.accepted(journaled, at: now) ?? .none)
        scheduler.enqueue(requests)
        tally.add(to: counters)
        return (PutEventsResult(entries: results), ticket)
    }

    /// A per-entry failure: an AWS error code and a message.
    public struct EntryError: Error, Sendable, Hashable {
        public var code: String
        public var message: String
    }

    /// Validates one entry and makes its event (does not put it). The sender is the entry's
    /// `Account`, else `account`, else the default account; the event's `account` is the sender.
    public func makeEvent(_ entry: PutEventsEntry, now: Timestamp, account: String? = nil) -> Result<(Event, String), EntryError> {
        var lookup = EntryLookup()
        return validate(entry, now: now, account: account, lookup: &lookup).map { ($0.0, $0.1.arn) }
    }

    /// What the entries of one PutEvents call share, looked up once: the last bus found by
    /// (`EventBusName`, sender), and the text of the call's time.
    private struct EntryLookup {
        var busKey: (name: String?, account: String)?
        var bus: BusHandle?
        var now: (time: Timestamp, text: String)?
        /// The last sender found to be a 12-digit account id.
        var validSender: String?
        /// The compact text of the entry's detail (``JSONCompactText/compact(_:into:)``).
        var compactDetail: [UInt8] = []
    }

    /// ``makeEvent(_:now:account:)`` with the bus itself.
    private func validate(_ entry: PutEventsEntry, now: Timestamp, account: String?, lookup: inout EntryLookup) -> Result<(Event, BusHandle), EntryError> {
        func fail(_ code: String, _ message: String) -> Result<(Event, BusHandle), EntryError> { .failure(EntryError(code: code, message: message)) }
        guard let source = entry.source, !source.isEmpty else { return fail("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.") }
        guard let detailType = entry.detailType, !detailType.isEmpty else { return fail("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.") }
        guard let detailText = entry.detail else { return fail("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.") }
        if source.hasPrefix("aws.") { return fail("NotAuthorizedForSourceException", "Not authorized for the source \(source); custom events may not use a source starting with 'aws.'") }
        let size = entry.size
        if size > configuration.maximumEventSize {
            return fail("InvalidArgument", "Event size \(size) bytes exceeds the limit of \(configuration.maximumEventSize) bytes (counted as EventBridge does: Source, DetailType, Detail, Resources, plus 14 for Time)")
        }
        // The detail stays text when it is already (or, without whitespace, becomes) exactly what
        // serialising its parsed value would write; otherwise it is parsed, with the parser's errors.
        // The compact text goes to the call's scratch buffer, read once.
        let compactCount = JSONCompactText.compact(detailText, into: &lookup.compactDetail)
        var detail: JSONValue?
        if compactCount == nil {
            let parsed: JSONValue
            do { parsed = try JSONParser.parse(detailText) } catch {
                return fail("MalformedDetail", "Detail is malformed: \(error)")
            }
            guard case .object = parsed else { return fail("MalformedDetail", "Detail must be a JSON object, not \(parsed.kindName)") }
            detail = parsed
        }
        var time = now
        if let t = entry.time {
            do { time = try Timestamp.parse(iso8601: t) } catch { return fail("InvalidArgument", "Parameter Time is not valid: \(error)") }
        }
        let sender = entry.account ?? account ?? defaults.account
        if sender != lookup.validSender {
            guard ARN.isAccountID(sender) else { return fail("InvalidArgument", "Parameter Account is not valid: '\(sender)' is not a 12-digit account id") }
            lookup.validSender = sender
        }
        let found: BusHandle?
        if let key = lookup.busKey, key.name == entry.eventBusName, key.account == sender {
            found = lookup.bus
        } else {
            found = bus(for: entry.eventBusName, account: sender)
            lookup.busKey = (entry.eventBusName, sender)
            lookup.bus = found
        }
        guard let bus = found else {
            let name = entry.eventBusName ?? RouterDefaults.defaultBusName
            // The bus's account: the ARN's when the entry names one, else the sender's.
            let given = name.hasPrefix("arn:") ? try? ARN(parsing: name) : nil
            let owner = given?.account ?? sender
            var message = "Event bus \(given?.name ?? name) does not exist in account \(owner)"
            if let given, given.kind != .eventBus { message = "EventBusName \(name) is not an event-bus ARN (it names a \(given.kind.rawValue))" }
            let names = busArns.compactMap { try? ARN(parsing: $0) }.filter { $0.account == owner }.map(\.name)
            if let hint = DidYouMean.suggestion(for: name, among: names) { message += " (did you mean '\(hint)'?)" }
            return fail("ResourceNotFoundException", message)
        }
        // The bus's own account may always put (BusAccess.evaluate's first rule), without a policy look-up.
        if sender != bus.policyAccount {
            let decision = access.decidePut(account: sender, busArn: bus.arn, busAccount: bus.policyAccount, source: source, detailType: detailType)
            guard decision.allowed else { return fail("AccessDeniedException", decision.reason) }
        }
        let event: Event
        if let compactCount {
            let text: String
            if let cached = lookup.now, cached.time == time {
                text = cached.text
            } else {
                text = timeText.text(for: time)
                if time == now { lookup.now = (time, text) }
            }
            // A UUID, a 12-digit account (checked above) and an ISO-8601 time need no escape.
            let id = random.uuid()
            event = lookup.compactDetail.withUnsafeBufferPointer { scratch in
                Event(id: id, detailType: detailType, source: source, account: sender, time: time, timeText: text, region: bus.region,
                      resources: entry.resources, compactDetail: UnsafeBufferPointer(rebasing: scratch[..<compactCount]))
            }
        } else {
            event = Event(id: random.uuid(), detailType: detailType, source: source, account: sender, time: time, region: bus.region,
                          resources: entry.resources, detail: detail ?? .object(JSONObject()))
        }
        return .success((event, bus))
    }

    /// Puts a full event envelope (a replay line or a forwarded event) on a bus.
    /// - Parameter options: how it arrives (forwarded from a bus; replayed to some rules only).
    /// - Throws: ``EventRouterError`` when the bus does not exist or the event is too large.
    public func put(_ event: Event, onBus busArn: String? = nil, options: BusPutOptions = BusPutOptions()) throws(EventRouterError) {
        let arn = busArn ?? ARN.eventBus(RouterDefaults.defaultBusName, account: event.account, region: event.region).description
        guard let bus = bus(arn: arn) else {
            RouterCounters.add(counters.rejected, 1)
            throw EventRouterError(.notFound, "event bus \(arn) does not exist")
        }
        let size = event.size
        if size > configuration.maximumEventSize {
            RouterCounters.add(counters.rejected, 1)
            throw EventRouterError(.validation, "event size \(size) bytes exceeds the limit of \(configuration.maximumEventSize) bytes")
        }
        var requests: [DeliveryRequest] = []
        var matched: [BusRuleSet.Entry] = []
        var tally = Tally()
        var archived = ArchiveJournalBatch()
        accept(event, bus: bus, at: clock.now, options: options, matched: &matched, tally: &tally, into: &requests, archived: &archived)
        StateJournalTickets.note(archived.submit())
        scheduler.enqueue(requests)
        tally.add(to: counters)
    }

    /// Counts of one call, added to the shared counters once.
    struct Tally {
        var rejected = 0, accepted = 0, matchedEvents = 0, ruleMatches = 0, deliveriesScheduled = 0, forwardsSuppressed = 0

        func add(to counters: RouterCounters) {
            RouterCounters.add(counters.rejected, rejected)
            RouterCounters.add(counters.accepted, accepted)
            RouterCounters.add(counters.matchedEvents, matchedEvents)
            RouterCounters.add(counters.ruleMatches, ruleMatches)
            RouterCounters.add(counters.deliveriesScheduled, deliveriesScheduled)
            RouterCounters.add(counters.forwardsSuppressed, forwardsSuppressed)
        }
    }

    /// Matches an accepted event and adds one delivery per (matched rule, target) to `requests`.
    /// `matched` is scratch space for the matched rules.
    func accept(_ event: Event, bus: BusHandle, at now: Timestamp, options: BusPutOptions = BusPutOptions(),
                        matched: inout [BusRuleSet.Entry], tally: inout Tally, into requests: inout [DeliveryRequest],
                        archived: inout ArchiveJournalBatch) {
        let busArn = bus.arn
        let snapshot = bus.current()
        configuration.matchingHook?(busArn)
        snapshot.matchingRules(for: event, into: &matched)
        if let only = options.ruleFilter { matched = matched.filter { only.contains($0.arn) } }
        // Events delivered again after a restart were archived when first accepted.
        if !options.redelivery { archives.receive(event.json, text: event.jsonText, busArn: busArn, receivedAt: now, into: &archived) }
        var suppressed = 0
        matchObserver?(event, busArn, matched.map(\.rule))
        let before = requests.count
        for entry in matched {
            for route in entry.routes {
                guard options.allowsTarget(route.targetArn.description) else { suppressed += 1; continue }  // one hop
                let body: Result<String, EventRouterError>
                if case .event = route.input {
                    body = .success(event.jsonText)
                } else {
                    let context = InputContext(event: event, ruleArn: entry.arn, ruleName: entry.rule.name, ingestionTime: now)
                    do { body = .success(try route.input.render(context)) } catch { body = .failure(error) }
                }
                requests.append(DeliveryRequest(event: event, route: route, body: body, acceptedAt: now))
            }
        }
        tally.accepted += 1
        if !matched.isEmpty { tally.matchedEvents += 1 }
        tally.ruleMatches += matched.count
        tally.deliveriesScheduled += requests.count - before
        tally.forwardsSuppressed += suppressed
    }
}
