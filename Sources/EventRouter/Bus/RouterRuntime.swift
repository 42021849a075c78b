/// A router with its resources built from a workspace: the queues, the queue target, and
/// the state JSON of the contract. What `replay` (and later `serve`) runs.
public struct RouterRuntime: Sendable {
    public let router: Router
    public let queues: QueueRegistry

    /// Builds the queues of `workspace` and a router over them.
    /// - Throws: ``EventRouterError`` when a queue cannot be created (the validator normally catches this first).
    public init(workspace: Workspace, clock: any EventClock, seed: UInt64, configuration: Router.Configuration = .init(),
                observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil, matchObserver: Router.MatchObserver? = nil) throws(EventRouterError) {
        let clock = configuration.delivery.virtualClock ?? clock
        let queues = QueueRegistry(clock: clock, seed: seed)
        do {
            _ = try queues.createQueues(workspace.queues.map(\.configuration))
        } catch {
            throw EventRouterError(.validation, "cannot create the workspace's queues: \(error)")
        }
        let targets = TargetRegistry()
        let queueTarget = QueueTarget(queues: queues)
        targets.registerProvider(forService: "sqs") { _ in queueTarget }
        self.queues = queues
        self.router = Router(workspace: workspace, clock: clock, random: SharedRandom(seed: seed), targets: targets,
                             configuration: configuration, observer: observer, matchObserver: matchObserver)
    }

    /// The state JSON: `{"queues": …, "streams": {}, "functions": {}, "deliveries": {…}}`.
    public func stateJSON() -> JSONValue {
        .object(JSONObject([
            .init(key: "queues", value: queues.stateJSON()),
            .init(key: "streams", value: .object(JSONObject())),
            .init(key: "functions", value: .object(JSONObject())),
            .init(key: "deliveries", value: router.scheduler.statistics.json),
            .init(key: "archives", value: router.archives.stateJSON()),
        ]))
    }
}
