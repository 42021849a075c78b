/// Hot reload of a running workspace (docs/hot-reload.md): ``check()`` scans `Rules/` and
/// `Functions/`, and when something changed validates the files with `validate`'s validator.
/// A valid change is applied to the runtime all at once (``RouterRuntime/applyReload(_:)``);
/// an invalid one is refused with `validate`'s problems and the running definition stays.
/// A changed function folder starts a new code generation of that function
/// (``FunctionHost/codeChanged(arn:)``). What drives ``check()`` (a poll on the injected clock)
/// is the caller's.
public actor WorkspaceReloader {
    /// What one ``check()`` found.
    public struct Outcome: Sendable {
        public enum Status: Sendable, Equatable {
            /// The files changed and were applied (or changed nothing the runtime runs).
            case applied
            /// The files have errors; nothing was changed.
            case refused
        }

        public var status: Status
        /// `validate`'s problems (errors and warnings) of a refused change, or the warnings of an applied one.
        public var problems: [ValidationProblem]
        /// What was done, one line each (also logged).
        public var lines: [String]
    }

    public let runtime: RouterRuntime
    public let directory: String
    /// Which resources come from files (updated by each applied reload).
    public let origins: ResourceOrigins
    private let functionRegistry: SwiftFunctionRegistry?
    private let log: any LogSink
    private var workspace: Workspace
    private var fingerprint = WorkspaceFingerprint()
    private var baseline: WorkspaceFingerprint.Snapshot?
    /// The fingerprint of the last refused files, so they are reported once, not at every poll.
    private var refusedSnapshot: WorkspaceFingerprint.Snapshot?
    private var checking = false

    /// The log category of reload lines.
    public static let category = LogRecord.Category("reload")

    /// - Parameters:
    ///   - workspace: the files' workspace the runtime was built from.
    ///   - functionRegistry: the compiled-in Swift handlers (as `validate` checks them).
    public init(runtime: RouterRuntime, workspace: Workspace, directory: String, origins: ResourceOrigins,
                functionRegistry: SwiftFunctionRegistry? = nil, log: any LogSink = DiscardingLogSink()) {
        self.runtime = runtime
        self.workspace = workspace
        self.directory = directory
        self.origins = origins
        self.functionRegistry = functionRegistry
        self.log = log
    }

    /// Takes the fingerprint the next ``check()`` compares with (the files as they are now);
    /// `check()` takes it itself when it was not taken. Rule files edited between loading the
    /// workspace and this first scan are validated and applied here (function code needs
    /// nothing: processes started from now on read the files as they are).
    /// - Returns: the outcome when the files differ from the loaded workspace, else `nil`.
    @discardableResult
    public func prepare() async -> Outcome? {
        guard baseline == nil, !checking else { return nil }
        checking = true
        defer { checking = false }
        let now = await scan()
        baseline = now
        return await reload(now, since: now, quietWhenUnchanged: true)
    }

    /// Scans the files; when they changed since the last check, validates and applies them.
    /// - Returns: `nil` when nothing changed (or another check is running).
    public func check() async -> Outcome? {
        guard !checking else { return nil }
        checking = true
        defer { checking = false }
        guard let old = baseline else {
            baseline = await scan()
            return nil
        }
        let now = await scan()
        guard now != old, now != refusedSnapshot else { return nil }
        return await reload(now, since: old, quietWhenUnchanged: false)
    }

    /// Validates the files scanned as `now` and applies them; `old` is the scan of the running files.
    private func reload(_ now: WorkspaceFingerprint.Snapshot, since old: WorkspaceFingerprint.Snapshot, quietWhenUnchanged: Bool) async -> Outcome? {
        let directory = self.directory, registry = self.functionRegistry
        let result = await BlockingIOPool.shared.run {
            WorkspaceLoader.validate(directory: directory, defaults: RouterDefaults(), functionRegistry: registry)
        }
        guard let next = result.workspace else {
            refusedSnapshot = now
            let line = "reload refused: \(result.errorSummary); the running definition stays (fix the files: the next save is checked again)"
            log.log(LogRecord(level: .error, message: line, category: Self.category))
            return Outcome(status: .refused, problems: result.problems, lines: [line])
        }
        let changes = WorkspaceChanges(from: workspace, to: next)
        // Log groups newly declared are created before the rules that target them swap in.
        let groupLines = await runtime.logGroups.createDeclared(next.logGroups)
        if quietWhenUnchanged && changes.isEmpty && groupLines.isEmpty { return nil }
        var lines: [String]
        do {
            let applied = try runtime.applyReload(changes)
            lines = groupLines + applied.lines
            origins.replace(with: next, keeping: applied.kept)
        } catch {
            refusedSnapshot = now
            let line = "reload refused: \(error.message)"
            log.log(LogRecord(level: .error, message: line, category: Self.category))
            return Outcome(status: .refused, problems: [], lines: [line])
        }
        workspace = next
        baseline = now
        refusedSnapshot = nil
        for name in now.changedFunctions(since: old) {
            guard let manifest = next.functions.first(where: { $0.name == name }) else { continue }
            switch await runtime.functions.codeChanged(arn: manifest.arn) {
            case .nextInvocation?:
                lines.append("function \(name): code changed; the next invocation runs it")
            case .workersRestarted(let idle)?:
                lines.append("function \(name): code changed; \(idle) idle worker\(idle == 1 ? "" : "s") stopped, busy workers restart after their current request, the next invocation runs the new code")
            case .environmentsRestarted(let idle)?:
                lines.append("function \(name): code changed; \(idle) idle execution environment\(idle == 1 ? "" : "s") stopped, busy ones restart after their current invocation, the next invocation runs the new code")
            case .compiledIn?:
                lines.append("function \(name): Functions/\(name) changed, but it is a Swift function compiled into eventrouter and cannot reload: rebuild eventrouter and restart to run the new code")
            case nil:
                break
            }
        }
        let summary = "reloaded \(result.files.count) rule file\(result.files.count == 1 ? "" : "s"): \(changes.ruleChangeCount) rule change\(changes.ruleChangeCount == 1 ? "" : "s")"
        log.log(LogRecord(level: .notice, message: summary, category: Self.category))
        for line in lines { log.log(LogRecord(level: line.contains("cannot reload") ? .warning : .info, message: line, category: Self.category)) }
        return Outcome(status: .applied, problems: result.problems, lines: [summary] + lines)
    }

    private func scan() async -> WorkspaceFingerprint.Snapshot {
        let directory = self.directory
        let current = fingerprint
        let (updated, snapshot) = await BlockingIOPool.shared.run {
            var f = current
            let s = f.scan(directory: directory)
            return (f, s)
        }
        fingerprint = updated
        return snapshot
    }
}
