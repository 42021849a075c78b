#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import EventRouter
import EventRouterFunctions
import EventRouterHTTP
import EventRouterStorage

/// `eventrouter run`: serves the workspace as a local AWS endpoint over HTTP until SIGINT/SIGTERM.
struct RunCommand: Command {
    static let name = "run"
    static let handlesSignals = true
    static let flags: Set<String> = ["strict-auth", "quiet", "allow-remote-shutdown", "in-memory", "no-reload"]
    static let summary = "Serve the workspace as a local AWS endpoint over HTTP"
    static let help = """
        Usage: eventrouter run [--workspace DIR | --template TEMPLATE...] [--host H] [--port P] [--access-keys FILE] [--strict-auth]
                               [--log-level error|warn|info|debug] [--quiet] [--allow-remote-shutdown]
                               [--data-dir DIR | --in-memory] [--fsync always|batch|off]
                               [--async-retry-delays SECONDS,SECONDS] [--reload-interval SECONDS | --no-reload]

        Validates the workspace (refusing to start on errors, printed as 'validate' prints them),
        binds HOST:PORT and prints 'eventrouter listening on http://HOST:PORT' once it accepts
        connections, then one line per log record. Point the AWS CLI or an SDK at it with
        --endpoint-url or AWS_ENDPOINT_URL. It serves EventBridge, SQS (JSON and query), SNS, Kinesis
        (JSON and CBOR) and Lambda on the workspace's one engine, STS GetCallerIdentity, and
        GET /_eventrouter/health and /state.
        Resources created through the API live beside the workspace's until the process ends
        (they are not written to the rule files: 'eventrouter export rules' writes them). Edited
        rule files and function code are picked up while running (docs/hot-reload.md).
        SIGINT or SIGTERM stops accepting, finishes requests in flight, stops the handlers and
        exits 0 (within 10 s).

        Options:
          --workspace DIR      the folder that holds Rules/ (and Functions/); default: current folder
          --template T…        instead of --workspace: import CloudFormation/SAM templates (as `eventrouter import`,
                               with its --stack-name/--account/--region/--parameter) into a temporary workspace
          --host H             the address to bind; default 127.0.0.1 (loopback only)
          --port P             the port; default 4566; 0 picks a free port (printed)
          --access-keys FILE   more keys, beside the rule files' Accounts[].AccessKeys: JSON
                               {"Accounts": [{"Id": "111122223333", "AccessKeys": [{"AccessKeyId": "…",
                               "SecretAccessKey": "…"}]}]}. A key of no account acts for the default
                               account (a 12-digit key id for that account).
          --strict-auth        verify SigV4 signatures and refuse keys of no account (403)
          --log-level L        error, warn, info (default) or debug (also one line per request)
          --quiet              print only the listening line
          --allow-remote-shutdown  let POST /_eventrouter/shutdown stop the router (403 otherwise)
          --stand-in-queue NAME  deliveries to targets EventRouter does not run (Step Functions,
                               ECS, Batch, SSM, …) go to this standard queue (see 'validate --help')
          --async-retry-delays D1,D2  seconds before retry 1 and 2 of a failed asynchronous
                               invocation (Lambda: 60,120), e.g. 0.2,0.4 to see a failing event
                               reach its OnFailure destination at once; the throttle backoff then
                               starts at D1 too (Lambda: 1 s)
          --reload-interval S  how often Rules/ and Functions/ are checked for changes (default 1):
                               a valid change is applied at once, an invalid one is printed as
                               'validate' prints it and the running definition stays
                               (docs/hot-reload.md)
          --no-reload          read the files once, at start
          --logs-dir DIR       where log groups (LogGroups, CloudWatch Logs targets) are written as
                               NDJSON files; default: logs/ in the data directory, memory with
                               --in-memory ('eventrouter logs tail GROUP' reads them)
        """ + "\n" + RunStorageOptions.help

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let directory = try ImportCommand.workspaceForRun(&arguments) ?? arguments.option("workspace") ?? "."
        let host = try arguments.option("host") ?? "127.0.0.1"
        let port = try arguments.intOption("port") ?? 4566
        let keysFile = try arguments.option("access-keys")
        let levelName = try arguments.option("log-level") ?? "info"
        var options = RouterServer.Options()
        options.strictAuth = arguments.flag("strict-auth")
        options.allowRemoteShutdown = arguments.flag("allow-remote-shutdown")
        options.onRemoteShutdown = { if let router = served.withLock({ $0 }) { startExitWatchdog(router) } }
        let quiet = arguments.flag("quiet")
        let storageOptions = try RunStorageOptions.read(&arguments, workspace: directory)
        let standInQueue = try arguments.option("stand-in-queue")
        let logsDirectory = try arguments.option("logs-dir")
        let retryDelays = try arguments.option("async-retry-delays").map { text throws(UsageError) in try Self.delays(text) }
        let reloadInterval = try arguments.option("reload-interval").map { text throws(UsageError) in try Self.reloadInterval(text) }
        let noReload = arguments.flag("no-reload")
        try arguments.finish()
        guard (0...65_535).contains(port) else { throw UsageError("--port must be 0 to 65535, got \(port)") }
        let level: LogLevel
        do { level = try LineLogSink.level(named: levelName) } catch { throw UsageError(error.message) }

