import Synchronization

/// The router: event buses with their rules, PutEvents, and hand-off to the delivery engine.
///
/// ```swift
/// let router = Router(workspace: workspace, clock: clock, random: SharedRandom(seed: 1))
/// let result = try router.putEvents([PutEventsEntry(source: "shop", detailType: "OrderPlaced", detail: "{}")])
/// await router.scheduler.runUntilSettled()
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

        public init(maximumEventSize: Int = EventSize.defaultLimit, delivery: DeliveryScheduler.Configuration = .init()) {
            self.maximumEventSize = maximumEventSize
            self.delivery = delivery
        }
    }

    /// Observes matching (for `--trace`): the event, its bus ARN and the rules it matched.
    public typealias MatchObserver = @Sendable (_ event: Event, _ busArn: String, _ rules: [RuleDefinition]) -> Void

    private struct State {
        var buses: [String: BusRuleSet] = [:]
        var statistics = RouterStatistics()
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
    private let state = Mutex(State())

    /// A router with the buses and rules of `workspace`.
    /// - Parameters:
    ///   - targets: where deliveries go; register queue and other targets here.
    ///   - observer: told about every delivery attempt, retry, dead-letter and drop.
    ///   - matchObserver: told about every accepted event and the rules it matched.
    public init(workspace: Workspace = Workspace(), clock: any EventClock, random: SharedRandom, targets: TargetRegistry = TargetRegistry(),
                configuration: Configuration = Configuration(), observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil,
                matchObserver: MatchObserver? = nil) {
        self.defaults = workspace.defaults
        self.clock = configuration.delivery.virtualClock ?? clock
        self.random = random
        self.targets = targets
        self.configuration = configuration
        self.matchObserver = matchObserver
        self.access = BusAccessControl(workspace: workspace)
        self.archives = ArchiveRegistry(clock: configuration.delivery.virtualClock ?? clock, archives: workspace.archives)
        self.scheduler = DeliveryScheduler(clock: clock, random: random, targets: targets, configuration: configuration.delivery, observer: observer)
        var buses: [String: BusRuleSet] = [:]
        buses[ARN.eventBus(RouterDefaults.defaultBusName, account: defaults.account, region: defaults.region).description] =
            BusRuleSet(account: defaults.account, region: defaults.region)
        for bus in workspace.buses { buses[bus.arn] = BusRuleSet(account: bus.account, region: bus.region) }
        for rule in workspace.rules {
            buses[rule.busArn, default: BusRuleSet(account: rule.account, region: rule.region)].add(rule)
        }
        state.withLock { $0.buses = buses }
        // Bus forwarding and bus destinations: resolved by ARN like every other target kind.
        targets.registerProvider(forService: "events") { [self] arn in arn.kind == .eventBus ? BusTarget(router: self) : nil }
    }

    // MARK: - Buses and rules

    /// Creates a bus (no-op if it exists).
    public func createBus(_ name: String, account: String? = nil, region: String? = nil) {
        let account = account ?? defaults.account, region = region ?? defaults.region
        let arn = ARN.eventBus(name, account: account, region: region).description
        state.withLock { s in if s.buses[arn] == nil { s.buses[arn] = BusRuleSet(account: account, region: region) } }
    }

    /// Adds or replaces a rule on its bus.
    /// - Throws: ``EventRouterError`` (`NotFound`) when the rule's bus does not exist.
    public func putRule(_ rule: RuleDefinition) throws(EventRouterError) {
        let ok = state.withLock { s -> Bool in
            guard s.buses[rule.busArn] != nil else { return false }
            s.buses[rule.busArn]?.add(rule)
            return true
        }
        if !ok { throw EventRouterError(.notFound, "event bus \(rule.busArn) does not exist") }
    }

    /// Removes a rule; returns whether it existed.
    @discardableResult
    public func removeRule(named name: String, busArn: String) -> Bool {
        state.withLock { $0.buses[busArn]?.remove(named: name) ?? false }
    }

    /// The ARNs of every bus, sorted.
    public var busArns: [String] { state.withLock { $0.buses.keys.sorted() } }

    /// The counters so far.
    public var statistics: RouterStatistics { state.withLock { $0.statistics } }

    /// Resolves a PutEvents `EventBusName` (name or ARN; `nil` = default) to a bus ARN; a name
    /// is a bus of `account` (default: the default account).
    public func busArn(for nameOrArn: String?, account: String? = nil) -> String? {
        let arn: String
        if let nameOrArn, nameOrArn.hasPrefix("arn:") {
            guard let parsed = try? ARN(parsing: nameOrArn), parsed.kind == .eventBus else { return nil }
            arn = parsed.description
        } else {
            arn = ARN.eventBus(nameOrArn ?? RouterDefaults.defaultBusName, account: account ?? defaults.account, region: defaults.region).description
        }
        return state.withLock { $0.buses[arn] != nil } ? arn : nil
    }

    // MARK: - PutEvents

    /// PutEvents: validates each entry alone, puts the valid ones on their buses, and returns
    /// one result per entry in order.
    ///
    /// Unlike AWS, which accepts events for a bus that does not exist and drops them, an unknown
    /// bus is a per-entry `ResourceNotFoundException` here, so a typo does not hide.
    /// An entry for a bus of another account is refused (`AccessDeniedException`) unless that
    /// bus's policy allows the sending account: `account`, or the entry's own `Account`.
    /// - Throws: ``EventRouterError`` (`ValidationException`) when there are not 1 to 10 entries.
    public func putEvents(_ entries: [PutEventsEntry], account: String? = nil) throws(EventRouterError) -> PutEventsResult {
        guard (1...10).contains(entries.count) else {
            throw EventRouterError(.validation, "PutEvents takes 1 to 10 entries; this request has \(entries.count)")
        }
        let now = clock.now
        var results: [PutEventsResult.Entry] = []
        results.reserveCapacity(entries.count)
        for entry in entries {
            switch makeEvent(entry, now: now, account: account) {
            case .failure(let failure):
                state.withLock { $0.statistics.rejected += 1 }
                results.append(.init(errorCode: failure.code, errorMessage: failure.message))
            case .success(let (event, busArn)):
                accept(event, busArn: busArn, at: now)
                results.append(.init(eventId: event.id))
            }
        }
        return PutEventsResult(entries: results)
    }

    /// A per-entry failure: an AWS error code and a message.
    public struct EntryError: Error, Sendable, Hashable {
        public var code: String
        public var message: String
    }

    /// Validates one entry and makes its event (does not put it). The sender is the entry's
    /// `Account`, else `account`, else the default account; the event's `account` is the sender.
    public func makeEvent(_ entry: PutEventsEntry, now: Timestamp, account: String? = nil) -> Result<(Event, String), EntryError> {
        func fail(_ code: String, _ message: String) -> Result<(Event, String), EntryError> { .failure(EntryError(code: code, message: message)) }
        guard let source = entry.source, !source.isEmpty else { return fail("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.") }
        guard let detailType = entry.detailType, !detailType.isEmpty else { return fail("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.") }
        guard let detailText = entry.detail else { return fail("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.") }
        if source.hasPrefix("aws.") { return fail("NotAuthorizedForSourceException", "Not authorized for the source \(source); custom events may not use a source starting with 'aws.'") }
        let size = entry.size
        if size > configuration.maximumEventSize {
            return fail("InvalidArgument", "Event size \(size) bytes exceeds the limit of \(configuration.maximumEventSize) bytes (counted as EventBridge does: Source, DetailType, Detail, Resources, plus 14 for Time)")
        }
        let detail: JSONValue
        do { detail = try JSONParser.parse(detailText) } catch {
            return fail("MalformedDetail", "Detail is malformed: \(error)")
        }
        guard case .object = detail else { return fail("MalformedDetail", "Detail must be a JSON object, not \(detail.kindName)") }
        var time = now
        if let t = entry.time {
            do { time = try Timestamp.parse(iso8601: t) } catch { return fail("InvalidArgument", "Parameter Time is not valid: \(error)") }
        }
        let sender = entry.account ?? account ?? defaults.account
        guard ARN.isAccountID(sender) else { return fail("InvalidArgument", "Parameter Account is not valid: '\(sender)' is not a 12-digit account id") }
        guard let busArn = busArn(for: entry.eventBusName, account: sender) else {
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
        let decision = access.decide(account: sender, busArn: busArn)
        guard decision.allowed else { return fail("AccessDeniedException", decision.reason) }
        let region = state.withLock { s in s.buses[busArn]?.region } ?? defaults.region
        let event = Event(id: random.uuid(), detailType: detailType, source: source, account: sender, time: time, region: region,
                          resources: entry.resources, detail: detail)
        return .success((event, busArn))
    }

    /// Puts a full event envelope (a replay line or a forwarded event) on a bus.
    /// - Parameter options: how it arrives (forwarded from a bus; replayed to some rules only).
    /// - Throws: ``EventRouterError`` when the bus does not exist or the event is too large.
    public func put(_ event: Event, onBus busArn: String? = nil, options: BusPutOptions = BusPutOptions()) throws(EventRouterError) {
        let arn = busArn ?? ARN.eventBus(RouterDefaults.defaultBusName, account: event.account, region: event.region).description
        guard state.withLock({ $0.buses[arn] != nil }) else {
            state.withLock { $0.statistics.rejected += 1 }
            throw EventRouterError(.notFound, "event bus \(arn) does not exist")
        }
        let size = event.size
        if size > configuration.maximumEventSize {
            state.withLock { $0.statistics.rejected += 1 }
            throw EventRouterError(.validation, "event size \(size) bytes exceeds the limit of \(configuration.maximumEventSize) bytes")
        }
        accept(event, busArn: arn, at: clock.now, options: options)
    }

    /// Matches an accepted event and schedules one delivery per (matched rule, target).
    private func accept(_ event: Event, busArn: String, at now: Timestamp, options: BusPutOptions = BusPutOptions()) {
        var matched = state.withLock { $0.buses[busArn]?.matchingRules(for: event) } ?? []
        if let only = options.ruleFilter { matched = matched.filter { only.contains($0.arn) } }
        archives.receive(event.json, text: event.jsonText, busArn: busArn, receivedAt: now)
        var suppressed = 0
        matchObserver?(event, busArn, matched.map(\.rule))
        var requests: [DeliveryRequest] = []
        for entry in matched {
            let rule = entry.rule
            let ruleArn = entry.arn
            let context = InputContext(event: event, ruleArn: ruleArn, ruleName: rule.name, ingestionTime: now)
            for target in rule.targets {
                guard options.allowsTarget(target.arn) else { suppressed += 1; continue }  // one hop
                let body: Result<String, EventRouterError>
                do { body = .success(try target.input.render(context)) } catch { body = .failure(error) }
                requests.append(DeliveryRequest(
                    event: event, ruleArn: ruleArn, targetId: target.id, targetArn: target.arn, body: body, policy: target.retryPolicy,
                    deadLetterArn: target.deadLetterArn, messageGroupId: target.messageGroupId, partitionKeyPath: target.partitionKeyPath,
                    acceptedAt: now))
            }
        }
        state.withLock { s in
            s.statistics.accepted += 1
            if !matched.isEmpty { s.statistics.matchedEvents += 1 }
            s.statistics.ruleMatches += matched.count
            s.statistics.deliveriesScheduled += requests.count
            s.statistics.forwardsSuppressed += suppressed
        }
        scheduler.enqueue(requests)
    }
}
