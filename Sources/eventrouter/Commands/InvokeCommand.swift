import EventRouter
import EventRouterFunctions

/// `eventrouter invoke NAME [--payload JSON|@file] [--async] [--workspace DIR]`.
struct InvokeCommand: Command {
    static let name = "invoke"
    static let summary = "Invoke a handler function once, or asynchronously with Lambda's retries"
    static let flags: Set<String> = ["async"]
    static let help = """
        Usage: eventrouter invoke NAME [--payload JSON|@FILE] [--async] [--workspace DIR]

        Without --async: runs the function once and prints its result JSON (exit 0), or its
        error as {"errorType", "errorMessage"} (exit 1).
        With --async: queues the event as Lambda's asynchronous invocation does (reserved
        concurrency, throttle backoff, MaximumRetryAttempts retries 1 and 2 minutes apart,
        MaximumEventAgeInSeconds) and settles it on a virtual clock, so retries take no real
        time; prints the outcome and the invocation record or dead-letter message that the
        function's destination would receive.

        Options:
          --payload JSON|@FILE   the event (default {}); @FILE reads it from a file
          --async                asynchronous invocation (Lambda InvocationType=Event)
          --workspace DIR        the folder holding Functions/ (default: the current directory)
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let workspace = try arguments.option("workspace") ?? "."
        let payloadText = try arguments.option("payload") ?? "{}"
        let async = arguments.flag("async")
        guard let name = arguments.positional() else {
            try arguments.finish()  // a mistyped option is named as such, not as a missing NAME
            throw UsageError("missing the function NAME")
        }
        try arguments.finish()
        let payload = try readPayload(payloadText)
        let functions = FunctionWorkspace(workspace: workspace, registry: CompiledFunctions.registry())
        if async {
            let report = try await functions.invokeAsyncReport(name, payload: payload)
            Output.out(report.json.jsonText + "\n")
            return report.succeeded ? 0 : 1
        }
        let result = try await functions.invoke(name, payload: payload, requestId: SharedRandom(seed: UInt64(truncatingIfNeeded: SystemClock().now.nanosecondsSinceEpoch)).uuid())
        Output.out(result.responsePayload.jsonText + "\n")
        switch result {
        case .success: return 0
        case .functionError(let e):
            Output.err("eventrouter invoke: \(name) failed: \(e)\n")
            return 1
        case .throttled:
            Output.err("eventrouter invoke: \(name) was throttled (ReservedConcurrentExecutions is 0 or fully in use)\n")
            return 1
        }
    }

    private static func readPayload(_ text: String) throws -> JSONValue {
        var source = text
        var origin = "--payload"
        if text.hasPrefix("@") {
            do { source = try TextFile.argument(text) } catch { throw UsageError("--payload \(text): \(error)") }
            origin = String(text.dropFirst())
        }
        do {
            return try JSONParser.parse(source)
        } catch {
            throw UsageError("\(origin) is not valid JSON: \(error)")
        }
    }
}
