#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import EventRouter
import EventRouterTesting

/// Buses, rules with their targets, bus policies, tags, connections and API destinations created
/// through the EventBridge API survive `kill -9` with `run --data-dir` (records 30–39 and the
/// snapshot's "resources"): the same answers after the restart, events still routed, still
/// exported as API-created, kept by a hot reload; a corrupt record stops the start saying why.
@Suite struct ResourceDurabilityTests {
    static let account = "123456789012"
    static let files = #"{"Queues": [{"QueueName": "orders"}, {"QueueName": "dlq"}], "Rules": [{"Name": "file-rule", "#
        + #""EventPattern": {"source": ["files"]}, "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders"}]}]}"#

    /// Starts `run` on `data`; returns the process, its port and its data line.
    static func start(_ path: String, data: String, extra: [String] = []) async throws -> (SpawnedProcess, port: Int, dataLine: String?) {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool {
            SpawnedProcess(binary, ["run", "--port", "0", "--workspace", path, "--data-dir", data, "--fsync", "always"] + extra)
        })
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        guard let port = line.flatMap({ $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }) else {
            kill(process.pid, SIGKILL)
            _ = await offPool { process.waitForExit() }
            let errors = await offPool { process.readAllErrors() }
            throw TestFailure("first line: \(line ?? "none"); stderr: \(errors)")
        }
        _ = await offPool { process.readLine() }
        return (process, port, await offPool { process.readLine() })
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func events(_ port: Int, _ operation: String, _ body: String) async -> TestResponse? {
        await offPool { HotReloadEndToEndTests.call(port, target: "AWSEvents.\(operation)", version: "1.1", body) }
    }

    /// Calls `operation` and expects HTTP 200; returns the body.
    @discardableResult
    static func ok(_ port: Int, _ operation: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
        let response = await events(port, operation, body)
        #expect(response?.status == 200, "\(operation): \(response?.body ?? "no answer")", sourceLocation: sourceLocation)
        return response?.body ?? ""
    }

    static let ruleArn = "arn:aws:events:us-east-1:123456789012:rule/shop/r1"
    static let busArn = "arn:aws:events:us-east-1:123456789012:event-bus/shop"

