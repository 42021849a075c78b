import EventRouter

/// Amazon EventBridge over JSON 1.1 (`X-Amz-Target: AWSEvents.<Operation>`), served from the
/// runtime's router: what a put over the wire does is exactly what `replay` does with an entry.
///
/// Buses, rules and targets made through the API live in the same ``Router`` as those of the
/// workspace's rule files, checked by the same readers (``DefinitionReader``, ``ArchiveDefinition``,
/// ``BusPolicy``). Names resolve in the caller's account and the router's default region.
public struct EventBridgeService: AWSService {
    public let name = "events"
    public let xmlNamespace = ""
    /// The runtime whose buses, rules and archives this service reads and changes.
    public let runtime: RouterRuntime
    let store: EventBridgeStore

    /// - Parameter runtime: the running router (its clock, buses, targets and archives).
    public init(runtime: RouterRuntime) {
        self.runtime = runtime
        self.store = EventBridgeStore(started: runtime.router.clock.now, metadata: runtime.resourceMetadata)
    }

    var router: Router { runtime.router }
    var region: String { router.defaults.region }

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        let input = call.input, account = call.caller.account
        let payload: JSONValue
        switch call.operation {
        case "PutEvents":
            let (payload, ticket) = try putEvents(input, account: account)
            return .whenStored(.json(payload), ticket) { .events(Router.eventsNotStored($0)) }
        case "TestEventPattern": payload = try testEventPattern(input)
        case "PutRule": payload = try await stored { () throws(AWSError) -> JSONValue in try putRule(input, account: account) }
        case "DescribeRule": payload = try describeRule(input, account: account)
        case "ListRules": payload = try listRules(input, account: account)
        case "DeleteRule": payload = try await stored { () throws(AWSError) -> JSONValue in try deleteRule(input, account: account) }
        case "EnableRule": payload = try await stored { () throws(AWSError) -> JSONValue in try setRuleEnabled(true, input, account: account) }
        case "DisableRule": payload = try await stored { () throws(AWSError) -> JSONValue in try setRuleEnabled(false, input, account: account) }
        case "ListRuleNamesByTarget": payload = try listRuleNamesByTarget(input, account: account)
        case "PutTargets": payload = try await stored { () throws(AWSError) -> JSONValue in try putTargets(input, account: account) }
        case "RemoveTargets": payload = try await stored { () throws(AWSError) -> JSONValue in try removeTargets(input, account: account) }
        case "ListTargetsByRule": payload = try listTargetsByRule(input, account: account)
        case "CreateEventBus": payload = try await stored { () throws(AWSError) -> JSONValue in try createEventBus(input, account: account) }
        case "DescribeEventBus": payload = try describeEventBus(input, account: account)
        case "ListEventBuses": payload = try listEventBuses(input, account: account)
        case "DeleteEventBus": payload = try await stored { () throws(AWSError) -> JSONValue in try deleteEventBus(input, account: account) }
        case "PutPermission": payload = try await stored { () throws(AWSError) -> JSONValue in try putPermission(input, account: account) }
        case "RemovePermission": payload = try await stored { () throws(AWSError) -> JSONValue in try removePermission(input, account: account) }
        case "CreateArchive": payload = try await archiveStoring { () throws(AWSError) -> JSONValue in try createArchive(input, account: account) }
        case "DescribeArchive": payload = try describeArchive(input, account: account)
        case "ListArchives": payload = try listArchives(input, account: account)
        case "UpdateArchive": payload = try await archiveStoring { () throws(AWSError) -> JSONValue in try updateArchive(input, account: account) }
        case "DeleteArchive": payload = try await archiveStoring { () throws(AWSError) -> JSONValue in try deleteArchive(input, account: account) }
        case "StartReplay": payload = try await archiveStoring { () throws(AWSError) -> JSONValue in try startReplay(input, account: account) }
        case "DescribeReplay": payload = try describeReplay(input, account: account)
        case "ListReplays": payload = try listReplays(input, account: account)
        case "CancelReplay": payload = try await archiveStoring { () throws(AWSError) -> JSONValue in try cancelReplay(input, account: account) }
        case "TagResource": payload = try await stored { () throws(AWSError) -> JSONValue in try tagResource(input) }
        case "UntagResource": payload = try await stored { () throws(AWSError) -> JSONValue in try untagResource(input) }
        case "ListTagsForResource": payload = try listTagsForResource(input)
        case "CreateConnection": payload = try await stored { () throws(AWSError) -> JSONValue in try createConnection(input, account: account) }
        case "DescribeConnection": payload = try describeConnection(input, account: account)
        case "ListConnections": payload = try listConnections(input, account: account)
        case "UpdateConnection": payload = try await stored { () throws(AWSError) -> JSONValue in try updateConnection(input, account: account) }
        case "DeleteConnection": payload = try await stored { () throws(AWSError) -> JSONValue in try deleteConnection(input, account: account) }
        case "CreateApiDestination": payload = try await stored { () throws(AWSError) -> JSONValue in try createApiDestination(input, account: account) }
        case "DescribeApiDestination": payload = try describeApiDestination(input, account: account)
        case "ListApiDestinations": payload = try listApiDestinations(input, account: account)
        case "UpdateApiDestination": payload = try await stored { () throws(AWSError) -> JSONValue in try updateApiDestination(input, account: account) }
        case "DeleteApiDestination": payload = try await stored { () throws(AWSError) -> JSONValue in try deleteApiDestination(input, account: account) }
        default: throw .unknownOperation(call.operation, service: name, protocol: call.protocol)
        }
        return .json(payload)
    }

    /// Runs a change's synchronous work; with a data directory, answers once its records are stored.
    func stored(_ body: () throws(AWSError) -> JSONValue) async throws(AWSError) -> JSONValue {
        try await AWSError.storing(journaled: runtime.resourceMetadata.isJournaled, body)
    }

    /// Waits until every replay started so far has ended (replays run in the background).
    public func waitForReplays() async { await runtime.archiveReplays.started.waitForReplays() }

    /// Runs an archive or replay change, answered once its records are stored (with a data directory).
    private func archiveStoring(_ body: () throws(AWSError) -> JSONValue) async throws(AWSError) -> JSONValue {
        try await AWSError.storing(journaled: router.archives.isJournaled, body)
    }

    // MARK: - Resolving names

    /// The ARN of the existing bus of `account` an `EventBusName` (name or ARN; absent = `default`) names.
    /// - Throws: `ResourceNotFoundException` when it does not exist, `AccessDeniedException` for
    ///   another account's bus.
    ///   With `foreign`, a bus of another account is resolved too (its policy decides later).
    func busArn(_ nameOrArn: String?, account: String, foreign: Bool = false) throws(AWSError) -> String {
        let arn: String
        if let nameOrArn, nameOrArn.hasPrefix("arn:") {
            guard let bus = BusReference(arn: nameOrArn) else {
                throw .validation("Parameter EventBusName is not valid: '\(nameOrArn)' is not an event bus ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)")
            }
            guard bus.account == account || foreign else {
                throw AWSError(code: "AccessDeniedException",
                               message: "account \(account) cannot manage \(bus.arn), a bus of account \(bus.account): permissions, archives and the bus itself are managed by the bus's own account (other accounts may PutEvents and manage rules on it, as its policy allows)")
            }
            arn = bus.arn
        } else {
            arn = ARN.eventBus(nameOrArn ?? RouterDefaults.defaultBusName, account: account, region: region).description
        }
        guard router.hasBus(arn: arn) else {
            throw .notFound("Event bus \(BusReference(arn: arn)?.name ?? arn) does not exist.")
        }
        return arn
    }

    /// The rule `name` on the bus `EventBusName` names; with `action`, the bus may be another
    /// account's, whose policy must allow `action` on the rule for `account`.
    /// - Throws: `ResourceNotFoundException` when the bus or the rule does not exist,
    ///   `AccessDeniedException` when the bus's policy refuses.
    func rule(_ input: JSONInput, nameKey: String = "Name", account: String, action: String? = nil) throws(AWSError) -> RuleDefinition {
        let name = try input.string(nameKey, required: true) ?? ""
        let bus = try busArn(try input.string("EventBusName"), account: account, foreign: action != nil)
        if let action, BusReference(arn: bus)?.account != account, let ref = BusReference(arn: bus) {
            let existing = router.rule(named: name, busArn: bus)
            try authorize(BusRequest(action: action, account: account, resource: ARN.rule(name, bus: ref.name, account: ref.account, region: ref.region).description,
                                     creatorAccount: existing?.creator), busArn: bus)
        }
        guard let rule = router.rule(named: name, busArn: bus) else {
            var message = "Rule \(name) does not exist on EventBus \(BusReference(arn: bus)?.name ?? bus)."
            if let hint = DidYouMean.suggestion(for: name, among: router.rules(onBus: bus).map(\.name)) { message += " Did you mean '\(hint)'?" }
            throw .notFound(message)
        }
        return rule
    }

    /// Refuses `request` with `AccessDeniedException` unless the policy of the bus `busArn` allows it.
    func authorize(_ request: BusRequest, busArn: String) throws(AWSError) {
        let decision = router.access.decide(request, busArn: busArn)
        guard decision.allowed else { throw AWSError(code: "AccessDeniedException", message: decision.reason) }
    }

    /// The buses of `account`, sorted by name.
    func buses(of account: String) -> [BusReference] {
        router.busArns.compactMap(BusReference.init(arn:)).filter { $0.account == account }.sorted { $0.name < $1.name }
    }
}
