import Foundation
import EventRouter

/// Writes a workspace as a CloudFormation (SAM) template that deploys to AWS (docs/cloudformation.md):
/// buses, bus policies, archives, queues, topics and subscriptions, streams, functions, event
/// source mappings and rules, with the IAM role and resource permissions EventBridge, SNS and
/// Lambda need. One account: the first rule file's (resources of other accounts are listed in
/// `Metadata.EventRouter.NotExported`).
public struct CloudFormationExporter {
    /// Why a workspace cannot be exported.
    public struct ExportError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    var resources = JSONObject()
    var ids: Set<String> = []
    var references: [String: JSONValue] = [:]  // ARN -> reference
    var kinds: [String: (id: String, kind: String)] = [:]  // ARN -> (logical id, kind)
    var queuePolicies: [String: [JSONValue]] = [:]  // queue id -> statements
    var topicPolicies: [String: [JSONValue]] = [:]
    var roleStatements: [JSONValue] = []
    var notes: [String] = []
    var notExported: [String] = []
    var account = FunctionManifest.defaultAccount
    var region = FunctionManifest.defaultRegion

    /// Exports the workspace in `directory` (which must validate).
    /// `account`: the account to export (default: the first rule file's).
    public static func export(directory: String, account: String? = nil) throws(ExportError) -> JSONValue {
        let loaded = WorkspaceLoader.validate(directory: directory)
        guard loaded.workspace != nil else {
            throw ExportError(description: "the workspace has errors; run 'eventrouter validate' and fix them first:\n"
                              + loaded.problems.filter { $0.severity == .error }.map { "  \($0)" }.joined(separator: "\n"))
        }
        let read = WorkspaceRuleFiles(directory: directory)
        var files: [JSONObject] = []
        for f in read.files { if let o = (try? JSONParser.parse(f.text))?.objectValue { files.append(o) } }
        var functions: [(String, JSONObject)] = []
        let folder = directory + "/Functions"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            if let data = FileManager.default.contents(atPath: "\(folder)/\(name)/function.json"),
               let o = (try? JSONParser.parse(String(decoding: data, as: UTF8.self)))?.objectValue {
                functions.append((name, o))
            }
        }
        var exporter = CloudFormationExporter()
        if let account {
            guard files.contains(where: { ($0["Account"]?.stringValue ?? FunctionManifest.defaultAccount) == account }) else {
                throw ExportError(description: "no rule file of the workspace is in account \(account)")
            }
            exporter.account = account
        }
        return exporter.build(files: files, functions: functions, chosen: account != nil)
    }

    // MARK: names and references

    mutating func logicalId(_ prefix: String, _ name: String) -> String {
        var base = prefix
        var upper = true
        for c in name {
            if c.isASCII && (c.isLetter || c.isNumber) {
                base.append(upper ? Character(c.uppercased()) : c)
                upper = false
            } else { upper = true }
        }
        var id = String(base.prefix(240))
        var n = 2
        while ids.contains(id) { id = String(base.prefix(236)) + "\(n)"; n += 1 }
        ids.insert(id)
        return id
    }

    /// A reference to an ARN: the resource's own when it is in the template, else the ARN with
    /// this account and region as pseudo parameters.
    func ref(_ arn: String) -> JSONValue {
        if let r = references[arn] { return r }
        if arn.contains(":\(region):\(account):") {
            let text = arn.replacingOccurrences(of: ":\(region):\(account):", with: ":${AWS::Region}:${AWS::AccountId}:")
                .replacingOccurrences(of: "arn:aws:", with: "arn:${AWS::Partition}:")
            return ["Fn::Sub": .string(text)]
        }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if parts.count == 6, parts[4].count == 12, parts[4].allSatisfy(\.isNumber) {
            var p = parts.map(String.init)
            p[1] = "${AWS::Partition}"
            p[4] = "${Account\(parts[4])}"
            return ["Fn::Sub": .string(p.joined(separator: ":"))]
        }
        return .string(arn)
    }

    mutating func add(_ id: String, _ type: String, _ properties: JSONObject, extra: JSONObject = JSONObject()) {
        var r: JSONObject = ["Type": .string(type), "Properties": .object(properties)]
        for m in extra.members { r[m.key] = m.value }
        resources[id] = .object(r)
    }

    static func arn(_ service: String, _ region: String, _ account: String, _ resource: String) -> String {
        "arn:aws:\(service):\(region):\(account):\(resource)"
    }

    static let eventsPrincipal: JSONValue = ["Service": "events.amazonaws.com"]

    // MARK: building

    mutating func build(files: [JSONObject], functions: [(String, JSONObject)], chosen: Bool) -> JSONValue {
        if !chosen { account = files.first?["Account"]?.stringValue ?? FunctionManifest.defaultAccount }
        let first = files.first { ($0["Account"]?.stringValue ?? FunctionManifest.defaultAccount) == account }
        region = first?["Region"]?.stringValue ?? FunctionManifest.defaultRegion
        let mine = files.filter { ($0["Account"]?.stringValue ?? FunctionManifest.defaultAccount) == account && ($0["Region"]?.stringValue ?? FunctionManifest.defaultRegion) == region }
        for f in files where !mine.contains(f) {
            notExported.append("resources of account \(f["Account"]?.stringValue ?? FunctionManifest.defaultAccount) in \(f["Region"]?.stringValue ?? FunctionManifest.defaultRegion) (export them from a workspace of that account)")
        }
        func section(_ name: String) -> [JSONObject] { mine.flatMap { $0[name]?.arrayValue ?? [] }.compactMap(\.objectValue) }
        // Declare every resource first, so that references resolve whatever the order.
        for bus in section("EventBuses") {
            guard let name = bus["Name"]?.stringValue, name != "default" else { continue }
            let id = logicalId("Bus", name)
            let arn = Self.arn("events", region, account, "event-bus/\(name)")
            references[arn] = ["Fn::GetAtt": [.string(id), "Arn"]]
            kinds[arn] = (id, "bus")
        }
        for q in section("Queues") {
            guard let name = q["QueueName"]?.stringValue else { continue }
            let id = logicalId("Queue", name)
            let arn = Self.arn("sqs", region, account, name)
            references[arn] = ["Fn::GetAtt": [.string(id), "Arn"]]
            kinds[arn] = (id, "queue")
        }
        for t in section("Topics") {
            guard let name = t["TopicName"]?.stringValue else { continue }
            let id = logicalId("Topic", name)
            let arn = Self.arn("sns", region, account, name)
            references[arn] = ["Ref": .string(id)]
            kinds[arn] = (id, "topic")
        }
        for s in section("Streams") {
            guard let name = s["Name"]?.stringValue else { continue }
            let id = logicalId("Stream", name)
            let arn = Self.arn("kinesis", region, account, "stream/\(name)")
            references[arn] = ["Fn::GetAtt": [.string(id), "Arn"]]
            kinds[arn] = (id, "stream")
        }
        for (name, manifest) in functions {
            guard (manifest["Account"]?.stringValue ?? FunctionManifest.defaultAccount) == account else {
                notExported.append("function \(name) of account \(manifest["Account"]?.stringValue ?? "?")")
                continue
            }
            let id = logicalId("Function", name)
            let arn = Self.arn("lambda", region, account, "function:\(name)")
            references[arn] = ["Fn::GetAtt": [.string(id), "Arn"]]
            kinds[arn] = (id, "function")
        }
        exportBuses(section("EventBuses"))
        exportQueues(section("Queues"))
        exportTopics(section("Topics"))
        exportStreams(section("Streams"))
        exportFunctions(functions)
        exportMappings(section("EventSourceMappings"))
        exportArchives(section("Archives"))
        exportApiDestinations(connections: section("Connections"), destinations: section("ApiDestinations"))
        exportRules(section("Rules"))
        finishPolicies()
        var template: JSONObject = [
            "AWSTemplateFormatVersion": "2010-09-09",
            "Transform": "AWS::Serverless-2016-10-31",
            "Description": .string("Exported by eventrouter export cloudformation from a workspace of account \(account) in \(region)"),
        ]
        var metadata: JSONObject = ["ExportedAccount": .string(account), "ExportedRegion": .string(region)]
        if !notes.isEmpty { metadata["Notes"] = .array(notes.map { .string($0) }) }
        if !notExported.isEmpty { metadata["NotExported"] = .array(notExported.map { .string($0) }) }
        template["Metadata"] = ["EventRouter": .object(metadata)]
        // Every other account named in an ARN is a parameter (its default: the workspace's value).
        var foreign = Set<String>()
        Self.collectAccounts(.object(resources), into: &foreign)
        if !foreign.isEmpty {
            var parameters = JSONObject()
            for a in foreign.sorted() {
                parameters["Account\(a)"] = ["Type": "String", "Default": .string(a), "AllowedPattern": "^[0-9]{12}$",
                                               "Description": .string("The account that is \(a) in the EventRouter workspace")]
            }
            template["Parameters"] = .object(parameters)
        }
        template["Resources"] = .object(resources)
        return .object(template)
    }

    static func collectAccounts(_ v: JSONValue, into out: inout Set<String>) {
        switch v {
        case .string(let s):
            var rest = Substring(s)
            while let r = rest.range(of: "${Account") {
                let after = rest[r.upperBound...]
                let digits = after.prefix { $0.isNumber }
                if digits.count == 12, after.dropFirst(12).first == "}" { out.insert(String(digits)) }
                rest = after
            }
        case .array(let a): for x in a { collectAccounts(x, into: &out) }
        case .object(let o): for m in o.members { collectAccounts(m.value, into: &out) }
        default: break
        }
    }

    mutating func exportBuses(_ buses: [JSONObject]) {
        for bus in buses {
            guard let name = bus["Name"]?.stringValue else { continue }
            let arn = Self.arn("events", region, account, "event-bus/\(name)")
            if name != "default", let id = kinds[arn]?.id {
                var p: JSONObject = ["Name": .string(name)]
                if let d = bus["Description"] { p["Description"] = d }
                add(id, "AWS::Events::EventBus", p)
            }
            var policy = bus["Policy"]
            if let text = policy?.stringValue { policy = try? JSONParser.parse(text) }
            let statements = policy?["Statement"]?.arrayValue ?? policy?["Statement"].map { [$0] } ?? []
            for (n, s) in statements.enumerated() {
                guard var st = s.objectValue else { continue }
                let sid = st["Sid"]?.stringValue ?? "statement-\(n + 1)"
                st["Sid"] = nil
                if let r = st["Resource"]?.stringValue { st["Resource"] = ref(r) }
                let id = logicalId("BusPolicy", "\(name)-\(sid)")
                let busName: JSONValue = name == "default" ? "default" : ["Ref": .string(kinds[arn]?.id ?? name)]
                add(id, "AWS::Events::EventBusPolicy", ["EventBusName": busName, "StatementId": .string(sid), "Statement": .object(st)])
            }
        }
    }

    static let queueProperties = ["FifoQueue", "ContentBasedDeduplication", "VisibilityTimeout", "DelaySeconds", "MessageRetentionPeriod",
                                  "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
                                  "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit"]

    mutating func exportQueues(_ queues: [JSONObject]) {
        for q in queues {
            guard let name = q["QueueName"]?.stringValue, let id = kinds[Self.arn("sqs", region, account, name)]?.id else { continue }
            var p: JSONObject = ["QueueName": .string(name)]
            for key in Self.queueProperties { if let v = q[key] { p[key] = v } }
            if var redrive = q["RedrivePolicy"]?.objectValue {
                if let target = redrive["deadLetterTargetArn"]?.stringValue { redrive["deadLetterTargetArn"] = ref(target) }
                p["RedrivePolicy"] = .object(redrive)
            }
            if let allow = q["RedriveAllowPolicy"] { p["RedriveAllowPolicy"] = allow }
            add(id, "AWS::SQS::Queue", p)
        }
    }

    mutating func allow(_ arn: String, from principal: JSONValue, source: JSONValue, sid: String) {
        guard let (id, kind) = kinds[arn] else { return }
        switch kind {
        case "queue":
            queuePolicies[id, default: []].append(["Sid": .string(sid), "Effect": "Allow", "Principal": principal, "Action": "sqs:SendMessage",
                                                   "Resource": ref(arn), "Condition": ["ArnEquals": ["aws:SourceArn": source]]])
        case "topic":
            topicPolicies[id, default: []].append(["Sid": .string(sid), "Effect": "Allow", "Principal": principal, "Action": "sns:Publish",
                                                   "Resource": ref(arn), "Condition": ["ArnEquals": ["aws:SourceArn": source]]])
        case "function":
            add(logicalId("Permission", sid), "AWS::Lambda::Permission",
                ["FunctionName": ["Ref": .string(id)], "Action": "lambda:InvokeFunction",
                 "Principal": principal["Service"] ?? "events.amazonaws.com", "SourceArn": source])
        default: break
        }
    }

    mutating func exportTopics(_ topics: [JSONObject]) {
        for t in topics {
            guard let name = t["TopicName"]?.stringValue else { continue }
            let arn = Self.arn("sns", region, account, name)
            guard let id = kinds[arn]?.id else { continue }
            var p: JSONObject = ["TopicName": .string(name)]
            for key in ["FifoTopic", "ContentBasedDeduplication"] { if let v = t[key] { p[key] = v } }
            add(id, "AWS::SNS::Topic", p)
            for (n, s) in (t["Subscription"]?.arrayValue ?? []).enumerated() {
                guard let endpoint = s["Endpoint"]?.stringValue, let proto = s["Protocol"]?.stringValue else { continue }
                var sp: JSONObject = ["TopicArn": ["Ref": .string(id)], "Protocol": .string(proto), "Endpoint": ref(endpoint)]
                for key in ["FilterPolicy", "FilterPolicyScope", "RawMessageDelivery"] { if let v = s[key] { sp[key] = v } }
                if var redrive = s["RedrivePolicy"]?.objectValue {
                    if let target = redrive["deadLetterTargetArn"]?.stringValue { redrive["deadLetterTargetArn"] = ref(target) }
                    sp["RedrivePolicy"] = .object(redrive)
                }
                add(logicalId("Subscription", "\(name)-\(n + 1)"), "AWS::SNS::Subscription", sp)
                allow(endpoint, from: ["Service": "sns.amazonaws.com"], source: ["Ref": .string(id)], sid: "\(name)-to-\(n + 1)")
            }
        }
    }

    /// `AWS::Events::Connection` and `AWS::Events::ApiDestination`: the rule-file entries are in
    /// CloudFormation's property names already; a destination names its connection by `Fn::GetAtt`.
    mutating func exportApiDestinations(connections: [JSONObject], destinations: [JSONObject]) {
        var ids: [String: String] = [:]
        for c in connections {
            guard let name = c["Name"]?.stringValue else { continue }
            let id = logicalId("Connection", name)
            ids[name] = id
            var p = JSONObject()
            for key in ["Name", "Description", "AuthorizationType", "AuthParameters"] { if let v = c[key] { p[key] = v } }
            add(id, "AWS::Events::Connection", p)
        }
        for d in destinations {
            guard let name = d["Name"]?.stringValue, let connection = d["ConnectionArn"]?.stringValue else { continue }
            let connectionName = ApiDestinationNames.name(inArnOrName: connection, kind: "connection")?.name ?? connection
            var p = JSONObject()
            for key in ["Name", "Description", "InvocationEndpoint", "HttpMethod", "InvocationRateLimitPerSecond"] { if let v = d[key] { p[key] = v } }
            p["ConnectionArn"] = ids[connectionName].map { ["Fn::GetAtt": [.string($0), "Arn"]] } ?? .string(connection)
            let id = logicalId("ApiDestination", name)
            references[Self.arn("events", region, account, "api-destination/\(name)")] = ["Fn::GetAtt": [.string(id), "Arn"]]
            add(id, "AWS::Events::ApiDestination", p)
        }
    }

    mutating func exportStreams(_ streams: [JSONObject]) {
        for s in streams {
            guard let name = s["Name"]?.stringValue, let id = kinds[Self.arn("kinesis", region, account, "stream/\(name)")]?.id else { continue }
            var p: JSONObject = ["Name": .string(name), "ShardCount": s["ShardCount"] ?? 1]
            if let h = s["RetentionPeriodHours"] { p["RetentionPeriodHours"] = h }
            add(id, "AWS::Kinesis::Stream", p)
        }
    }

    static func destinationType(_ arn: String) -> String {
        switch arn.split(separator: ":").dropFirst(2).first {
        case "sqs": return "SQS"
        case "sns": return "SNS"
        case "lambda": return "Lambda"
        default: return "EventBridge"
        }
    }

    mutating func exportArchives(_ archives: [JSONObject]) {
        for a in archives {
            guard let name = a["ArchiveName"]?.stringValue, let source = a["EventSourceArn"]?.stringValue else { continue }
            var p: JSONObject = ["ArchiveName": .string(name), "SourceArn": ref(source)]
            for key in ["EventPattern", "RetentionDays", "Description"] { if let v = a[key] { p[key] = v } }
            add(logicalId("Archive", name), "AWS::Events::Archive", p)
        }
    }

    mutating func exportRules(_ rules: [JSONObject]) {
        for rule in rules {
            guard let name = rule["Name"]?.stringValue else { continue }
            let id = logicalId("Rule", name)
            let ruleArn: JSONValue = ["Fn::GetAtt": [.string(id), "Arn"]]
            var p: JSONObject = ["Name": .string(name)]
            if let bus = rule["EventBusName"]?.stringValue, bus != "default" {
                let arn = bus.hasPrefix("arn:") ? bus : Self.arn("events", region, account, "event-bus/\(bus)")
                p["EventBusName"] = kinds[arn].map { ["Ref": .string($0.id)] } ?? .string(bus)
            }
            for key in ["EventPattern", "ScheduleExpression", "State", "Description"] {
                guard var v = rule[key] else { continue }
                if key == "EventPattern", let text = v.stringValue, let parsed = try? JSONParser.parse(text) { v = parsed }
                p[key] = v
            }
            var targets: [JSONValue] = []
            for t in rule["Targets"]?.arrayValue ?? [] {
                guard var target = t.objectValue, let arn = target["Arn"]?.stringValue else { continue }
                let targetId = target["Id"]?.stringValue ?? "target"
                target["Arn"] = ref(arn)
                if let input = target["Input"], input.stringValue == nil { target["Input"] = .string(input.jsonText) }
                if let dlq = target["DeadLetterConfig"]?["Arn"]?.stringValue {
                    target["DeadLetterConfig"] = ["Arn": ref(dlq)]
                    allow(dlq, from: Self.eventsPrincipal, source: ruleArn, sid: "\(name)-\(targetId)-dlq")
                }
                let service = arn.split(separator: ":").dropFirst(2).first ?? ""
                if service == "kinesis" || service == "events" {
                    target["RoleArn"] = ["Fn::GetAtt": ["EventBridgeTargetRole", "Arn"]]
                    roleStatements.append(["Effect": "Allow", "Action": service == "kinesis" ? ["kinesis:PutRecord", "kinesis:PutRecords"] : ["events:PutEvents"],
                                           "Resource": ref(arn)])
                    if service == "kinesis", target["KinesisParameters"] == nil { target["KinesisParameters"] = ["PartitionKeyPath": "$.id"] }
                } else {
                    allow(arn, from: Self.eventsPrincipal, source: ruleArn, sid: "\(name)-\(targetId)")
                }
                targets.append(.object(target))
            }
            if !targets.isEmpty { p["Targets"] = .array(targets) }
            add(id, "AWS::Events::Rule", p)
        }
    }

    mutating func finishPolicies() {
        for (id, statements) in queuePolicies.sorted(by: { $0.key < $1.key }) {
            add(logicalId("Policy", id), "AWS::SQS::QueuePolicy",
                ["Queues": [["Ref": .string(id)]], "PolicyDocument": ["Version": "2012-10-17", "Statement": .array(statements)]])
        }
        for (id, statements) in topicPolicies.sorted(by: { $0.key < $1.key }) {
            add(logicalId("Policy", id), "AWS::SNS::TopicPolicy",
                ["Topics": [["Ref": .string(id)]], "PolicyDocument": ["Version": "2012-10-17", "Statement": .array(statements)]])
        }
        if !roleStatements.isEmpty {
            ids.insert("EventBridgeTargetRole")
            add("EventBridgeTargetRole", "AWS::IAM::Role", [
                "AssumeRolePolicyDocument": ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Principal": Self.eventsPrincipal, "Action": "sts:AssumeRole"]]],
                "Policies": [["PolicyName": "deliver-to-targets", "PolicyDocument": ["Version": "2012-10-17", "Statement": .array(roleStatements)]]],
            ])
        }
    }
}
