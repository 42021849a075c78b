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
            let (outcome, elapsed) = try await functions.invokeAsync(name, payload: payload)
            var o = JSONObject()
            o["RequestId"] = .string(outcome.event.requestId)
            o["Condition"] = .string(outcome.condition.rawValue)
            o["ApproximateInvokeCount"] = .number(JSONNumber(outcome.event.invokeCount))
            o["VirtualSeconds"] = .number(JSONNumber(elapsed.seconds))
            if let result = outcome.event.lastResult { o["LastResponse"] = result.responsePayload }
            if let m = outcome.message {
                var d = JSONObject()
                d["Kind"] = .string(m.kind.rawValue)
                d["DestinationArn"] = .string(m.destinationArn)
                if let source = m.eventSource { d["Source"] = .string(source) }
                if let type = m.detailType { d["DetailType"] = .string(type) }
                if !m.attributes.isEmpty {
                    d["MessageAttributes"] = .object(JSONObject(m.attributes.sorted { $0.key < $1.key }.map {
                        .init(key: $0.key, value: ["DataType": .string($0.value.dataType), "StringValue": .string($0.value.stringValue)])
                    }))
                }
                d["Body"] = m.body
                o["Destination"] = .object(d)
            } else {
                o["Destination"] = .null
                let arn = try functions.manifest(named: name).arn
                o["Record"] = InvocationRecord.make(event: outcome.event, condition: outcome.condition, functionArn: arn, timestamp: outcome.finishedAt)
            }
            Output.out(JSONValue.object(o).jsonText + "\n")
            return outcome.condition == .success ? 0 : 1
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
