import Foundation
import EventRouter

/// `AWS::Lambda::Function`, `AWS::Serverless::Function` (with its `Events`, `DeadLetterQueue`,
/// `EventInvokeConfig` and the template's `Globals`) and `AWS::Lambda::EventInvokeConfig`.
extension StackContext {
    func functionArn(_ name: String) -> String {
        name.hasPrefix("arn:") ? name : "arn:aws:lambda:\(region):\(account):function:\(name)"
    }

    /// SAM's `Globals.Function` under the function's own properties (maps merged one level deep).
    func withGlobals(_ p: Props) -> Props {
        guard let globals = template["Globals"]?["Function"], let g = resolve(globals)?.objectValue else { return p }
        var merged = g
        for m in p.json.members {
            if let inner = m.value.objectValue, let base = merged[m.key]?.objectValue {
                var combined = base
                for im in inner.members {
                    if let deeper = im.value.objectValue, let baseDeeper = combined[im.key]?.objectValue {
                        var d = baseDeeper
                        for dm in deeper.members { d[dm.key] = dm.value }
                        combined[im.key] = .object(d)
                    } else {
                        combined[im.key] = im.value
                    }
                }
                merged[m.key] = .object(combined)
            } else {
                merged[m.key] = m.value
            }
        }
        return Props(context: self, node: p.node, json: merged)
    }

    static func runtimeCanRun(_ runtime: String) -> Bool { runtime.hasPrefix("python3") || runtime.hasPrefix("nodejs") }

    /// The code of a function: inline text, a local `CodeUri` folder or file, or nothing (`nil`).
    func code(_ p: Props, runtime: String, handler: String, options: ImportOptions) -> (files: [ImportedFile]?, why: String) {
        let inline = p.string("InlineCode") ?? p.object("Code")?["ZipFile"]?.stringValue
        if let inline {
            let module = handler.split(separator: ".").dropLast().joined(separator: ".")
            let ext = runtime.hasPrefix("python") ? "py" : "js"
            return ([ImportedFile(path: "\(module.isEmpty ? "index" : module).\(ext)", text: inline)], "inline code")
        }
        if let code = p.object("Code") {
            if code["ImageUri"] != nil { return (nil, "the code is a container image") }
            return (nil, "the code is in S3 (\(code["S3Bucket"]?.stringValue ?? "?")/\(code["S3Key"]?.stringValue ?? "?"))")
        }
        guard let uri = p.value("CodeUri") else { return (nil, "the function has no code") }
        guard let path = uri.stringValue, !path.hasPrefix("s3://") else { return (nil, "CodeUri is in S3") }
        if path.hasSuffix(".zip") || path.hasSuffix(".jar") { return (nil, "CodeUri \(path) is an archive; unpack it and point CodeUri at the folder") }
        guard let directory = source.directory else { return (nil, "CodeUri \(path) cannot be read here") }
        let full = path.hasPrefix("/") ? path : directory + "/" + path
        let files = options.fileReader?(full) ?? Self.readFiles(at: full)
        guard let files, !files.isEmpty else { return (nil, "CodeUri \(path) does not exist next to the template") }
        return (files, "code from \(path)")
    }

    static func readFiles(at path: String) -> [ImportedFile]? {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if !isDirectory.boolValue {
            guard let data = fm.contents(atPath: path) else { return nil }
            return [ImportedFile(path: (path as NSString).lastPathComponent, contents: Array(data))]
        }
        var out: [ImportedFile] = []
        guard let walker = fm.enumerator(atPath: path) else { return nil }
        while let relative = walker.nextObject() as? String {
            let full = path + "/" + relative
            var dir: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue, !relative.contains("__pycache__"), !relative.hasPrefix("node_modules/.cache") else { continue }
            guard let data = fm.contents(atPath: full) else { continue }
            let executable = fm.isExecutableFile(atPath: full)
            out.append(ImportedFile(path: relative, contents: Array(data), executable: executable))
        }
        return out.sorted { $0.path < $1.path }
    }

    static let standInHandler = """
    #!/bin/sh
    # Stand-in written by `eventrouter import`: the function's code was not available.
    # It returns its event unchanged; replace it with the real handler.
    cat

    """

