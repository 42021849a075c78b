import Foundation
import Testing
@testable import EventRouter

/// Issue 18: `eventrouter test` (scenarios with injected faults and expectations) and
/// `eventrouter graph`, run as the built binary against the example workspace and copies of it
/// with broken scenarios.
@Suite struct ScenarioCommandTests {
    let folder: FunctionTempFolder
    init() throws { folder = try FunctionTempFolder() }

    /// Copies the example workspace (Rules/*.json, Functions/, docs/examples) into the temp folder, without its scenarios.
    func copyWorkspace(excluding excluded: Set<String> = []) throws {
        let fm = FileManager.default
        let root = CLI.repository
        try fm.createDirectory(atPath: folder.path + "/Rules/scenarios", withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: root + "/Rules") where name.hasSuffix(".json") && !excluded.contains(name) {
            try fm.copyItem(atPath: root + "/Rules/" + name, toPath: folder.path + "/Rules/" + name)
        }
        try fm.copyItem(atPath: root + "/Functions", toPath: folder.path + "/Functions")
    }

    func scenario(_ name: String, _ text: String) throws {
        _ = try folder.write("Rules/scenarios/\(name).json", text)
    }

    static let order = #"{ "Source": "shop.orders", "DetailType": "OrderPlaced", "EventBusName": "orders", "Detail": "{\"orderId\":\"o-1\",\"total\":250,\"channel\":\"web\",\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"shipping\":\"express\",\"items\":[{\"sku\":\"A\",\"price\":250}]}" }"#

    @Test func theExampleScenariosPass() async throws {
        let r = try await CLI.run(["test"], in: CLI.repository)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for name in ["order-reaches-every-target", "order-processing-outage", "rolling-average-throttled", "cross-account-forward"] {
            #expect(r.stdout.contains("PASS \(name) ("), "\(r.stdout)")
        }
        #expect(r.stdout.contains("4 of 4 scenarios passed (seed 1)"))
    }

