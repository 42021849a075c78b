import Dispatch
import EventRouter
import Foundation
import Synchronization

/// `eventrouter-bench functions [--iterations N]`: invocations per second of a Swift handler,
/// a per-invocation process and a worker process, and the router's added latency per invocation.
enum FunctionBenchmark {
    static let summary = "Handler functions: invocations/s per runtime, router latency per invocation"

    static let help = """
        Usage: eventrouter-bench functions [--iterations N]

        Measures, in this process (build with -c release):
          swift      a Swift closure handler through FunctionRuntime (timeout race included)
          process    one /bin/sh process per invocation (exec cat)
          worker     one long-lived python3 worker, one JSON line each way
          latency    what FunctionRuntime.invoke adds over calling the handler directly, and what
                     the asynchronous engine (queue, state machine, record) adds on top
        N (default 20000) scales the Swift runs; process runs use N/100, worker runs N/10.
        """

    static func run(_ arguments: [String]) async throws {
        if arguments.contains("--help") {
            print(help)
            return
        }
        let requested = arguments.intOption("iterations", 20_000)
        let iterations = requested > 0 ? requested : 20_000
        let folder = NSTemporaryDirectory() + "eventrouter-bench-functions-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let payload: JSONValue = ["source": "shop", "detail-type": "OrderPlaced", "detail": ["orderId": "o-1", "total": 42.5]]
        let clock = SystemClock()

        // Swift handler through the runtime, and the bare handler for the runtime's own cost.
        let echo = ClosureFunctionHandler { event, _ in event }
        let swiftRuntime = FunctionRuntime(manifest: FunctionManifest(name: "bench-swift", runtime: .swift, handler: "Echo"), handler: echo, clock: clock)
        let swiftRate = await measure(iterations) { i in _ = await swiftRuntime.invoke(payload, requestId: "r\(i)") }
        var bytes: [UInt8] = []
        JSONSerializer.write(payload, into: &bytes)
        let context = FunctionContext(requestId: "r", functionArn: "arn", functionName: "bench", deadline: clock.now + .seconds(60))
        let bare = await measure(iterations) { _ in
            let out = try? await echo.handle(bytes, context: context)
            _ = out.flatMap { try? JSONParser.parse(bytes: $0) }
        }

        // Per-invocation process.
        try "#!/bin/sh\nexec cat\n".write(toFile: folder + "/cat.sh", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder + "/cat.sh")
        let processManifest = FunctionManifest(name: "bench-process", folder: folder, runtime: .process, handler: "cat.sh", timeoutSeconds: 30)
        let processRuntime = FunctionRuntime(manifest: processManifest, handler: ProcessFunctionHandler(manifest: processManifest), clock: clock)
        let processCount = max(iterations / 100, 20)
        let processRate = await measure(processCount) { i in
            if case .functionError(let e) = await processRuntime.invoke(payload, requestId: "p\(i)") { print("process error: \(e)") }
        }

        // Worker process (python3).
        let worker = """
            #!/usr/bin/env python3
            import json, sys
            for line in sys.stdin:
                sys.stdout.write(json.dumps({"result": json.loads(line)["payload"]}) + "\\n")
                sys.stdout.flush()
            """
        try worker.write(toFile: folder + "/worker.py", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder + "/worker.py")
        let workerManifest = FunctionManifest(name: "bench-worker", folder: folder, runtime: .process, handler: "worker.py", mode: .worker, timeoutSeconds: 30)
        let workerRuntime = FunctionRuntime(manifest: workerManifest, handler: WorkerFunctionHandler(manifest: workerManifest), clock: clock)
        _ = await workerRuntime.invoke(payload, requestId: "warm-up")
        let workerCount = max(iterations / 10, 100)
        let workerRate = await measure(workerCount) { i in
            if case .functionError(let e) = await workerRuntime.invoke(payload, requestId: "w\(i)") { print("worker error: \(e)") }
        }
        await workerRuntime.shutdown()

        // Asynchronous engine on top of the Swift runtime: enqueue everything, wait until settled.
        let engineRuntime = FunctionRuntime(manifest: FunctionManifest(name: "bench-async", runtime: .swift, handler: "Echo",
                                                                      onSuccessDestination: "arn:aws:sqs:us-east-1:123456789012:ok"),
                                            handler: echo, clock: clock)
        let engine = AsyncInvocationEngine(runtime: engineRuntime, clock: clock, sink: DiscardingTarget())
        let engineStart = ContinuousClock.now
        for _ in 0..<iterations { await engine.enqueue(payload) }
        await engine.waitUntilIdle()
        let engineSeconds = (ContinuousClock.now - engineStart).seconds
        let engineRate = Double(iterations) / engineSeconds

        print("functions benchmark (\(iterations) Swift invocations, \(processCount) processes, \(workerCount) worker exchanges)")
        print(line("swift handler (FunctionRuntime.invoke)", swiftRate))
        print(line("bare Swift handler (handle + parse)", bare))
        print(line("per-invocation process (/bin/sh cat)", processRate))
        print(line("worker process (python3, JSON lines)", workerRate))
        print(line("async engine, Swift handler (throughput)", engineRate))
        let runtimeAdded = 1e6 / swiftRate - 1e6 / bare
        let engineAdded = 1e6 / engineRate - 1e6 / swiftRate
        print("router latency added per invocation: runtime \(format(runtimeAdded)) µs (timeout race, counters), async engine +\(format(engineAdded)) µs (queue, state machine, record)")
    }