    func importFunction(_ r: Resource, sam: Bool, options: ImportOptions, into draft: inout WorkspaceDraft) {
        var p = props(r)
        if sam { p = withGlobals(p) }
        let name = physicalName(r.logicalId)
        let arn = functionArn(name)
        let runtime = p.string("Runtime") ?? ""
        let handler = p.string("Handler") ?? ""
        var manifest = JSONObject()
        var files: [ImportedFile]
        let (code, why) = code(p, runtime: runtime, handler: handler, options: options)
        let original = r.node["Metadata"]?["EventRouter"].flatMap { resolve($0)?.objectValue }
        if let code, let original, let kind = original["Runtime"]?.stringValue, kind == "process" || kind == "swift" {
            // Exported by EventRouter: the function's own runtime comes back.
            for key in ["Runtime", "Handler", "Mode"] { if let v = original[key] { manifest[key] = v } }
            files = code
            draft.note("Imported", "function \(name) (\(stackName)/\(r.logicalId)): EventRouter \(kind) function, \(why)")
        } else if let code, Self.runtimeCanRun(runtime) {
            manifest["Runtime"] = .string(runtime)
            manifest["Handler"] = .string(handler)
            files = code
            draft.note("Imported", "function \(name) (\(stackName)/\(r.logicalId)): \(runtime), \(why)")
        } else {
            manifest["Runtime"] = "process"
            manifest["Handler"] = "standin.sh"
            manifest["Description"] = .string("Stand-in for \(stackName)/\(r.logicalId) (\(runtime.isEmpty ? "no runtime" : runtime)): \(code == nil ? why : "runtime \(runtime) is not run by EventRouter")")
            files = [ImportedFile(path: "standin.sh", text: Self.standInHandler, executable: true)]
            draft.note("Stand-in functions", "\(name) (\(stackName)/\(r.logicalId)): \(code == nil ? why : "runtime \(runtime) is not run by EventRouter"); Functions/\(name)/standin.sh returns its event")
        }
        if let t = p.int("Timeout") { manifest["Timeout"] = .number(JSONNumber(t)) }
        if let rc = p.int("ReservedConcurrentExecutions") { manifest["ReservedConcurrentExecutions"] = .number(JSONNumber(rc)) }
        if let env = p.object("Environment") { manifest["Environment"] = .object(env) }
        if let d = p.string("Description"), manifest["Description"] == nil { manifest["Description"] = .string(d) }
        if let dlc = p.object("DeadLetterConfig"), let target = dlc["TargetArn"] { manifest["DeadLetterConfig"] = ["TargetArn": target] }
        if sam, let dlq = p.object("DeadLetterQueue"), let target = dlq["TargetArn"] { manifest["DeadLetterConfig"] = ["TargetArn": target] }
        if sam, let config = p.object("EventInvokeConfig") { applyInvokeConfig(config, to: &manifest) }
        manifest["Account"] = .string(account)
        manifest["Region"] = .string(region)
        let kept: Set<String> = ["FunctionName", "Runtime", "Handler", "Code", "CodeUri", "InlineCode", "Timeout", "ReservedConcurrentExecutions",
                                 "Environment", "Description", "DeadLetterConfig", "DeadLetterQueue", "EventInvokeConfig", "Events", "Role", "Policies"]
        ignore(r, p, keeping: kept, into: &draft)
        draft.functions.append(WorkspaceDraft.FunctionDraft(name: name, account: account, region: region, manifest: manifest, files: files, source: "\(stackName)/\(r.logicalId)",
                                                            file: source.path, logicalId: r.logicalId))
        if sam, let events = p.object("Events") {
            for event in events.members { samEvent(event.key, event.value, function: r.logicalId, arn: arn, name: name, into: &draft) }
        }
    }

    func applyInvokeConfig(_ config: JSONObject, to manifest: inout JSONObject) {
        for key in ["MaximumRetryAttempts", "MaximumEventAgeInSeconds"] {
            if let v = config[key] { manifest[key] = v.stringValue.flatMap { Int($0) }.map { .number(JSONNumber($0)) } ?? v }
        }
        if let dc = config["DestinationConfig"]?.objectValue {
            var out = JSONObject()
            for key in ["OnSuccess", "OnFailure"] {
                if let d = dc[key]?["Destination"] { out[key] = ["Destination": d] }
            }
            if !out.isEmpty { manifest["DestinationConfig"] = .object(out) }
        }
    }

    func importInvokeConfig(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        guard let function = p.string("FunctionName") else {
            problem("an EventInvokeConfig needs FunctionName", at: TemplateNode(.null, line: r.line))
            return
        }
        let qualifier = p.string("Qualifier") ?? "$LATEST"
        if qualifier != "$LATEST" {
            draft.note("Notes", "\(stackName)/\(r.logicalId): Qualifier \(qualifier) applied to the function itself (EventRouter has no versions or aliases)")
        }
        var settings = JSONObject()
        applyInvokeConfig(p.json, to: &settings)
        draft.invokeConfigs.append((functionArn(function), settings, "\(stackName)/\(r.logicalId)"))
    }

