import EventRouter
import EventRouterStorage
import Synchronization

/// Why the router cannot be served, saying what to change.
public struct RouterServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A workspace served as a local AWS endpoint: the one ``RouterRuntime`` on its clock, the
/// EventBridge, SQS, SNS, Kinesis, Lambda and STS services behind an ``AWSEndpoint`` (callers' accounts from the
/// workspace's `Accounts[].AccessKeys` and any extra key files), the admin endpoints, and the
/// ``HTTPServer`` — what `eventrouter run` starts.
///
/// ```swift
/// let router = try RouterServer(workspace: workspace, options: options)
/// await router.run { print("eventrouter listening on http://127.0.0.1:\(router.port)") }
/// // elsewhere (SIGTERM, POST /_eventrouter/shutdown): router.shutdown()
/// ```
///
/// ``run(onReady:)`` stops in this order: stop accepting, finish the requests in flight, stop
/// the time driver, stop the function engines and their workers. (A command then kills any
/// handler process group left with `ProcessGroupRegistry.shared.killAll()`: that registry is
/// the whole process's, so a library type never calls it.)
public final class RouterServer: Sendable {
    /// How the router is served.
    public struct Options: Sendable {
        /// The address to bind (loopback by default).
        public var host = "127.0.0.1"
        /// The port; 0 picks a free one (``RouterServer/port``).
        public var port = 4566
        /// Verify SigV4 signatures and refuse keys mapped to no account.
        public var strictAuth = false
        /// Accounts declared outside the workspace (e.g. an `--access-keys` file), with a name
        /// for each source used in problems.
        public var extraAccounts: [(origin: String, accounts: [AccountDefinition])] = []
        /// Whether `POST /_eventrouter/shutdown` stops the router (403 otherwise).
        public var allowRemoteShutdown = false
        /// Called when a remote shutdown was requested, right after the stop began (`run` starts
        /// its exit watchdog there, as for SIGTERM).
        public var onRemoteShutdown: (@Sendable () -> Void)?
        /// Where the runtime's log records go (and, with ``logRequests``, one record per request).
        public var log: any LogSink = DiscardingLogSink()
        /// Log each request at debug level (method, path, operation, status).
        public var logRequests = false
        /// The compiled-in Swift handlers.
        public var functionRegistry = SwiftFunctionRegistry()
        /// The seed of the runtime's jitter and ids.
        public var seed: UInt64 = 0
        /// The clock the runtime is driven on (the real clock for `eventrouter run`).
        public var clock: DriveClock = .real(SystemClock())
        /// The delays before retries 1 and 2 of failed asynchronous invocations, and the first
        /// throttle backoff (`nil`: Lambda's 1 min and 2 min, and 1 s).
        public var asyncRetryDelays: [Duration]?
        /// How long shutdown waits for requests in flight.
        public var shutdownGracePeriod: Duration = .seconds(8)
        /// Where data lives: in memory, or a data directory held (locked) while the router lives.
        public var storage: RouterStorage = .inMemory
        /// Bytes of journal records after which a snapshot is taken (and the journal compacted).
        public var journalSnapshotBytes = 64 << 20
        /// The journal's file operations (tests inject failures such as ENOSPC); nil: the system's.
        public var journalFileOperations: (any JournalFileOperations)?
        /// Hot reload of the workspace's files (`nil`: the files are read once; docs/hot-reload.md).
        public var watch: WorkspaceWatcher.Options?

        public init() {}
    }

    /// The running engine.
    public let runtime: RouterRuntime
    /// The access keys callers are mapped by.
    public let keys: AccessKeyTable
    /// Where data lives (the engine's state does not go through it yet: docs/durability.md).
    public let storage: RouterStorage
    /// Which resources come from the workspace's files (the rest were created through the API).
    public let origins: ResourceOrigins
    /// The hot-reload watcher, with ``Options/watch``.
    public let watcher: WorkspaceWatcher?
    /// The port bound.
    public var port: Int { server.port }
    /// Whether connections are accepted.
    public var isReady: Bool { server.isReady }

    /// What ``run(onReady:)`` is doing: `serving`, `finishing requests in flight`, `stopping the
    /// time driver`, `stopping the function engines`, `stopped` (for a shutdown that takes too long).
    public var stage: String { stageText.withLock { $0 } }

