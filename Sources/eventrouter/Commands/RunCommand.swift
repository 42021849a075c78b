#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import EventRouter
import EventRouterFunctions
import EventRouterHTTP
import Synchronization

/// `eventrouter run`: serves the workspace as a local AWS endpoint over HTTP until SIGINT/SIGTERM.
struct RunCommand: Command {
    static let name = "run"
    static let handlesSignals = true
    static let flags: Set<String> = ["strict-auth", "quiet"]
    static let summary = "Serve the workspace as a local AWS endpoint over HTTP"
    static let help = """
        Usage: eventrouter run [--workspace DIR] [--host H] [--port P] [--access-keys FILE] [--strict-auth] [--quiet]

        Validates the workspace (refusing to start on errors, printed as 'validate' prints them),
        binds HOST:PORT and prints 'eventrouter listening on http://HOST:PORT' once it accepts
        connections. Point the AWS CLI or an SDK at it with --endpoint-url or AWS_ENDPOINT_URL.
        SIGINT or SIGTERM stops accepting, finishes requests in flight and exits 0 (within 10 s).

        Served so far: STS GetCallerIdentity (the caller's account) and GET /_eventrouter/health.
        EventBridge and SQS come next, on the restructured engine; their calls are answered
        UnknownOperationException until then.

        Options:
          --workspace DIR      the folder that holds Rules/ (and Functions/); default: current folder
          --host H             the address to bind; default 127.0.0.1 (loopback only)
          --port P             the port; default 4566; 0 picks a free port (printed)
          --access-keys FILE   JSON {"Accounts": [{"Id": "111122223333", "AccessKeys":
                               [{"AccessKeyId": "…", "SecretAccessKey": "…"}]}]}: which account each
                               key acts for. Other keys act for the default account (a 12-digit key
                               id for that account).
          --strict-auth        verify SigV4 signatures and refuse keys not in --access-keys (403)
          --quiet              print only the listening line
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let directory = try arguments.option("workspace") ?? "."
        let host = try arguments.option("host") ?? "127.0.0.1"
        let port = try arguments.intOption("port") ?? 4566
        let keysFile = try arguments.option("access-keys")
        let strict = arguments.flag("strict-auth")
        let quiet = arguments.flag("quiet")
        try arguments.finish()
        guard (0...65_535).contains(port) else { throw UsageError("--port must be 0 to 65535, got \(port)") }

        let result = WorkspaceLoader.validate(directory: directory, functionRegistry: CompiledFunctions.registry())
        guard let workspace = result.workspace else {
            for problem in result.problems { Output.err(problem.description + "\n") }
            let errors = result.problems.filter { $0.severity == .error }.count
            Output.err("\(errors) error\(errors == 1 ? "" : "s") in \(result.files.count) file\(result.files.count == 1 ? "" : "s"); not starting\n")
            return 1
        }
        let keys = try accessKeys(file: keysFile, defaultAccount: workspace.defaults.account)
        if strict && keys.count == 0 { throw UsageError("--strict-auth needs the keys it accepts: pass --access-keys FILE") }

        // The one runtime, on the real clock: the same engine `replay` runs, driven until shutdown.
        let runtime: RouterRuntime
        do {
            runtime = try RouterRuntime(workspace: workspace, clock: .real(SystemClock()),
                                        seed: UInt64(truncatingIfNeeded: SystemClock().now.nanosecondsSinceEpoch),
                                        functionRegistry: CompiledFunctions.registry())
        } catch {
            Output.err("eventrouter run: \(error)\n")
            return 1
        }
        let services: [any AWSService] = [STSService(), EventBridgeService(runtime: runtime), SQSService(runtime: runtime)]
        let endpoint = AWSEndpoint(services: services,
                                   authenticator: Authenticator(keys: keys, strict: strict, defaultRegion: workspace.defaults.region))
        let announcement = Announcement()
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.errorResponder = AWSResponseWriter.parseError
        configuration.onReady = { Output.out(announcement.text) }
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: configuration, handler: endpoint)
        } catch {
            Output.err("eventrouter run: \(error)\n")
            return 1
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var text = "eventrouter listening on http://\(shownHost):\(server.port)\n"
        if !quiet {
            text += "serving STS GetCallerIdentity and GET /_eventrouter/health (EventBridge and SQS: not yet); "
                + (strict ? "strict SigV4 authentication\n" : "any access key accepted\n")
        }
        announcement.text = text
        let signals = stopOnSignals(server, queues: runtime.queues, quiet: quiet)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await runtime.driver.run() }
            await server.run()
            runtime.driver.stop()
        }
        withExtendedLifetime(signals) {}
        await runtime.shutdown()
        ProcessGroupRegistry.shared.killAll()
        if !quiet { Output.out("eventrouter stopped\n") }
        return 0
    }

    private static func accessKeys(file: String?, defaultAccount: String) throws -> AccessKeyTable {
        guard let file else { return AccessKeyTable(defaultAccount: defaultAccount) }
        guard let text = try TextFile.read(file) else { throw UsageError("--access-keys: no file \(file)") }
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw UsageError("--access-keys \(file): not valid JSON: \(error)")
        }
        let (table, problems) = AccessKeyTable.parse(json, defaultAccount: defaultAccount)
        guard problems.isEmpty else { throw UsageError("--access-keys \(file):\n  " + problems.joined(separator: "\n  ")) }
        return table
    }

    /// SIGINT and SIGTERM start a graceful shutdown (long polls answer at once, empty); the
    /// sources must stay alive while serving.
    private static func stopOnSignals(_ server: HTTPServer, queues: QueueRegistry, quiet: Bool) -> [any DispatchSourceSignal] {
        _ = signal(SIGPIPE, SIG_IGN)
        return [SIGINT, SIGTERM].map { number in
            _ = signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if !quiet { Output.out("eventrouter: \(number == SIGINT ? "SIGINT" : "SIGTERM"), stopping\n") }
                queues.endLongPolls()
                server.shutdown()
            }
            source.resume()
            return source
        }
    }
}

/// The lines printed once the server accepts connections (set before it starts).
private final class Announcement: Sendable {
    private let storage = Mutex("")
    var text: String {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
