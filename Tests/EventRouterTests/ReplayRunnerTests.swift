import Synchronization
import Testing
@testable import EventRouter

@Suite struct ReplayRunnerTests {
    static let rules = #"""
    {"EventBuses": [{"Name": "orders"}],
     "Queues": [{"QueueName": "all"}, {"QueueName": "dlq"}],
     "Rules": [
       {"Name": "all", "EventBusName": "orders", "EventPattern": {"source": ["shop"]},
        "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:all", "InputPath": "$.detail"}]},
       {"Name": "partner", "EventBusName": "orders", "EventPattern": {"detail-type": ["Cancelled"]},
        "Targets": [{"Id": "p", "Arn": "arn:aws:sqs:us-east-1:999999999999:theirs",
                     "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}]},
       {"Name": "stock", "EventPattern": {"source": ["inventory"]},
        "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:all"}]}
     ]}
    """#

    static let events = #"""
    {"Source":"shop","DetailType":"Placed","EventBusName":"orders","Detail":"{\"id\":1}"}
    {"Source":"shop","DetailType":"Placed","EventBusName":"orders","Detail":"{\"id\":
    {"Source":"shop","DetailType":"Cancelled","EventBusName":"orders","Detail":"{\"id\":2}"}

    {"detail-type":"Changed","source":"inventory","detail":{"sku":"a"}}
    {"Source":"shop","DetailType":"Placed","EventBusName":"nope","Detail":"{}"}
    [1,2]
    {"detail-type":"Changed","source":"inventory","detail":{"sku":"b"},"colour":"red"}
    {"Source":"other","DetailType":"Placed","EventBusName":"orders","Detail":"{}"}
    """#

    func run(trace: (@Sendable (String) -> Void)? = nil) async throws -> (ReplaySummary, RouterRuntime) {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules)]).workspace)
        return try await ReplayRunner.run(text: Self.events, workspace: workspace, options: .init(virtualTime: true, seed: 5, trace: trace))
    }

    @Test func malformedLinesAreReportedWithTheirNumberAndSkipped() async throws {
        let (summary, _) = try await run()
        #expect(summary.eventsRead == 8)
        #expect(summary.rejected.map(\.line) == [2, 6, 7, 8])
        #expect(summary.rejected[0].reason == "malformed JSON: invalid JSON at byte 72: unterminated string")
        #expect(summary.rejected[1].reason == "ResourceNotFoundException: Event bus nope does not exist in account 123456789012")
        #expect(summary.rejected[2].reason == "each line must be a JSON object (an event envelope or a PutEvents entry), not array")
        #expect(summary.rejected[3].reason == "unknown event envelope field 'colour'")
        #expect(summary.accepted == 4)
        #expect(summary.matched == 3)
        #expect(summary.deliveries.succeeded == 3)
        #expect(summary.ruleMatches == 4)
        #expect(summary.deliveries.deadLettered == 1)
        #expect(summary.deliveries.dropped == 0)
    }

    @Test func summaryText() async throws {
        let (summary, _) = try await run()
        #expect(summary.text == """
            events read:   8
            rejected:      4
              line 2: malformed JSON: invalid JSON at byte 72: unterminated string
              line 6: ResourceNotFoundException: Event bus nope does not exist in account 123456789012
              line 7: each line must be a JSON object (an event envelope or a PutEvents entry), not array
              line 8: unknown event envelope field 'colour'
            matched:       3 (4 rule matches)
            delivered:     3
            retried:       0
            dead-lettered: 1
            dropped:       0
            seed:          5

            """)
    }

    @Test func stateJSONFollowsTheContract() async throws {
        let (_, runtime) = try await run()
        let state = runtime.stateJSON()
        #expect(state.objectValue?.keys == ["queues", "streams", "functions", "deliveries", "archives"])
        #expect(state["deliveries"]?.jsonText == #"{"succeeded":3,"retried":0,"deadLettered":1,"dropped":0,"deadLetterFailures":0}"#)
        let all = try #require(state["queues"]?["arn:aws:sqs:us-east-1:123456789012:all"]?["messages"]?.arrayValue)
        #expect(all.count == 3)
        #expect(all.prefix(2).map { $0["Body"]?.stringValue } == [#"{"id":1}"#, #"{"id":2}"#])
        #expect(all.last?["Body"]?.stringValue?.contains(#""source":"inventory""#) == true)
        let dead = try #require(state["queues"]?["arn:aws:sqs:us-east-1:123456789012:dlq"]?["messages"]?.arrayValue)
        #expect(dead.count == 1)
        let attributes = try #require(dead.first?["MessageAttributes"]?.objectValue)
        #expect(Set(attributes.keys) == ["RULE_ARN", "TARGET_ARN", "ERROR_CODE", "ERROR_MESSAGE", "RETRY_ATTEMPTS"])
        #expect(attributes["RULE_ARN"]?["StringValue"] == "arn:aws:events:us-east-1:123456789012:rule/orders/partner")
        #expect(attributes["ERROR_CODE"]?["StringValue"] == "NO_RESOURCE")
        #expect(dead.first?["Body"]?.stringValue?.contains(#""detail-type":"Cancelled""#) == true)
    }

    @Test func traceShowsMatchesAndAttempts() async throws {
        let lines = Mutex<[String]>([])
        _ = try await run { line in lines.withLock { $0.append(line) } }
        let trace = lines.withLock { $0 }
        #expect(trace.contains { $0.hasPrefix("line 1 event ") && $0.hasSuffix("on bus orders: matched all") })
        #expect(trace.contains { $0.hasPrefix("line 3 event ") && $0.hasSuffix("on bus orders: matched all, partner") })
        #expect(trace.contains { $0.hasPrefix("line 9 event ") && $0.hasSuffix("on bus orders: matched no rule") })
        #expect(trace.contains { $0.contains("rule partner target p attempt 1: non-retriable NO_RESOURCE") })
        #expect(trace.contains { $0.contains("target p: dead-lettered to arn:aws:sqs:us-east-1:123456789012:dlq (NO_RESOURCE, non-retriable, 0 retries)") })
    }

    @Test func sameSeedSameState() async throws {
        let (_, a) = try await run()
        let (_, b) = try await run()
        #expect(a.stateJSON() == b.stateJSON())
    }

    @Test func anUnreadableFileIsAnError() async {
        let error = await #expect(throws: EventRouterError.self) {
            _ = try await ReplayRunner.run(file: "/nonexistent/events.ndjson", workspace: Workspace(), options: .init())
        }
        #expect(error?.message == "cannot read the events file '/nonexistent/events.ndjson': it does not exist")
    }
}