    private let server: HTTPServer
    private let journalAdapter = Mutex<JournalStateAdapter?>(nil)
    private let journalOptions: (snapshotBytes: Int, fileOperations: (any JournalFileOperations)?, log: any LogSink)
    private let readyAction = LateBinding()
    private let stageText = Mutex("not started")

    /// Builds the runtime and the endpoint and binds the port (connections queue until ``run(onReady:)``).
    /// - Throws: ``RouterServerError`` when an access key acts for two accounts, `strictAuth` has
    ///   no keys, the runtime cannot be built, or the address cannot be bound.
    public init(workspace: Workspace, options: Options) throws(RouterServerError) {
        let sources = [("the workspace's Accounts", workspace.accountDefinitions)] + options.extraAccounts
        let (keys, conflicts) = AccessKeyTable.build(sources, defaultAccount: workspace.defaults.account)
        guard conflicts.isEmpty else { throw RouterServerError(conflicts.joined(separator: "\n")) }
        if options.strictAuth && keys.count == 0 {
            throw RouterServerError("--strict-auth needs the keys it accepts: declare them under Accounts[].AccessKeys in a rule file, or pass --access-keys FILE")
        }
        self.keys = keys
        storage = options.storage
        journalOptions = (options.journalSnapshotBytes, options.journalFileOperations, options.log)
        do {
            runtime = try RouterRuntime(workspace: workspace, clock: options.clock, seed: options.seed,
                                        functionRegistry: options.functionRegistry, log: options.log)
        } catch {
            throw RouterServerError("cannot build the router: \(error)")
        }
        let runtime = runtime
        let origins = ResourceOrigins(workspace: workspace)
        self.origins = origins
        runtime.resourceMetadata.useOrigins(origins)
        watcher = options.watch.map { watch in
            WorkspaceWatcher(reloader: WorkspaceReloader(runtime: runtime, workspace: workspace, directory: watch.directory, origins: origins,
                                                         functionRegistry: options.functionRegistry, log: options.log),
                             clock: options.clock.eventClock, interval: watch.interval, report: watch.report)
        }
        if let delays = options.asyncRetryDelays { runtime.functions.setAsyncRetryDelays(delays, throttleInitialDelay: max(delays.first ?? .seconds(1), .milliseconds(10))) }
        let stop = LateBinding()
        var remoteShutdown: (@Sendable () -> Void)?
        if options.allowRemoteShutdown {
            let log = options.log, onRemoteShutdown = options.onRemoteShutdown
            remoteShutdown = {
                log.log(.notice, "shutdown requested with POST /_eventrouter/shutdown")
                stop.fire()
                onRemoteShutdown?()
            }
        }
        let admin = AdminEndpoint(state: { await runtime.completeStateJSON() }, shutdown: remoteShutdown,
                                  export: { runtime.exportAPIResources(origins: origins) }, workspace: workspace)
        let services: [any AWSService] = [STSService(), EventBridgeService(runtime: runtime), SQSService(runtime: runtime),
                                          SNSService(runtime: runtime), KinesisService(runtime: runtime), LambdaService(runtime: runtime),
                                          LogsService(runtime: runtime), FirehoseService(runtime: runtime)]
        let endpoint = AWSEndpoint(services: services,
                                   authenticator: Authenticator(keys: keys, strict: options.strictAuth, defaultRegion: workspace.defaults.region),
                                   admin: admin, requestIds: SharedRandom(seed: options.seed &+ 0x4854_5450))
        var configuration = HTTPServerConfiguration()
        configuration.host = options.host
        configuration.port = options.port
        configuration.errorResponder = AWSResponseWriter.parseError
        configuration.shutdownGracePeriod = options.shutdownGracePeriod
        configuration.onReady = { [readyAction] in readyAction.fire() }
        let handler: any HTTPHandler = options.logRequests ? RequestLoggingHandler(endpoint, log: options.log) : endpoint
        do {
            server = try HTTPServer(configuration: configuration, handler: handler)
        } catch {
            throw RouterServerError("cannot listen on \(options.host):\(options.port): \(error)")
        }
        stop.bind { [server] in server.shutdown() }
    }