    /// Creates the resources every test reads back; returns the API destination's ARN.
    static func create(_ port: Int) async throws -> String {
        await ok(port, "CreateEventBus", #"{"Name": "shop", "Description": "the shop's bus", "Tags": [{"Key": "team", "Value": "orders"}]}"#)
        await ok(port, "PutRule", #"{"Name": "r1", "EventBusName": "shop", "EventPattern": "{\"source\": [\"shop\"]}", "Description": "orders", "#
                 + #""RoleArn": "arn:aws:iam::123456789012:role/r", "Tags": [{"Key": "k", "Value": "v"}]}"#)
        let connection = await ok(port, "CreateConnection", #"{"Name": "c1", "AuthorizationType": "API_KEY", "#
                                  + #""AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "secret"}}}"#)
        let connectionArn = try #require((try? JSONParser.parse(connection))?["ConnectionArn"]?.stringValue, "\(connection)")
        let destination = await ok(port, "CreateApiDestination", #"{"Name": "d1", "ConnectionArn": "\#(connectionArn)", "#
                                   + #""InvocationEndpoint": "https://127.0.0.1:9/hook", "HttpMethod": "POST", "InvocationRateLimitPerSecond": 10}"#)
        let destinationArn = try #require((try? JSONParser.parse(destination))?["ApiDestinationArn"]?.stringValue, "\(destination)")
        await ok(port, "UpdateApiDestination", #"{"Name": "d1", "InvocationRateLimitPerSecond": 20, "Description": "hook"}"#)
        await ok(port, "PutTargets", #"{"Rule": "r1", "EventBusName": "shop", "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders", "#
                 + #""InputTransformer": {"InputPathsMap": {"n": "$.detail.n"}, "InputTemplate": "{\"n\": <n>}"}, "#
                 + #""RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 600}, "#
                 + #""DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}, "#
                 + #"{"Id": "api", "Arn": "\#(destinationArn)", "HttpParameters": {"HeaderParameters": {"x-shop": "1"}}}]}"#)
        await ok(port, "PutRule", #"{"Name": "sched", "ScheduleExpression": "rate(1 hour)", "State": "DISABLED"}"#)
        await ok(port, "PutPermission", #"{"EventBusName": "shop", "Action": "events:PutEvents", "Principal": "210987654321", "StatementId": "partner"}"#)
        // Created and deleted again: not there after the restart.
        await ok(port, "PutRule", #"{"Name": "gone", "EventPattern": "{\"source\": [\"x\"]}"}"#)
        await ok(port, "PutTargets", #"{"Rule": "gone", "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders"}]}"#)
        await ok(port, "RemoveTargets", #"{"Rule": "gone", "Ids": ["q"]}"#)
        await ok(port, "DeleteRule", #"{"Name": "gone"}"#)
        await ok(port, "EnableRule", #"{"Name": "file-rule"}"#)
        await ok(port, "TagResource", #"{"ResourceARN": "\#(busArn)", "Tags": [{"Key": "env", "Value": "dev"}]}"#)
        await ok(port, "UntagResource", #"{"ResourceARN": "\#(busArn)", "TagKeys": ["team"]}"#)
        return destinationArn
    }

    /// The answers that must be equal before and after a restart.
    static func reads(_ port: Int) async -> [String] {
        var answers: [String] = []
        for (operation, body) in [
            ("DescribeEventBus", #"{"Name": "shop"}"#), ("ListRules", #"{"EventBusName": "shop"}"#), ("ListRules", "{}"),
            ("ListTargetsByRule", #"{"Rule": "r1", "EventBusName": "shop"}"#), ("DescribeRule", #"{"Name": "sched"}"#),
            ("DescribeRule", #"{"Name": "r1", "EventBusName": "shop"}"#),
            ("ListTagsForResource", #"{"ResourceARN": "\#(ruleArn)"}"#), ("ListTagsForResource", #"{"ResourceARN": "\#(busArn)"}"#),
            ("DescribeConnection", #"{"Name": "c1"}"#), ("ListConnections", "{}"), ("DescribeApiDestination", #"{"Name": "d1"}"#),
            ("ListApiDestinations", "{}"), ("DescribeRule", #"{"Name": "gone"}"#),
        ] {
            let response = await events(port, operation, body)
            answers.append("\(operation) \(body) -> \(response?.status ?? 0) \(response?.body ?? "")")
        }
        return answers
    }

    static func export(_ port: Int) async -> String {
        await offPool { () -> String in
            let socket = LoopbackSocket(port: port)
            socket?.send("GET /_eventrouter/export HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return socket?.readResponse()?.body ?? ""
        }
    }

    @Test func apiResourcesAreServedTheSameAfterKillMinus9AndAfterASnapshot() async throws {
        let folder = RunCommandAdminTests.Folder(Self.files)
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let data = folder.path + "/data"
        let (first, port, _) = try await Self.start(folder.path, data: data)
        _ = try await Self.create(port)
        let before = await Self.reads(port)
        #expect(before.contains { $0.hasPrefix("DescribeRule {\"Name\": \"gone\"} -> 400") })
        let exported = await Self.export(port)
        kill(first.pid, SIGKILL)
        _ = await offPool { first.waitForExit() }

        let (second, port2, dataLine) = try await Self.start(folder.path, data: data)
        #expect(dataLine?.contains("0 pending deliveries, 1 bus, 2 rules, 2 targets, 1 bus policy, 1 connection, 1 API destination from ") == true,
                "\(dataLine ?? "none")")
        let after = await Self.reads(port2)
        for (a, b) in zip(before, after) { #expect(a == b) }
        #expect(await Self.export(port2) == exported, "still exported as created through the API")
        #expect(exported.contains(#""Name":"r1""#) && exported.contains(#""EventBuses":[{"Name":"shop"}]"#) && !exported.contains("file-rule"), "\(exported)")

        // Routing works: the recovered rule delivers through its recovered input transformer.
        await Self.ok(port2, "PutEvents", #"{"Entries": [{"Source": "shop", "DetailType": "T", "Detail": "{\"n\": 7}", "EventBusName": "shop"}]}"#)
        let received = await offPool {
            HotReloadEndToEndTests.call(port2, target: "AmazonSQS.ReceiveMessage", version: "1.0",
                                        #"{"QueueUrl": "http://127.0.0.1:\#(port2)/123456789012/orders", "WaitTimeSeconds": 10}"#)
        }
        #expect(received?.body.contains(#""Body":"{\"n\": 7}""#) == true, "\(received?.body ?? "")")

        // A graceful stop writes a snapshot (with "resources"); the next start reads it.
        kill(second.pid, SIGTERM)
        #expect(await offPool { second.waitForExit() } == 0)
        let (third, port3, line3) = try await Self.start(folder.path, data: data)
        #expect(line3?.contains("1 bus, 2 rules, 2 targets, 1 bus policy, 1 connection, 1 API destination from snapshot") == true, "\(line3 ?? "none")")
        let fromSnapshot = await Self.reads(port3)
        for (a, b) in zip(before, fromSnapshot) { #expect(a == b) }
        // Deleting through the API is kept too.
        await Self.ok(port3, "RemoveTargets", #"{"Rule": "r1", "EventBusName": "shop", "Ids": ["q", "api"]}"#)
        await Self.ok(port3, "DeleteRule", #"{"Name": "r1", "EventBusName": "shop"}"#)
        await Self.ok(port3, "DeleteEventBus", #"{"Name": "shop"}"#)
        await Self.ok(port3, "DeleteApiDestination", #"{"Name": "d1"}"#)
        await Self.ok(port3, "DeleteConnection", #"{"Name": "c1"}"#)
        kill(third.pid, SIGKILL)
        _ = await offPool { third.waitForExit() }
        let (fourth, port4, line4) = try await Self.start(folder.path, data: data)
        // Only sched is left (the API destination's delivery, still retrying, cannot be delivered again: its bus is gone).
        #expect(line4?.contains(" deliver") == true && line4?.contains(", 1 rule") == true && line4?.contains("bus,") == false
                && line4?.contains("connection") == false, "\(line4 ?? "none")")
        #expect(await Self.events(port4, "DescribeEventBus", #"{"Name": "shop"}"#)?.status == 400)
        #expect(await Self.events(port4, "DescribeConnection", #"{"Name": "c1"}"#)?.status == 400)
        kill(fourth.pid, SIGTERM)
        #expect(await offPool { fourth.waitForExit() } == 0)
    }

    @Test func aRuleFileEditAndReloadAfterRecoveryKeepsTheAPIRules() async throws {
        let folder = RunCommandAdminTests.Folder(Self.files)
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let data = folder.path + "/data"
        let (first, port, _) = try await Self.start(folder.path, data: data)
        _ = try await Self.create(port)
        kill(first.pid, SIGKILL)
        _ = await offPool { first.waitForExit() }

        let (second, port2, _) = try await Self.start(folder.path, data: data, extra: ["--reload-interval", "0.05"])
        defer { kill(second.pid, SIGKILL); _ = second.waitForExit() }
        let edited = #"{"Queues": [{"QueueName": "orders"}, {"QueueName": "dlq"}], "Rules": [{"Name": "file-rule-2", "#
            + #""EventPattern": {"source": ["files"]}, "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders"}]}]}"#
        try edited.write(toFile: folder.path + "/Rules/a.json", atomically: true, encoding: .utf8)
        let applied = await HotReloadEndToEndTests.waitForLine(second) { $0.contains("[reload]") }
        #expect(applied?.hasPrefix("notice [reload] reloaded 1 rule file") == true, "\(applied ?? "none")")
        let defaultRules = await Self.ok(port2, "ListRules", "{}")
        #expect(defaultRules.contains(#""Name":"file-rule-2""#) && !defaultRules.contains(#""Name":"file-rule""#), "\(defaultRules)")
        #expect(defaultRules.contains(#""Name":"sched""#), "the API rule stays: \(defaultRules)")
        let shopRules = await Self.ok(port2, "ListTargetsByRule", #"{"Rule": "r1", "EventBusName": "shop"}"#)
        #expect(shopRules.contains(#""Id":"api""#), "\(shopRules)")
    }

    @Test(arguments: [
        (UInt8(32), #"{"arn":"arn:aws:events:us-east-1:123456789012:rule/r"}"#,
         #"a rulePut record for arn:aws:events:us-east-1:123456789012:rule/r has no rule "r" with "Name" and "EventBusArn""#),
        (UInt8(32), #"{"arn":"arn:aws:events:us-east-1:123456789012:rule/nobus/r","r":{"Name":"r","EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/nobus","EventPattern":"{\"source\":[\"a\"]}"}}"#,
         "the journal holds rule arn:aws:events:us-east-1:123456789012:rule/nobus/r of bus arn:aws:events:us-east-1:123456789012:event-bus/nobus, which was neither created through the API nor is declared in the rule files; declare it again (EventBuses in a rule file), or move the data directory aside to start empty"),
        (UInt8(32), #"{"arn":"arn:aws:events:us-east-1:123456789012:rule/r","r":{"Name":"r","EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/default","EventPattern":"{\"source\":\"a\"}"}}"#,
         "the recovered rule arn:aws:events:us-east-1:123456789012:rule/r has an EventPattern that is not valid: "),
        (UInt8(35), #"{"arn":"c","a":"123456789012","g":"us-east-1"}"#, #"a connectionPut record for c has no "c" entry with a "Name""#),
        (UInt8(39), #"{"arn":"arn:aws:events:us-east-1:123456789012:event-bus/default"}"#,
         #"a resourceTags record for arn:aws:events:us-east-1:123456789012:event-bus/default has no "Tags" list"#),
        (UInt8(34), #"{"arn":"arn:aws:events:us-east-1:123456789012:event-bus/default","Policy":"{}"}"#,
         "the recovered policy of bus arn:aws:events:us-east-1:123456789012:event-bus/default is not valid: "),
    ])
    func aCorruptResourceRecordStopsTheStartSayingWhatIsWrong(type: UInt8, payload: String, reason: String) async throws {
        let folder = RunCommandAdminTests.Folder(Self.files)
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let data = folder.path + "/data"
        try FileManager.default.createDirectory(atPath: data + "/journal", withIntermediateDirectories: true)
        let file = data + "/journal/00000000000000000001.journal"
        #expect(FileManager.default.createFile(atPath: file, contents: Data(RunDataDirectoryTests.segment(type: type, payload: payload))))
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", folder.path, "--data-dir", data]) })
        let errors = await offPool { process.readAllErrors() }
        #expect(await offPool { process.waitForExit() } != 0)
        #expect(errors.contains("the record at offset 16 of \(file) cannot be recovered: \(reason)") || errors.contains("cannot recover the state in \(data): \(reason)"),
                "\(errors)")
    }
}
