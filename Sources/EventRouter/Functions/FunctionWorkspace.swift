/// The functions of a workspace, ready to invoke: what `eventrouter invoke` and
/// `eventrouter functions` use, and what the router builds its function targets from.
public struct FunctionWorkspace: Sendable {
    /// The valid manifests, by name order.
    public let manifests: [FunctionManifest]
    /// Problems found while scanning (broken manifests are left out of ``manifests``).
    public let problems: [ValidationProblem]
    /// The compiled-in Swift handlers.
    public let registry: SwiftFunctionRegistry

    /// Scans `workspace/Functions/`; a function without `Region` goes to the region of its
    /// account's rule files in `workspace/Rules/` (``FunctionManifest/placed(inRuleFileRegions:defaultRegion:)``),
    /// as the router places it.
    public init(workspace: String, registry: SwiftFunctionRegistry, region: String = FunctionManifest.defaultRegion) {
        let scan = FunctionLoader(workspace: workspace, region: region).scan()
        let regions = FunctionManifest.ruleFileRegions(workspace: workspace, defaults: RouterDefaults(region: region))
        manifests = scan.functions.map { $0.placed(inRuleFileRegions: regions, defaultRegion: region) }
        problems = scan.problems
        self.registry = registry
    }

    /// The manifest of function `name` (a name or a function ARN).
    /// - Throws: ``EventRouterError`` naming the known functions, or the manifest's problems.
    public func manifest(named name: String) throws(EventRouterError) -> FunctionManifest {
        let arn = name.hasPrefix("arn:") ? try? ARN(parsing: name.hasSuffix(":$LATEST") ? String(name.dropLast(8)) : name) : nil
        let short = arn.map(\.name) ?? name
        if let arn, arn.kind == .function, !manifests.contains(where: { $0.arn == arn.description }),
           let hint = FunctionManifest.placementHint(for: arn, among: manifests) {
            throw EventRouterError(.notFound, "no function \(arn): \(hint)")
        }
        if let m = manifests.first(where: { $0.name == short }) { return m }
        let own = problems.filter { $0.file.hasSuffix("/\(short)/function.json") }
        if !own.isEmpty {
            throw EventRouterError(.validation, "function '\(short)' has an invalid manifest:\n" + own.map(\.description).joined(separator: "\n"))
        }
        if let missing = problems.first(where: { $0.path == "$" && !$0.file.hasSuffix("/function.json") }) {
            throw EventRouterError(.notFound, "no function named '\(short)': \(missing.file): \(missing.message)")
        }
        let known = manifests.isEmpty ? "there are none" : "known: " + manifests.map(\.name).joined(separator: ", ")
        throw EventRouterError(.notFound, "no function named '\(short)' in Functions/ (\(known)); add Functions/\(short)/function.json to register it")
    }

    /// `{"Functions": [settings…], "Problems": ["file: $.key: error: reason", …]}`.
    public var listingJSON: JSONValue {
        ["Functions": .array(manifests.map(\.settingsJSON)), "Problems": .array(problems.map { .string($0.description) })]
    }

    /// Invokes `name` once, synchronously (no retries), with its timeout on `clock`.
    public func invoke(_ name: String, payload: JSONValue, clock: any EventClock = SystemClock(), requestId: String) async throws(EventRouterError) -> InvocationResult {
        let runtime = try FunctionRuntime(manifest: manifest(named: name), registry: registry, clock: clock)
        let result = await runtime.invoke(payload, requestId: requestId)
        await runtime.shutdown()
        return result
    }

    /// Invokes `name` asynchronously and settles the event on a virtual clock: retries and
    /// backoff jump ahead, timeouts use `timeoutClock` (real time by default). Returns the outcome
    /// and the virtual time spent.
    public func invokeAsync(
        _ name: String, payload: JSONValue, sink: any EventTarget = DiscardingTarget(), seed: UInt64 = 1,
        timeoutClock: any EventClock = SystemClock()
    ) async throws(EventRouterError) -> (outcome: AsyncInvocationEngine.Outcome, elapsed: Duration) {
        let runtime = try FunctionRuntime(manifest: manifest(named: name), registry: registry, clock: timeoutClock)
        let clock = ManualClock()
        let engine = AsyncInvocationEngine(runtime: runtime, clock: clock, sink: sink, random: SharedRandom(seed: seed))
        let start = clock.now
        do {
            try await engine.accept(payload)
        } catch {
            await engine.shutdown()
            throw EventRouterError(.invalidInput, "\(error)", underlying: error)
        }
        await engine.runToCompletion(on: clock)
        await engine.shutdown()
        guard let outcome = await engine.outcomes.first else {
            throw EventRouterError(.internalFailure, "the asynchronous invocation of '\(name)' did not settle")
        }
        return (outcome, clock.now - start)
    }
}
