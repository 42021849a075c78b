import EventRouter
import Testing
@testable import EventRouterHTTP

/// EventBridge operations in process: puts routed to queues, retries to dead-letter queues on
/// the manual clock, and the round trips of rules, targets, buses, policies, archives, replays and tags.
@Suite struct EventBridgeServiceTests {
    static let workspace = """
        {"Account": "123456789012", "Region": "us-east-1",
         "EventBuses": [{"Name": "shop"}],
         "Queues": [{"QueueName": "orders"}, {"QueueName": "shaped"}, {"QueueName": "dlq"}],
         "Rules": [{"Name": "from-file", "EventBusName": "shop", "EventPattern": {"source": ["file"]},
                    "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders"}]}]}
        """

    @Test func aPutIsRoutedThroughARuleMadeOverTheAPIIntoItsQueueShapedByItsInputTransformer() async throws {
        let f = try EventBridgeFixture(Self.workspace)
        let rule = await f.ok("PutRule", #"{"Name": "api-rule", "EventBusName": "shop", "EventPattern": "{\"source\": [\"shop\"]}"}"#)
        #expect(rule["RuleArn"] == "arn:aws:events:us-east-1:123456789012:rule/shop/api-rule")
        let targets = await f.ok("PutTargets", """
            {"Rule": "api-rule", "EventBusName": "shop", "Targets": [
              {"Id": "plain", "Arn": "\(EventBridgeFixture.queue("orders"))"},
              {"Id": "shaped", "Arn": "\(EventBridgeFixture.queue("shaped"))",
               "InputTransformer": {"InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": "{\\"order\\": <id>, \\"rule\\": \\"<aws.events.rule-name>\\"}"}}]}
            """)
        #expect(targets["FailedEntryCount"] == 0)
        let put = await f.ok("PutEvents", #"{"Entries": [{"Source": "shop", "DetailType": "Placed", "Detail": "{\"id\": 7}", "EventBusName": "shop"}, {"Source": "shop"}]}"#)
        #expect(put["FailedEntryCount"] == 1)
        let entries = put["Entries"]?.arrayValue ?? []
        #expect(entries.first?["EventId"]?.stringValue?.count == 36)
        #expect(entries.last?["ErrorCode"] == "InvalidArgument")
        _ = await f.runtime.settle()
        let plain = f.bodies(EventBridgeFixture.queue("orders"))
        #expect(plain.count == 1)
        #expect(plain.first?["detail"]?["id"] == 7)
        #expect(plain.first?["id"]?.stringValue == entries.first?["EventId"]?.stringValue)
        #expect(f.bodies(EventBridgeFixture.queue("shaped")) == [["order": 7, "rule": "api-rule"]])
    }

    @Test func aTargetInAnAccountNobodyKnowsFailsWithoutRetriesIntoItsDeadLetterQueueWithTheErrorAttributes() async throws {
        let f = try EventBridgeFixture(Self.workspace)
        await f.ok("PutRule", #"{"Name": "lost", "EventPattern": "{\"source\": [\"lost\"]}"}"#)
        await f.ok("PutTargets", """
            {"Rule": "lost", "Targets": [{"Id": "nowhere", "Arn": "arn:aws:sqs:us-east-1:999999999999:nowhere",
              "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
              "DeadLetterConfig": {"Arn": "\(EventBridgeFixture.queue("dlq"))"}}]}
            """)
        await f.ok("PutEvents", #"{"Entries": [{"Source": "lost", "DetailType": "t", "Detail": "{}"}]}"#)
        #expect(await f.runtime.settle().settled)
        let dead = f.messages(EventBridgeFixture.queue("dlq"))
        #expect(dead.count == 1)
        let attributes = dead.first?["MessageAttributes"]
        #expect(attributes?["RULE_ARN"]?["StringValue"] == "arn:aws:events:us-east-1:123456789012:rule/lost")
        #expect(attributes?["TARGET_ARN"]?["StringValue"] == "arn:aws:sqs:us-east-1:999999999999:nowhere")
        #expect(attributes?["ERROR_CODE"]?["StringValue"] == "NO_RESOURCE")
        #expect(attributes?["ERROR_MESSAGE"]?["StringValue"]?.stringValue?.isEmpty == false)
        #expect(attributes?["RETRY_ATTEMPTS"]?["StringValue"] == "0")  // a missing resource is not retried
        #expect(try JSONParser.parse(dead.first?["Body"]?.stringValue ?? "")["source"] == "lost")
    }

    @Test func aThrottledTargetIsRetriedOnTheManualClockAndWithoutRetriesEndsInTheDeadLetterQueue() async throws {
        let f = try EventBridgeFixture(Self.workspace + "", """
            {"Streams": [{"Name": "s", "ShardCount": 1}]}
            """)
        let stream = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
        await f.ok("PutRule", #"{"Name": "big", "EventPattern": "{\"source\": [\"big\"]}"}"#)
        await f.ok("PutTargets", #"{"Rule": "big", "Targets": [{"Id": "s", "Arn": "\#(stream)", "RetryPolicy": {"MaximumRetryAttempts": 3}}]}"#)
        let detail = #"{\"pad\": \"\#(String(repeating: "x", count: 230_000))\"}"#
        let entry = #"{"Entries": [{"Source": "big", "DetailType": "t", "Detail": "\#(detail)"}]}"#
        let start = f.clock.now
        for _ in 0..<5 { await f.ok("PutEvents", entry) }  // 5 × 230 KB > the shard's 1 MB per second
        #expect(await f.runtime.settle().settled)
        let statistics = f.router.scheduler.statistics
        #expect(statistics.retried >= 1)
        #expect(statistics.succeeded == 5)
        #expect(f.clock.now > start)

        await f.ok("PutTargets", #"{"Rule": "big", "Targets": [{"Id": "s", "Arn": "\#(stream)", "RetryPolicy": {"MaximumRetryAttempts": 0}, "DeadLetterConfig": {"Arn": "\#(EventBridgeFixture.queue("dlq"))"}}]}"#)
        f.clock.advance(by: .seconds(10))
        for _ in 0..<5 { await f.ok("PutEvents", entry) }
        #expect(await f.runtime.settle().settled)
        let attributes = f.messages(EventBridgeFixture.queue("dlq")).first?["MessageAttributes"]
        #expect(attributes?["ERROR_CODE"]?["StringValue"] == "THROTTLING")
        #expect(attributes?["EXHAUSTED_RETRY_CONDITION"]?["StringValue"] == "MaximumRetryAttempts")
    }

    @Test func rulesRoundTripBesideTheWorkspacesAndADisabledRuleMatchesNothing() async throws {
        let f = try EventBridgeFixture(Self.workspace)
        for name in ["b-rule", "a-rule", "c-rule"] {
            await f.ok("PutRule", #"{"Name": "\#(name)", "EventBusName": "shop", "EventPattern": "{\"source\": [\"x\"]}", "Description": "d"}"#)
        }
        let first = await f.ok("ListRules", #"{"EventBusName": "shop", "Limit": 2}"#)
        #expect(first["Rules"]?.arrayValue?.compactMap { $0["Name"]?.stringValue } == ["a-rule", "b-rule"])
        let token = try #require(first["NextToken"]?.stringValue)
        let second = await f.ok("ListRules", #"{"EventBusName": "shop", "Limit": 2, "NextToken": "\#(token)"}"#)
        #expect(second["Rules"]?.arrayValue?.compactMap { $0["Name"]?.stringValue } == ["c-rule", "from-file"])
        #expect(second["NextToken"] == nil)
        let prefixed = await f.ok("ListRules", #"{"EventBusName": "shop", "NamePrefix": "from"}"#)
        #expect(prefixed["Rules"]?.arrayValue?.first?["EventPattern"] == #"{"source":["file"]}"#)

        let described = await f.ok("DescribeRule", #"{"Name": "a-rule", "EventBusName": "shop"}"#)
        #expect(described["State"] == "ENABLED")
        #expect(described["EventPattern"] == #"{"source": ["x"]}"#)
        #expect(described["Description"] == "d")
        #expect(described["EventBusName"] == "shop")

        await f.ok("PutTargets", #"{"Rule": "a-rule", "EventBusName": "shop", "Targets": [{"Id": "t", "Arn": "\#(EventBridgeFixture.queue("orders"))", "Input": "{\"fixed\": true}"}]}"#)
        await f.ok("DisableRule", #"{"Name": "a-rule", "EventBusName": "shop"}"#)
        #expect(await f.ok("DescribeRule", #"{"Name": "a-rule", "EventBusName": "shop"}"#)["State"] == "DISABLED")
        await f.ok("PutEvents", #"{"Entries": [{"Source": "x", "DetailType": "t", "Detail": "{}", "EventBusName": "shop"}]}"#)
        _ = await f.runtime.settle()
        #expect(f.messages(EventBridgeFixture.queue("orders")).isEmpty)
        await f.ok("EnableRule", #"{"Name": "a-rule", "EventBusName": "shop"}"#)
        await f.ok("PutEvents", #"{"Entries": [{"Source": "x", "DetailType": "t", "Detail": "{}", "EventBusName": "shop"}]}"#)
        _ = await f.runtime.settle()
        #expect(f.bodies(EventBridgeFixture.queue("orders")) == [["fixed": true]])

        let listed = await f.ok("ListTargetsByRule", #"{"Rule": "a-rule", "EventBusName": "shop"}"#)
        #expect(listed["Targets"]?.arrayValue?.first?["Input"] == #"{"fixed": true}"#)
        let byTarget = await f.ok("ListRuleNamesByTarget", #"{"TargetArn": "\#(EventBridgeFixture.queue("orders"))", "EventBusName": "shop"}"#)
        #expect(byTarget["RuleNames"] == ["a-rule", "from-file"])

        // Five targets at most per rule, counted after the merge.
        let four = (1...4).map { #"{"Id": "n\#($0)", "Arn": "\#(EventBridgeFixture.queue("orders"))"}"# }.joined(separator: ",")
        await f.ok("PutTargets", #"{"Rule": "a-rule", "EventBusName": "shop", "Targets": [\#(four)]}"#)
        let sixth = await f.call("PutTargets", #"{"Rule": "a-rule", "EventBusName": "shop", "Targets": [{"Id": "n9", "Arn": "\#(EventBridgeFixture.queue("orders"))"}]}"#)
        #expect(sixth.json["__type"] == "LimitExceededException")

        let removed = await f.ok("RemoveTargets", #"{"Rule": "a-rule", "EventBusName": "shop", "Ids": ["t", "n1", "n2", "n3", "n4", "ghost"]}"#)
        #expect(removed["FailedEntryCount"] == 1)
        #expect(removed["FailedEntries"]?.arrayValue?.first?["TargetId"] == "ghost")
        await f.ok("DeleteRule", #"{"Name": "a-rule", "EventBusName": "shop"}"#)
        let gone = await f.call("DescribeRule", #"{"Name": "a-rule", "EventBusName": "shop"}"#)
        #expect(gone.json["__type"] == "ResourceNotFoundException")
        #expect(gone.json["message"]?.stringValue?.hasPrefix("Rule a-rule does not exist on EventBus shop.") == true)
    }

    @Test func aBusPolicyMadeOverTheAPILetsAnotherAccountPutAndItsRemovalRefusesItAgain() async throws {
        let f = try EventBridgeFixture(Self.workspace)
        let created = await f.ok("CreateEventBus", #"{"Name": "central", "Description": "hub", "Tags": [{"Key": "team", "Value": "a"}]}"#)
        let busArn = "arn:aws:events:us-east-1:123456789012:event-bus/central"
        #expect(created["EventBusArn"]?.stringValue == busArn)
        await f.ok("PutRule", #"{"Name": "all", "EventBusName": "central", "EventPattern": "{\"account\": [\"111122223333\"]}"}"#)
        await f.ok("PutTargets", #"{"Rule": "all", "EventBusName": "central", "Targets": [{"Id": "q", "Arn": "\#(EventBridgeFixture.queue("orders"))"}]}"#)
        let entry = #"{"Entries": [{"Source": "other", "DetailType": "t", "Detail": "{}", "EventBusName": "\#(busArn)"}]}"#

        let refused = await f.ok("PutEvents", entry, key: "AKIDOTHER")
        #expect(refused["Entries"]?.arrayValue?.first?["ErrorCode"] == "AccessDeniedException")
        await f.ok("PutPermission", #"{"EventBusName": "central", "Action": "events:PutEvents", "Principal": "111122223333", "StatementId": "other"}"#)
        let described = await f.ok("DescribeEventBus", #"{"Name": "central"}"#)
        #expect(described["Description"] == "hub")
        let policy = try JSONParser.parse(described["Policy"]?.stringValue ?? "")
        #expect(policy["Statement"]?.arrayValue?.first?["Sid"] == "other")
        let allowed = await f.ok("PutEvents", entry, key: "AKIDOTHER")
        #expect(allowed["FailedEntryCount"] == 0)
        _ = await f.runtime.settle()
        #expect(f.bodies(EventBridgeFixture.queue("orders")).first?["account"] == "111122223333")

        await f.ok("RemovePermission", #"{"EventBusName": "central", "StatementId": "other"}"#)
        #expect(await f.ok("DescribeEventBus", #"{"Name": "central"}"#)["Policy"] == nil)
        #expect(await f.ok("PutEvents", entry, key: "AKIDOTHER")["FailedEntryCount"] == 1)

        // A whole policy, checked by the workspace's policy reader.
        let whole = #"{"Version": "2012-10-17", "Statement": [{"Sid": "all", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "\#(busArn)"}]}"#
        await f.ok("PutPermission", #"{"EventBusName": "central", "Policy": \#(JSONSerializer.quoted(whole))}"#)
        #expect(await f.ok("PutEvents", entry, key: "AKIDOTHER")["FailedEntryCount"] == 0)

        let buses = await f.ok("ListEventBuses", "{}")
        #expect(buses["EventBuses"]?.arrayValue?.compactMap { $0["Name"]?.stringValue } == ["central", "default", "shop"])
        #expect(await f.ok("ListTagsForResource", #"{"ResourceARN": "\#(busArn)"}"#)["Tags"] == [["Key": "team", "Value": "a"]])
        let busy = await f.call("DeleteEventBus", #"{"Name": "central"}"#)
        #expect(busy.json["__type"] == "ValidationException")
        let withTargets = await f.call("DeleteRule", #"{"Name": "all", "EventBusName": "central"}"#)
        #expect(withTargets.json["__type"] == "ValidationException")
        await f.ok("RemoveTargets", #"{"Rule": "all", "EventBusName": "central", "Ids": ["q"]}"#)
        await f.ok("DeleteRule", #"{"Name": "all", "EventBusName": "central"}"#)
        await f.ok("DeleteEventBus", #"{"Name": "central"}"#)
        #expect(await f.call("DescribeEventBus", #"{"Name": "central"}"#).json["__type"] == "ResourceNotFoundException")
    }

    @Test func anArchiveMadeOverTheAPIKeepsEventsAndAReplayPutsThemBackThroughToCompleted() async throws {
        let f = try EventBridgeFixture(Self.workspace)
        let busArn = "arn:aws:events:us-east-1:123456789012:event-bus/shop"
        let created = await f.ok("CreateArchive", #"{"ArchiveName": "keep", "EventSourceArn": "\#(busArn)", "EventPattern": "{\"source\": [\"file\"]}", "RetentionDays": 1}"#)
        #expect(created["State"] == "ENABLED")
        let start = f.clock.now.secondsSinceEpoch
        await f.ok("PutEvents", #"{"Entries": [{"Source": "file", "DetailType": "t", "Detail": "{\"n\": 1}", "EventBusName": "shop"}, {"Source": "other", "DetailType": "t", "Detail": "{}", "EventBusName": "shop"}]}"#)
        _ = await f.runtime.settle()
        let described = await f.ok("DescribeArchive", #"{"ArchiveName": "keep"}"#)
        #expect(described["EventCount"] == 1)
        #expect(described["EventPattern"] == #"{"source": ["file"]}"#)
        await f.ok("UpdateArchive", #"{"ArchiveName": "keep", "RetentionDays": 2, "Description": "two days"}"#)
        let updated = await f.ok("DescribeArchive", #"{"ArchiveName": "keep"}"#)
        #expect(updated["RetentionDays"] == 2)
        #expect(updated["EventCount"] == 1)  // the events kept stay
        #expect(await f.ok("ListArchives", #"{"NamePrefix": "ke"}"#)["Archives"]?.arrayValue?.count == 1)

        f.clock.advance(by: .seconds(120))
        let end = f.clock.now.secondsSinceEpoch
        let started = await f.ok("StartReplay", #"{"ReplayName": "again", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:archive/keep", "EventStartTime": \#(start - 60), "EventEndTime": \#(end), "Destination": {"Arn": "\#(busArn)"}}"#)
        #expect(started["State"] == "STARTING")
        await f.service.waitForReplays()
        _ = await f.runtime.settle()
        let replay = await f.ok("DescribeReplay", #"{"ReplayName": "again"}"#)
        #expect(replay["State"] == "COMPLETED")
        #expect(replay["EventLastReplayedTime"] != nil)
        let bodies = f.bodies(EventBridgeFixture.queue("orders"))
        #expect(bodies.count == 2)
        #expect(bodies.last?["replay-name"] == "again")
        #expect(await f.ok("ListReplays", "{}")["Replays"]?.arrayValue?.count == 1)
        let cancel = await f.call("CancelReplay", #"{"ReplayName": "again"}"#)
        #expect(cancel.json["__type"] == "IllegalStatusException")
        let duplicate = await f.call("StartReplay", #"{"ReplayName": "again", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:archive/keep", "EventStartTime": \#(start - 60), "EventEndTime": \#(end), "Destination": {"Arn": "\#(busArn)"}}"#)
        #expect(duplicate.json["__type"] == "ResourceAlreadyExistsException")
        await f.ok("DeleteArchive", #"{"ArchiveName": "keep"}"#)
        #expect(await f.call("DescribeArchive", #"{"ArchiveName": "keep"}"#).json["__type"] == "ResourceNotFoundException")
    }

    @Test func tagsRoundTripOnRulesAndTestEventPatternAnswersWithTheRuleFileMatcher() async throws {
        let f = try EventBridgeFixture(Self.workspace)
        let ruleArn = "arn:aws:events:us-east-1:123456789012:rule/shop/from-file"
        await f.ok("TagResource", #"{"ResourceARN": "\#(ruleArn)", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}"#)
        await f.ok("TagResource", #"{"ResourceARN": "\#(ruleArn)", "Tags": [{"Key": "a", "Value": "3"}]}"#)
        await f.ok("UntagResource", #"{"ResourceARN": "\#(ruleArn)", "TagKeys": ["b"]}"#)
        #expect(await f.ok("ListTagsForResource", #"{"ResourceARN": "\#(ruleArn)"}"#)["Tags"] == [["Key": "a", "Value": "3"]])

        let event = #"{\"id\": \"1\", \"account\": \"123456789012\", \"source\": \"shop\", \"time\": \"2026-01-01T00:00:00Z\", \"region\": \"us-east-1\", \"resources\": [], \"detail-type\": \"t\", \"detail\": {\"n\": 5}}"#
        let yes = await f.ok("TestEventPattern", #"{"EventPattern": "{\"detail\": {\"n\": [{\"numeric\": [\">\", 4]}]}}", "Event": "\#(event)"}"#)
        #expect(yes["Result"] == true)
        let no = await f.ok("TestEventPattern", #"{"EventPattern": "{\"source\": [\"other\"]}", "Event": "\#(event)"}"#)
        #expect(no["Result"] == false)
    }

    @Test func nonASCIIDetailArrivesEscapedAsBoto3SendsItAndLeavesAsTheSameText() async throws {
        let f = try EventBridgeFixture(Self.workspace)
        await f.ok("PutRule", #"{"Name": "u", "EventPattern": "{\"source\": [\"caf\u00e9\"]}"}"#)
        await f.ok("PutTargets", #"{"Rule": "u", "Targets": [{"Id": "q", "Arn": "\#(EventBridgeFixture.queue("orders"))"}]}"#)
        await f.ok("PutEvents", #"{"Entries": [{"Source": "caf\u00e9", "DetailType": "t", "Detail": "{\"text\": \"gr\u00fc\u00df \ud83d\ude00\"}"}]}"#)
        _ = await f.runtime.settle()
        #expect(f.bodies(EventBridgeFixture.queue("orders")).first?["detail"]?["text"] == "grüß 😀")
        #expect(await f.ok("DescribeRule", #"{"Name": "u"}"#)["EventPattern"] == #"{"source": ["café"]}"#)
    }
}