    /// Serves until ``shutdown()``; `onReady` runs once connections are accepted. Returns after
    /// requests in flight are answered, the driver has stopped and the function engines are shut down.
    public func run(onReady: (@Sendable () -> Void)? = nil) async {
        if let onReady { readyAction.bind(onReady) }
        let runtime = runtime, server = server, watcher = watcher
        setStage("serving")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await runtime.driver.run() }
            if let watcher { group.addTask { await watcher.run() } }
            await server.run()
            setStage("stopping the time driver")
            watcher?.stop()
            runtime.driver.stop()
            // A round may be busy with a long backlog (a burst leaves hundreds of thousands of
            // deliveries due): cancelling ends it after the delivery in hand, and the rest stays
            // pending where it is (in the snapshot with a data directory).
            group.cancelAll()
        }
        setStage("stopping the function engines")
        await runtime.shutdown()  // stops the function engines and their worker processes
        if let adapter = journalAdapter.withLock({ $0 }) {
            setStage("writing a snapshot")
            do { try await adapter.snapshotNow() } catch {
                journalOptions.log.log(.error, "the shutdown snapshot failed (the journal keeps everything; the next start reads it): \(error.message)")
            }
            await adapter.journal.writer.close()
            journalOptions.log.log(.info, "journal: \(adapter.journal.writer.statistics.summary); \(adapter.snapshotSummary)")
        }
        journalOptions.log.log(.info, "http: \(server.loopSummary)")
        setStage("stopped")
    }

    /// With a data directory: reads its snapshot and journal into the runtime and attaches the
    /// journal, so every later mutation is stored before it is acknowledged. Call it once,
    /// before ``run(onReady:)``.
    /// - Returns: what was recovered, for the start line (`nil` in memory).
    /// - Throws: ``RouterServerError`` naming the file, offset or record and what to do.
    public func recoverState() async throws(RouterServerError) -> String? {
        guard case .dataDirectory(let directory, let fsync) = storage else { return nil }
        do {
            let (adapter, text) = try await JournalStateAdapter.recover(
                directory: directory, fsync: fsync, runtime: runtime, snapshotBytes: journalOptions.snapshotBytes,
                fileOperations: journalOptions.fileOperations, log: journalOptions.log)
            journalAdapter.withLock { $0 = adapter }
            return text
        } catch {
            throw RouterServerError(error.message)
        }
    }

    /// With a data directory: takes a snapshot now (roll, capture, write, compact), as graceful
    /// shutdown does (benchmarks, tests).
    /// - Returns: the snapshot's payload size and how long the capture took (`nil` in memory).
    /// - Throws: ``RouterServerError`` when the snapshot could not be written.
    public func writeSnapshot() async throws(RouterServerError) -> (bytes: Int, captureSeconds: Double)? {
        guard let adapter = journalAdapter.withLock({ $0 }) else { return nil }
        do { try await adapter.snapshotNow() } catch { throw RouterServerError(error.message) }
        return (adapter.lastSnapshotBytes, Double(adapter.lastCaptureNanoseconds.load(ordering: .relaxed)) / 1e9)
    }

    private func setStage(_ text: String) { stageText.withLock { $0 = text } }

    /// Starts a graceful shutdown: parked long polls answer at once (empty), the server stops
    /// accepting and finishes the requests in flight. Safe from any thread, more than once.
    public func shutdown() {
        stageText.withLock { if $0 == "serving" { $0 = "finishing requests in flight" } }
        runtime.queues.endLongPolls()
        server.shutdown()
    }
}

/// An action bound after its users were built (the admin endpoint stops the server that serves it).
final class LateBinding: Sendable {
    private let action = Mutex<(@Sendable () -> Void)?>(nil)
    func bind(_ body: @escaping @Sendable () -> Void) { action.withLock { $0 = body } }
    func fire() { action.withLock { $0 }?() }
}

/// Logs each request at debug level: `POST / AWSEvents.PutEvents → 200`.
struct RequestLoggingHandler: HTTPHandler {
    let inner: any HTTPHandler
    let log: any LogSink
    init(_ inner: any HTTPHandler, log: any LogSink) {
        self.inner = inner
        self.log = log
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let response = await inner.handle(request)
        let operation = request.headers["X-Amz-Target"] ?? QueryString.pairs(request.query).first { $0.0 == "Action" }?.1
        var extra = ["status": String(response.status)]
        if let code = response.headers["x-amzn-ErrorType"] { extra["error"] = code }
        log.log(LogRecord(level: .debug, message: "\(request.method) \(request.path)" + (operation.map { " \($0)" } ?? ""),
                          metadata: LogMetadata(requestId: response.headers["x-amzn-RequestId"], extra: extra),
                          category: LogRecord.Category("request")))
        return response
    }
}