    /// Each fault kind and each expectation kind, broken: one FAIL line each with expected versus actual.
    @Test func eachFaultAndExpectationKindFailsWithADiff() async throws {
        try copyWorkspace()
        let cases: [(name: String, faults: String, expect: String, shown: [String])] = [
            ("target-first-attempts", #"{"Rule": "big-orders", "TargetId": "sales", "ErrorCode": "NO_PERMISSIONS", "FirstAttempts": 1}"#,
             #"{"Queue": "big-orders", "Count": 1}"#, ["$.Expect[0]: queue big-orders", "expected: exactly 1", "actual:   0", "non-retriable NO_PERMISSIONS"]),
            ("target-window", #"{"Arn": "arn:aws:sqs:us-east-1:123456789012:order-processing", "ErrorCode": "TIMEOUT", "From": "+0s", "Until": "+2h"}"#,
             #"{"Queue": "order-processing", "Count": 1}"#, ["queue order-processing", "actual:   0", "retriable TIMEOUT"]),
            ("target-always", #"{"Queue": "express-shipping", "ErrorCode": "NO_RESOURCE", "Always": true}"#,
             #"{"Queue": "express-shipping", "AtLeast": 1}"#, ["queue express-shipping", "expected: at least 1", "actual:   0"]),
            ("stream-throttle", #"{"Stream": "order-events", "FirstAttempts": 2}"#,
             #"{"Function": "echo", "Invocations": 0}"#, ["function echo invocations", "expected: exactly 0", "actual:   1"]),
            ("function-error", #"{"Function": "order-total", "Error": {"Type": "Boom", "Message": "broken"}, "Always": true}"#,
             #"{"Queue": "order-totals", "Count": 1}"#, ["queue order-totals", "actual:   0"]),
            ("function-timeout", #"{"Function": "order-total", "Timeout": true, "Always": true}"#,
             #"{"Function": "order-total", "Errors": 0}"#, ["function order-total errors", "timeouts 2"]),
            ("function-throttle", #"{"Function": "rolling-average", "Throttle": true, "FirstAttempts": 2}"#,
             #"{"Function": "rolling-average", "Throttles": 0}"#, ["function rolling-average throttles", "actual:   2"]),
            ("dlq-error-code", #"{"Queue": "order-processing", "ErrorCode": "NO_PERMISSIONS", "Always": true}"#,
             #"{"DeadLetterQueue": "orders-delivery-dlq", "Count": 1, "ErrorCode": "THROTTLING"}"#,
             ["with ERROR_CODE THROTTLING", "actual:   0 of 1 item", "ERROR_CODE NO_PERMISSIONS"]),
            ("dlq-exhausted", #"{"Queue": "order-processing", "ErrorCode": "THROTTLING", "Always": true}"#,
             #"{"DeadLetterQueue": "orders-delivery-dlq", "Count": 1, "ExhaustedRetryCondition": "MaximumRetryAttempts"}"#,
             ["EXHAUSTED_RETRY_CONDITION MaximumRetryAttempts", "EXHAUSTED_RETRY_CONDITION MaximumEventAgeInSeconds"]),
            ("pattern", "", #"{"Queue": "express-shipping", "Count": 1, "Matching": {"orderId": ["o-2"]}}"#,
             [#"matching {"orderId":["o-2"]}"#, "actual:   0 of 1 item; e.g. {"]),
            ("equals", "", #"{"Queue": "low-stock", "Count": 1, "Equals": {"action": "restock"}}"#, ["queue low-stock", "actual:   0"]),
            ("before", "", #"{"Queue": "order-processing", "Count": 1, "Before": "2023-01-01T00:00:00Z"}"#, ["arriving before 2023-01-01T00:00:00Z", "actual:   0 of 1"]),
            ("matched-rules", "", #"{"Event": 0, "MatchedRules": ["big-orders"]}"#, ["event 0 ($.Events[0]) matched other rules", "expected: big-orders", "actual:   audit-trail, big-orders"]),
            ("nothing-else", "", #"{"Queue": "order-processing", "Count": 1}, {"NothingElse": true}"#, ["something else was delivered", "queue big-orders: 1 message"]),
            ("rejected", "", #"{"Event": 0, "Rejected": true}"#, ["was accepted", "expected: rejected"]),
        ]
        for c in cases {
            try scenario(c.name, #"{"Events": [\#(Self.order)], "Faults": [\#(c.faults)], "Expect": [\#(c.expect)]}"#)
        }
        let r = try await CLI.run(["test", "--workspace", folder.path], in: folder.path)
        #expect(r.status == 1)
        let blocks = Self.blocks(r.stdout)
        for c in cases {
            guard let block = blocks[c.name] else { Issue.record("no result for \(c.name):\n\(r.stdout)"); continue }
            #expect(block.hasPrefix("FAIL \(c.name) "), "\(block)")
            for text in c.shown { #expect(block.contains(text), "\(c.name) lacks '\(text)':\n\(block)") }
        }
        #expect(r.stdout.contains("0 of \(cases.count) scenarios passed"))
    }

    /// A queue's consumer (an event source mapping with ReportBatchItemFailures) reports the
    /// records a fault chooses as failed: they return to the queue and are redriven.
    @Test func batchItemFailuresReturnTheChosenRecordsToTheQueue() async throws {
        try FileManager.default.createDirectory(atPath: folder.path + "/Rules/scenarios", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path + "/Functions", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.repository + "/Functions/echo", toPath: folder.path + "/Functions/echo")
        _ = try folder.write("Rules/work.json", #"""
{
  "Queues": [
    { "QueueName": "work", "VisibilityTimeout": 30, "RedrivePolicy": { "deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:work-dlq", "maxReceiveCount": 2 } },
    { "QueueName": "work-dlq" }
  ],
  "EventSourceMappings": [
    { "EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:work", "FunctionName": "echo", "BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"] }
  ],
  "Rules": [
    { "Name": "jobs", "EventPattern": { "source": ["jobs"] },
      "Targets": [{ "Id": "work", "Arn": "arn:aws:sqs:us-east-1:123456789012:work", "InputPath": "$.detail" }] }
  ]
}
"""#)
        let scenario = #"""
{
  "Events": [
    { "Source": "jobs", "DetailType": "Job", "Detail": "{\"id\": 1}" },
    { "Source": "jobs", "DetailType": "Job", "Detail": "{\"id\": 2, \"bad\": true}" },
    { "Source": "jobs", "DetailType": "Job", "Detail": "{\"id\": 3}" }
  ],
  "Faults": [{ "Function": "echo", "BatchItemFailures": { "Matching": { "bad": [true] } } }],
  "Expect": [
    { "Queue": "work-dlq", "Count": 1, "Matching": { "id": [2] } },
    { "Queue": "work", "Count": 0 },
    { "Function": "echo", "Invocations": { "AtLeast": 2 } }
  ]
}
"""#
        try self.scenario("bad-job", scenario)
        try self.scenario("bad-job-broken", scenario.replacingOccurrences(of: #""Count": 1, "Matching": { "id": [2] }"#, with: #""Count": 0"#))
        let r = try await CLI.run(["test", "--workspace", folder.path], in: folder.path)
        let blocks = Self.blocks(r.stdout)
        #expect(blocks["bad-job"]?.hasPrefix("PASS bad-job (3 expectations") == true, "\(r.stdout)")
        let broken = blocks["bad-job-broken"] ?? ""
        #expect(broken.hasPrefix("FAIL bad-job-broken ") && broken.contains("queue work-dlq") && broken.contains("expected: exactly 0")
                && broken.contains(#"actual:   1; e.g. {"id":2,"bad":true}"#), "\(broken)")
        #expect(r.status == 1)
    }

    /// The output of each scenario, by name.
    static func blocks(_ stdout: String) -> [String: String] {
        var result: [String: String] = [:]
        var current: String?
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(separator: " ")
            if let first = words.first, ["PASS", "FAIL", "INVALID"].contains(first), words.count > 1 {
                current = String(words[1]).trimmingCharacters(in: CharacterSet(charactersIn: ":"))
                result[current ?? ""] = String(line) + "\n"
            } else if let c = current {
                result[c, default: ""] += String(line) + "\n"
            }
        }
        return result
    }

    @Test func invalidScenariosAreReportedWithFileAndPath() async throws {
        try copyWorkspace()
        let cases: [(name: String, text: String, shown: String)] = [
            ("unknown-key", #"{"Events": [], "Expectt": []}"#, "$.Expectt: unknown key 'Expectt' in a scenario (did you mean 'Expect'?)"),
            ("unknown-fault-target", #"{"Events": [], "Faults": [{"Queue": "order-procesing", "Always": true}], "Expect": [{"NothingElse": true}]}"#,
             #"$.Faults[0].Queue: no queue "order-procesing" in the workspace (did you mean 'order-processing'?)"#),
            ("unknown-target-id", #"{"Events": [], "Faults": [{"Rule": "big-orders", "TargetId": "nope"}], "Expect": [{"NothingElse": true}]}"#,
             #"$.Faults[0].TargetId: rule big-orders has no target "nope"; its targets: sales"#),
            ("contradictory", #"{"Events": [], "Expect": [{"Queue": "payments", "Count": 2}, {"Queue": "payments", "AtMost": 1}]}"#,
             "$.Expect[1]: contradicts $.Expect[0]: exactly 2 versus at most 1 of the same items"),
            ("contradictory-count", #"{"Events": [], "Expect": [{"Queue": "payments", "AtLeast": 3, "AtMost": 1}]}"#, "$.Expect[0]: contradictory: at least 3 and at most 1"),
            ("bad-pattern", #"{"Events": [], "Expect": [{"Queue": "payments", "Matching": {"source": "shop"}}]}"#, "$.Expect[0].Matching: the pattern does not compile"),
            ("horizon", #"{"Events": [], "Horizon": "90d", "Expect": [{"NothingElse": true}]}"#, "$.Horizon: a horizon of \"90d\" is past the bound of 30 days"),
            ("no-expect", #"{"Events": []}"#, "$: missing required key 'Expect'"),
        ]
        for c in cases { try scenario(c.name, c.text) }
        let r = try await CLI.run(["test", "--workspace", folder.path], in: folder.path)
        #expect(r.status == 1)
        let blocks = Self.blocks(r.stdout)
        for c in cases {
            guard let block = blocks[c.name] else { Issue.record("no result for \(c.name):\n\(r.stdout)"); continue }
            #expect(block.hasPrefix("INVALID \(c.name) ("), "\(block)")
            #expect(block.contains("Rules/scenarios/\(c.name).json"), "\(block)")
            // `FILE: PATH: error: MESSAGE`, as `validate` prints a problem.
            let line = "Rules/scenarios/\(c.name).json: " + c.shown.replacingOccurrences(of: ": ", with: ": error: ", options: [], range: c.shown.range(of: ": "))
            #expect(block.contains(line), "\(c.name) lacks '\(line)':\n\(block)")
        }
    }

    @Test func aRunIsDeterministicForASeedAndWritesJUnit() async throws {
        // Without the rules and mappings to functions (Rules/analytics.json keeps only its
        // resources): process functions run in real time, so a loaded machine could time one
        // out; everything else is on virtual time.
        try copyWorkspace(excluding: ["analytics.json"])
        _ = try folder.write("Rules/analytics.json", #"{"Account": "123456789012", "Streams": [{"Name": "order-events", "ShardCount": 1}], "Queues": [{"QueueName": "order-totals"}, {"QueueName": "order-total-failures"}, {"QueueName": "rolling-averages"}]}"#)
        let root = CLI.repository
        for name in ["order-processing-outage", "cross-account-forward"] {
            try FileManager.default.copyItem(atPath: "\(root)/Rules/scenarios/\(name).json", toPath: "\(folder.path)/Rules/scenarios/\(name).json")
        }
        try scenario("broken", #"{"Events": [\#(Self.order)], "Expect": [{"Queue": "payments", "Count": 1}]}"#)
        try scenario("invalid", #"{"Events": [], "Expect": [{"Queue": "nope"}]}"#)
        let a = try await CLI.run(["test", "--workspace", ".", "--seed", "42", "--junit", "a.xml"], in: folder.path)
        let b = try await CLI.run(["test", "--workspace", ".", "--seed", "42", "--junit", "b.xml"], in: folder.path)
        #expect(a.status == 1)
        #expect(a.stdout == b.stdout)
        let x = try String(contentsOfFile: folder.path + "/a.xml", encoding: .utf8)
        let y = try String(contentsOfFile: folder.path + "/b.xml", encoding: .utf8)
        #expect(x == y)
        #expect(a.stdout.contains("event ") && a.stdout.contains("2 of 4 scenarios passed (seed 42)"), "\(a.stdout)")

        let doc = try JUnitShape(x)
        #expect(doc.root == "testsuites")
        #expect(doc.attributes("testsuites")["tests"] == "4")
        #expect(doc.attributes("testsuite")["failures"] == "1")
        #expect(doc.attributes("testsuite")["errors"] == "1")
        #expect(doc.count("testcase") == 4)
        #expect(doc.count("failure") == 1)
        #expect(doc.count("error") == 1)
        #expect(doc.parents["failure"] == "testcase" && doc.parents["testcase"] == "testsuite" && doc.parents["testsuite"] == "testsuites")
    }

    @Test func theGraphShowsEveryResourceAndEdgeOfTheExample() async throws {
        let mermaid = try await CLI.run(["graph"], in: CLI.repository)
        let dot = try await CLI.run(["graph", "--format", "dot"], in: CLI.repository)
        let json = try await CLI.run(["graph", "--format", "json"], in: CLI.repository)
        #expect(mermaid.status == 0 && dot.status == 0 && json.status == 0)
        #expect(mermaid.stdout.hasPrefix("flowchart LR\n"))
        #expect(dot.stdout.hasPrefix("digraph workspace {"))
        let graph = try JSONValue(parsing: json.stdout)
        let nodes = graph["nodes"]?.arrayValue ?? [], edges = graph["edges"]?.arrayValue ?? []
        // Every resource of the example workspace.
        let expected = ["bus orders", "bus central", "bus default (111122223333)", "queue order-processing", "queue orders-delivery-dlq",
                        "queue payments", "queue forward-dlq", "queue low-stock", "queue order-audit.fifo", "queue rolling-averages",
                        "stream order-events", "function echo", "function order-total", "function rolling-average",
                        "archive orders-archive", "rule process-placed-orders", "rule to-central", "rule notify-partner",
                        "partner-cancellations (not in the workspace)"]
        for label in expected { #expect(nodes.contains { $0["label"]?.stringValue?.hasPrefix(label) == true }, "no node \(label)") }
        #expect(nodes.count >= 30 && edges.count >= 25)
        // Every node and edge appears in Mermaid and DOT.
        for n in nodes {
            let id = n["id"]?.stringValue ?? "", label = n["label"]?.stringValue ?? ""
            #expect(mermaid.stdout.contains("  \(id)") && mermaid.stdout.contains(WorkspaceGraph.mermaidText(label)), "\(id) \(label)")
            #expect(dot.stdout.contains("  \(id) [label=\"\(WorkspaceGraph.dotText(label))\""), "\(id) \(label)")
        }
        for e in edges {
            let from = e["from"]?.stringValue ?? "", to = e["to"]?.stringValue ?? ""
            #expect(mermaid.stdout.contains("  \(from) ") && mermaid.stdout.contains("| \(to)\n"), "\(from)->\(to)")
            #expect(dot.stdout.contains("  \(from) -> \(to) ["), "\(from)->\(to)")
        }
        #expect(edges.contains { $0["crossAccount"]?.boolValue == true && $0["label"]?.stringValue == "central-bus" })
        #expect(mermaid.stdout.contains("==>|\"central-bus (cross-account)\"|"))
        #expect(edges.contains { $0["kind"]?.stringValue == "mapping" } && edges.contains { $0["label"]?.stringValue == "OnFailure" })
    }

    @Test func withAStateTheGraphCarriesCounts() async throws {
        let state = folder.path + "/state.json"
        let replay = try await CLI.run(["replay", "docs/examples/orders.ndjson", "--virtual-time", "--seed", "7", "--state-out", state], in: CLI.repository)
        #expect(replay.status == 0, "\(replay.stderr)")
        let r = try await CLI.run(["graph", "--state", state], in: CLI.repository)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("%% rule deliveries: succeeded "))
        #expect(r.stdout.contains("queue order-processing<br/>"), "\(r.stdout)")
        #expect(r.stdout.contains("processing: delivered "))
        #expect(r.stdout.contains("DLQ of partner: dead-lettered "))
        #expect(r.stdout.contains("function rolling-average<br/>invoked "))
        let bad = try await CLI.run(["graph", "--format", "svg"], in: CLI.repository)
        #expect(bad.status != 0 && bad.stderr.contains("--format takes mermaid, dot or json, not 'svg'"))
    }
}

/// A small check of the common JUnit XML shape: elements, their attributes, nesting.
struct JUnitShape {
    var root = ""
    var elements: [(name: String, attributes: [String: String])] = []
    var parents: [String: String] = [:]

    struct Malformed: Error { var reason: String }

    init(_ text: String) throws {
        var stack: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { throw Malformed(reason: "unclosed tag") }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("?") { continue }
            if tag.hasPrefix("/") {
                guard stack.popLast() == String(tag.dropFirst()) else { throw Malformed(reason: "mismatched </\(tag.dropFirst())>") }
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            let body = selfClosing ? tag.dropLast() : tag
            let name = String(body.prefix { $0 != " " })
            var attributes: [String: String] = [:]
            var scan = body.dropFirst(name.count)
            while let eq = scan.firstIndex(of: "=") {
                let key = scan[..<eq].trimmingCharacters(in: .whitespaces)
                let afterQuote = scan.index(eq, offsetBy: 2)
                guard let end = scan[afterQuote...].firstIndex(of: "\"") else { throw Malformed(reason: "unterminated attribute") }
                attributes[key] = String(scan[afterQuote..<end])
                scan = scan[scan.index(after: end)...]
            }
            if stack.isEmpty { root = name } else { parents[name] = stack.last }
            elements.append((name, attributes))
            if !selfClosing { stack.append(name) }
        }
        guard stack.isEmpty else { throw Malformed(reason: "unclosed <\(stack.last ?? "")>") }
    }

    func count(_ name: String) -> Int { elements.count { $0.name == name } }
    func attributes(_ name: String) -> [String: String] { elements.first { $0.name == name }?.attributes ?? [:] }
}