    static let runtimeAPISummary = "Lambda Runtime API: warm python3.x and nodejs20.x invocations/s (concurrency 2), cold start p50/p99"

    static let runtimeAPIHelp = """
        Usage: eventrouter-bench runtime-api [--iterations N] [--cold N] [--runtime python|node|all]

        A python3.12 function (app.handler returns its event) and a nodejs20.x one (index.handler,
        async, returns its event) through the Lambda Runtime API and the built-in bootstraps
        (build with -c release; needs python3 / node on PATH; a missing one is skipped, saying so):
          warm   N invocations (default 20000) from 2 concurrent callers over 2 warm environments
          cold   N (default 40) first invocations of a fresh environment: start to first response
        """

    /// `eventrouter-bench runtime-api`: warm invocations per second with concurrency 2 and the
    /// cold start of a Python and a Node.js handler process, through the Runtime API.
    static func runRuntimeAPI(_ arguments: [String]) async throws {
        if arguments.contains("--help") {
            print(runtimeAPIHelp)
            return
        }
        let iterations = max(100, arguments.intOption("iterations", 20_000))
        let coldCount = max(5, arguments.intOption("cold", 40))
        var which = "all"
        if let i = arguments.firstIndex(of: "--runtime"), i + 1 < arguments.count { which = arguments[i + 1] }
        guard ["python", "node", "all"].contains(which) else {
            print("eventrouter-bench runtime-api: --runtime takes python, node or all, got '\(which)'")
            return
        }
        let languages: [(label: String, runtime: String, handler: String, file: String, code: String)] = [
            ("python3 app.handler", "python3.12", "app.handler", "app.py", "def handler(event, context):\n    return event\n"),
            ("node index.handler", "nodejs20.x", "index.handler", "index.mjs", "export const handler = async (event, context) => event;\n"),
        ].filter { which == "all" || $0.runtime.hasPrefix(which) }
        for language in languages {
            let folder = NSTemporaryDirectory() + "eventrouter-bench-runtime-api-\(getpid())-\(language.file.split(separator: ".")[0])"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try language.code.write(toFile: folder + "/" + language.file, atomically: true, encoding: .utf8)
            let manifest = try FunctionManifest(json: #"{"Runtime": "\#(language.runtime)", "Handler": "\#(language.handler)", "Timeout": 30}"#, folder: folder)
            await runtimeAPI(language.label, manifest: manifest, iterations: iterations, coldCount: coldCount)
        }
    }

    private static func runtimeAPI(_ label: String, manifest: FunctionManifest, iterations: Int, coldCount: Int) async {
        let payload: JSONValue = ["source": "shop", "detail-type": "OrderPlaced", "detail": ["orderId": "o-1", "total": 42.5]]
        let clock = SystemClock()

        let warm = FunctionRuntime(manifest: manifest, handler: RuntimeAPIFunctionHandler(manifest: manifest), clock: clock)
        async let w1 = warm.invoke(payload, requestId: "warm-1")
        async let w2 = warm.invoke(payload, requestId: "warm-2")
        for r in await [w1, w2] {
            guard case .functionError(let e) = r else { continue }
            if e.type == "Runtime.InvalidEntrypoint" {
                print("runtime-api benchmark (\(label)): skipped: \(e.message)")
                await warm.shutdown()
                return
            }
            print("warm-up error: \(e)")
        }
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for caller in 0..<2 {
                group.addTask {
                    for i in 0..<(iterations / 2) {
                        if case .functionError(let e) = await warm.invoke(payload, requestId: "w\(caller)-\(i)") { print("error: \(e)") }
                    }
                }
            }
        }
        let warmRate = Double(iterations / 2 * 2) / (ContinuousClock.now - start).seconds
        await warm.shutdown()

        var cold: [Double] = []
        for i in 0..<coldCount {
            let handler = RuntimeAPIFunctionHandler(manifest: manifest)
            let runtime = FunctionRuntime(manifest: manifest, handler: handler, clock: clock)
            let t0 = ContinuousClock.now
            if case .functionError(let e) = await runtime.invoke(payload, requestId: "cold-\(i)") { print("cold error: \(e)") }
            cold.append((ContinuousClock.now - t0).seconds * 1000)
            await runtime.shutdown()
        }
        cold.sort()
        func percentile(_ p: Double) -> Double { cold[min(cold.count - 1, Int((Double(cold.count) * p).rounded(.up)) - 1)] }
        print("runtime-api benchmark (\(label), \(iterations) warm invocations, \(coldCount) cold starts)")
        print(line("warm, concurrency 2 (Runtime API)", warmRate))
        print("cold start (spawn to first response)          p50 \(format(percentile(0.5))) ms  p99 \(format(percentile(0.99))) ms  max \(format(cold.last ?? 0)) ms")
    }

    private static func measure(_ count: Int, _ body: (Int) async -> Void) async -> Double {
        let start = ContinuousClock.now
        for i in 0..<count { await body(i) }
        return Double(count) / (ContinuousClock.now - start).seconds
    }

    private static func line(_ label: String, _ rate: Double) -> String {
        label.padding(toLength: 44, withPad: " ", startingAt: 0) + format(rate) + " invocations/s  (" + format(1e6 / rate) + " µs each)"
    }

    private static func format(_ v: Double) -> String { String(format: v >= 100 ? "%.0f" : "%.1f", v) }
}