        let result = WorkspaceLoader.validate(directory: directory, functionRegistry: CompiledFunctions.registry(), standInQueue: standInQueue)
        guard var workspace = result.workspace else {
            for problem in result.problems { Output.err(problem.description + "\n") }
            let errors = result.problems.filter { $0.severity == .error }.count
            Output.err("\(errors) error\(errors == 1 ? "" : "s") in \(result.files.count) file\(result.files.count == 1 ? "" : "s"); not starting\n")
            return 1
        }
        workspace.objectStoreDirectory = storageOptions.dataDirectory.map { $0 + "/s3" }  // delivery streams' buckets
        workspace.logsDirectory = logsDirectory ?? storageOptions.dataDirectory.map { $0 + "/logs" }
        if let keysFile { options.extraAccounts = [("--access-keys \(keysFile)", try accessKeyAccounts(file: keysFile))] }
        let log = LineLogSink(minimum: quiet ? .error : level) { Output.out($0) }
        options.host = host
        options.port = port
        options.log = quiet ? DiscardingLogSink() : log
        options.logRequests = !quiet && level <= .debug
        options.functionRegistry = CompiledFunctions.registry()
        options.seed = UInt64(truncatingIfNeeded: SystemClock().now.nanosecondsSinceEpoch)
        options.journalSnapshotBytes = storageOptions.snapshotBytes
        do { options.storage = try await storageOptions.open() } catch {
            Output.err("eventrouter run: \(error.message)\n")
            return 1
        }
        options.asyncRetryDelays = retryDelays
        if !noReload {
            options.watch = WorkspaceWatcher.Options(directory: directory, interval: reloadInterval ?? .seconds(1)) { outcome in
                for problem in outcome.problems where outcome.status == .refused { Output.err(problem.description + "\n") }
            }
        }
        let router: RouterServer
        do {
            router = try RouterServer(workspace: workspace, options: options)
        } catch {
            Output.err("eventrouter run: \(error.message)\n")
            return 1
        }
        served.withLock { $0 = router }
        let recovered: String?
        do { recovered = try await router.recoverState() } catch {
            Output.err("eventrouter run: \(error.message)\n")
            return 1
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var text = "eventrouter listening on http://\(shownHost):\(router.port)\n"
        if !quiet {
            let count = { (n: Int, what: String) in "\(n) \(what)\(n == 1 ? "" : what.hasSuffix("s") ? "es" : "s")" }
            text += "serving EventBridge, SQS, SNS, Kinesis, Lambda and STS for \(directory) (\(count(workspace.buses.count, "bus")), "
                + "\(count(workspace.rules.count, "rule")), \(count(workspace.queues.count, "queue"))); "
                + (options.strictAuth ? "strict SigV4 authentication (\(count(router.keys.count, "access key")))" : "any access key accepted")
                + (options.storage.isInMemory ? "; resources created through the API last until this process ends\n"
                    : "; resources created through the API are kept in the data directory\n")
                + options.storage.startLine(recovered: recovered) + "\n"
            if let standIn = workspace.standIn { text += ValidateCommand.standInLine(standIn, defaults: workspace.defaults) + "\n" }
        }
        do { try stopOnSignals(router, log: options.log) } catch {
            Output.err("eventrouter run: \(error)\n")
            return 1
        }
        let announcement = text
        await router.run { Output.out(announcement) }
        ProcessGroupRegistry.shared.killAll()  // any handler process group left
        options.log.log(.info, "eventrouter stopped")
        log.flush()
        return 0
    }

