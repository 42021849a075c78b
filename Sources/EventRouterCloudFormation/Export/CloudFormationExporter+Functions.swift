import EventRouter

/// Functions and their event source mappings, as SAM functions with the policies a mapping's
/// source needs.
extension CloudFormationExporter {
    mutating func exportFunctions(_ functions: [(String, JSONObject)]) {
        for (name, m) in functions {
            guard let id = kinds[Self.arn("lambda", region, account, "function:\(name)")]?.id else { continue }
            let runtime = m["Runtime"]?.stringValue ?? "process"
            var p: JSONObject = ["FunctionName": .string(name), "CodeUri": .string("Functions/\(name)/")]
            var metadata = JSONObject()
            if runtime.hasPrefix("python3") || runtime.hasPrefix("nodejs") {
                p["Runtime"] = .string(runtime)
                p["Handler"] = m["Handler"] ?? "index.handler"
            } else {
                p["Runtime"] = "provided.al2023"
                p["Handler"] = m["Handler"] ?? "bootstrap"
                let note = runtime == "swift"
                    ? "Swift function \(name): needs a Lambda-compatible build (e.g. swift-aws-lambda-runtime) packaged as bootstrap"
                    : "process function \(name): needs a Lambda custom-runtime bootstrap that runs \(m["Handler"]?.stringValue ?? "its handler")"
                metadata["EventRouterNote"] = .string(note)
                var original: JSONObject = ["Runtime": .string(runtime)]
                for key in ["Handler", "Mode"] { if let v = m[key] { original[key] = v } }
                metadata["EventRouter"] = .object(original)
                notes.append(note)
            }
            for key in ["Timeout", "ReservedConcurrentExecutions", "Environment", "Description"] { if let v = m[key] { p[key] = v } }
            if let dlq = m["DeadLetterConfig"]?["TargetArn"]?.stringValue {
                p["DeadLetterQueue"] = ["Type": .string(Self.destinationType(dlq) == "SNS" ? "SNS" : "SQS"), "TargetArn": ref(dlq)]
            }
            var invoke = JSONObject()
            for key in ["MaximumRetryAttempts", "MaximumEventAgeInSeconds"] { if let v = m[key] { invoke[key] = v } }
            var destinations = JSONObject()
            for key in ["OnSuccess", "OnFailure"] {
                if let d = m["DestinationConfig"]?[key]?["Destination"]?.stringValue {
                    destinations[key] = ["Type": .string(Self.destinationType(d)), "Destination": ref(d)]
                }
            }
            if !destinations.isEmpty { invoke["DestinationConfig"] = .object(destinations) }
            if !invoke.isEmpty { p["EventInvokeConfig"] = .object(invoke) }
            add(id, "AWS::Serverless::Function", p, extra: metadata.isEmpty ? JSONObject() : ["Metadata": .object(metadata)])
        }
    }

    mutating func exportMappings(_ mappings: [JSONObject]) {
        for (n, e) in mappings.enumerated() {
            guard let source = e["EventSourceArn"]?.stringValue, let function = e["FunctionName"]?.stringValue else { continue }
            let functionArn = function.hasPrefix("arn:") ? function : Self.arn("lambda", region, account, "function:\(function)")
            var p: JSONObject = ["EventSourceArn": ref(source),
                                 "FunctionName": kinds[functionArn].map { ["Ref": .string($0.id)] } ?? .string(function)]
            for key in ["BatchSize", "MaximumBatchingWindowInSeconds", "StartingPosition", "FunctionResponseTypes", "BisectBatchOnFunctionError",
                        "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "Enabled", "ParallelizationFactor"] {
                if let v = e[key] { p[key] = v }
            }
            if let d = e["DestinationConfig"]?["OnFailure"]?["Destination"]?.stringValue { p["DestinationConfig"] = ["OnFailure": ["Destination": ref(d)]] }
            add(logicalId("Mapping", "\(n + 1)"), "AWS::Lambda::EventSourceMapping", p)
            // The function's role must read the source (SAM policy templates).
            if let fid = kinds[functionArn]?.id, let (sid, kind) = kinds[source] {
                let policy: JSONValue = kind == "queue" ? ["SQSPollerPolicy": ["QueueName": ["Fn::GetAtt": [.string(sid), "QueueName"]]]]
                                                        : ["KinesisStreamReadPolicy": ["StreamName": ["Ref": .string(sid)]]]
                if var function = resources[fid]?.objectValue, var properties = function["Properties"]?.objectValue {
                    properties["Policies"] = .array((properties["Policies"]?.arrayValue ?? []) + [policy])
                    function["Properties"] = .object(properties)
                    resources[fid] = .object(function)
                }
            }
        }
    }
}
