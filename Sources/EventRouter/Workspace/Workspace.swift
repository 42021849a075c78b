/// A loaded, validated workspace: the buses, queues and rules of every rule file.
///
/// Made only by ``WorkspaceLoader`` when the files have no errors, so a router never runs a
/// half-applied broken workspace.
public struct Workspace: Sendable {
    public var defaults: RouterDefaults
    /// Every bus, including each account's implicit `default` bus.
    public var buses: [BusDefinition]
    public var queues: [QueueDeclaration]
    public var rules: [RuleDefinition]
    /// Kinesis data streams (`Streams`).
    public var streams: [StreamDeclaration] = []
    /// SNS topics (`Topics`) with their subscriptions.
    public var topics: [TopicDeclaration] = []
    /// Handler functions (`Functions/*/function.json`).
    public var functions: [FunctionManifest] = []
    /// Declared resources of kinds this version validates but does not run yet.
    public var declarations: [ResourceDeclaration]
    /// Every account the workspace knows.
    public var accounts: [String]
    /// Warnings found while loading.
    public var warnings: [ValidationProblem]
    /// Declared accounts with their organizations (`Accounts`).
    public var accountDefinitions: [AccountDefinition] = []
    /// Archives (`Archives`).
    public var archives: [ArchiveDefinition] = []
    /// `--stand-in-queue`: the queue that receives deliveries to targets EventRouter does not run.
    public var standIn: StandInQueueSetting?
    /// Firehose delivery streams (`DeliveryStreams`).
    public var deliveryStreams: [DeliveryStreamDeclaration] = []
    /// Where delivery streams write their buckets (`ROOT/BUCKET/KEY`); `nil` keeps objects in memory.
    public var objectStoreDirectory: String?
    /// Connections of API destinations (`Connections`).
    public var connections: [ConnectionDefinition] = []
    /// API destinations (`ApiDestinations`).
    public var apiDestinations: [ApiDestinationDefinition] = []
    /// CloudWatch Logs log groups (`LogGroups`).
    public var logGroups: [LogGroupDeclaration] = []
    /// Where the runtime keeps log groups: a logs folder (`run`: the data directory's `logs/`
    /// or `--logs-dir`; `replay --logs-dir`), or `nil` for memory.
    public var logsDirectory: String?

    /// Each declared account's Lambda concurrency limit (`ConcurrentExecutions`), by account id.
    public var concurrencyLimits: [String: Int] {
        var limits: [String: Int] = [:]
        for a in accountDefinitions { if let l = a.concurrentExecutions { limits[a.id] = l } }
        return limits
    }

    public init(defaults: RouterDefaults = RouterDefaults(), buses: [BusDefinition] = [], queues: [QueueDeclaration] = [],
                rules: [RuleDefinition] = [], declarations: [ResourceDeclaration] = [], accounts: [String] = [],
                warnings: [ValidationProblem] = []) {
        self.defaults = defaults
        self.buses = buses
        self.queues = queues
        self.rules = rules
        self.declarations = declarations
        self.accounts = accounts
        self.warnings = warnings
    }
}