    /// The accounts of an `--access-keys` file, read as rule files' `Accounts` entries are.
    private static func accessKeyAccounts(file: String) throws -> [AccountDefinition] {
        guard let text = try TextFile.read(file) else { throw UsageError("--access-keys: no file \(file)") }
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw UsageError("--access-keys \(file): not valid JSON: \(error)")
        }
        let (accounts, problems) = AccessKeyTable.readFile(json, file: file)
        guard !problems.hasErrors else { throw UsageError(problems.map(\.description).joined(separator: "\n")) }
        return accounts
    }

    /// Set by the first SIGINT/SIGTERM or remote shutdown: later signals only log.
    private static let shutdownStarted = Atomic<Bool>(false)

    /// SIGINT and SIGTERM start a graceful shutdown (``StopSignals``: a handler and a pipe, so no
    /// signal is lost whichever thread receives it). Installed before the listening line is printed.
    private static func stopOnSignals(_ router: RouterServer, log: any LogSink) throws(StopSignals.Failure) {
        _ = signal(SIGPIPE, SIG_IGN)
        try StopSignals.install { number in
            log.log(.notice, "\(number == SIGINT ? "SIGINT" : "SIGTERM"): stopping (finishing requests in flight)")
            guard startExitWatchdog(router) else { return }
            router.shutdown()
        }
    }

    /// Once per process, when a shutdown begins (a signal or a remote request): the bound of the
    /// issue is exit 0 within 10 s, so past 9.5 s it says where shutdown stuck and ends the process.
    /// This is real time on purpose: it guards the process, not the engine's clock.
    /// - Returns: whether this call started it (false: a shutdown had begun already).
    @discardableResult
    static func startExitWatchdog(_ router: RouterServer) -> Bool {
        guard !shutdownStarted.exchange(true, ordering: .acquiringAndReleasing) else { return false }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(9_500)) {
            Output.err("eventrouter run: shutdown did not finish within 9.5 s (stuck while \(router.stage)); exiting\n")
            ProcessGroupRegistry.shared.killAll()
            _exit(0)
        }
        return true
    }

    /// The router this process serves, for the watchdog a remote shutdown starts.
    private static let served = Mutex<RouterServer?>(nil)

    /// `--reload-interval 0.5`: seconds from 0.05 to 3600.
    static func reloadInterval(_ text: String) throws(UsageError) -> Duration {
        guard let seconds = Double(text), seconds.isFinite, (0.05...3_600).contains(seconds) else {
            throw UsageError("--reload-interval takes seconds from 0.05 to 3600 (e.g. 0.5), got '\(text)'")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// `--async-retry-delays 0.2,0.4`: one to two delays in seconds (0–3600, decimals allowed).
    static func delays(_ text: String) throws(UsageError) -> [Duration] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var delays: [Duration] = []
        for part in parts {
            guard let seconds = Double(part), seconds.isFinite, (0...3_600).contains(seconds) else {
                throw UsageError("--async-retry-delays takes one or two delays in seconds from 0 to 3600, comma-separated (e.g. 0.2,0.4), got '\(text)'")
            }
            delays.append(.milliseconds(Int64((seconds * 1000).rounded())))
        }
        guard (1...2).contains(delays.count) else {
            throw UsageError("--async-retry-delays takes one or two delays in seconds (e.g. 0.2,0.4), got \(delays.count) in '\(text)'")
        }
        return delays
    }
}