    /// One entry of a SAM function's `Events`.
    func samEvent(_ eventName: String, _ value: JSONValue, function logicalId: String, arn: String, name: String, into draft: inout WorkspaceDraft) {
        let node = resources[logicalId]?.properties["Events"]?[eventName]
        let type = value["Type"]?.stringValue ?? ""
        let p = props(value["Properties"]?.objectValue ?? JSONObject(), node: node?["Properties"])
        let origin = "\(stackName)/\(logicalId) event \(eventName)"
        switch type {
        case "EventBridgeRule", "CloudWatchEvent", "Schedule":
            var rule = JSONObject()
            let ruleName = p.string(type == "Schedule" ? "Name" : "RuleName")
                ?? PhysicalName.generate(stack: stackName, logicalId: logicalId + eventName, account: account, region: region, maximumLength: 64)
            rule["Name"] = .string(ruleName)
            if let bus = p.string("EventBusName") { rule["EventBusName"] = .string(bus) }
            if type == "Schedule" {
                guard let schedule = p.string("Schedule") else { problem("\(eventName): a Schedule event needs Schedule", at: node); return }
                rule["ScheduleExpression"] = .string(schedule)
            } else {
                guard let pattern = p.value("Pattern") else { problem("\(eventName): an \(type) event needs Pattern", at: node); return }
                rule["EventPattern"] = pattern
            }
            if let state = p.string("State") { rule["State"] = .string(state) }
            else if let enabled = p.bool("Enabled") { rule["State"] = .string(enabled ? "ENABLED" : "DISABLED") }
            if let d = p.string("Description") { rule["Description"] = .string(d) }
            var target = JSONObject()
            let defaultId = String((logicalId + eventName + "LambdaTarget").prefix(64))
            target["Id"] = .string(p.object("Target")?["Id"]?.stringValue ?? defaultId)
            target["Arn"] = .string(arn)
            for key in ["Input", "InputPath", "InputTransformer", "RetryPolicy"] { if let v = p.value(key) { target[key] = v } }
            if let dlc = p.object("DeadLetterConfig") {
                if let a = dlc["Arn"] { target["DeadLetterConfig"] = ["Arn": a] }
                else if dlc["Type"]?.stringValue == "SQS" {
                    let queueName = PhysicalName.generate(stack: stackName, logicalId: dlc["QueueLogicalId"]?.stringValue ?? (logicalId + eventName + "Queue"),
                                                          account: account, region: region, maximumLength: 80)
                    add("Queues", ["QueueName": .string(queueName)], to: &draft)
                    target["DeadLetterConfig"] = ["Arn": .string("arn:aws:sqs:\(region):\(account):\(queueName)")]
                    draft.note("Imported", "\(origin): dead-letter queue \(queueName) (SAM's DeadLetterConfig Type SQS)")
                }
            }
            rule["Targets"] = .array(ruleTargets([.object(target)], ruleName: ruleName, node: node, into: &draft))
            add("Rules", rule, to: &draft)
        case "SQS":
            guard let queue = p.string("Queue") else { problem("\(eventName): an SQS event needs Queue", at: node); return }
            mapping(source: queue, function: name, p, origin: origin, into: &draft)
        case "Kinesis":
            guard let stream = p.string("Stream") else { problem("\(eventName): a Kinesis event needs Stream", at: node); return }
            mapping(source: stream, function: name, p, origin: origin, into: &draft)
        case "SNS":
            guard let topic = p.string("Topic") else { problem("\(eventName): an SNS event needs Topic", at: node); return }
            guard topic.hasPrefix("arn:") && topic.split(separator: ":").dropFirst(2).first == "sns" else {
                problem("\(eventName): Topic '\(topic)' is not a topic ARN", at: node); return
            }
            var sub: JSONObject = ["Protocol": "lambda", "Endpoint": .string(arn)]
            if let f = p.value("FilterPolicy") { sub["FilterPolicy"] = f }
            if let s = p.string("FilterPolicyScope") { sub["FilterPolicyScope"] = .string(s) }
            if p.value("SqsSubscription") != nil { draft.note("Notes", "\(origin): SqsSubscription is not modelled; the function subscribes to the topic directly") }
            draft.subscriptions.append((topic, sub, origin))
        default:
            draft.note("Skipped resources", "\(origin): event type \(type.isEmpty ? "(none)" : type) (EventRouter runs EventBridgeRule, CloudWatchEvent, Schedule, SQS, Kinesis and SNS events)")
        }
    }
}
