import EventRouter
import Testing
@testable import EventRouterHTTP

/// Rule operations on another account's bus over the wire: the bus policy decides, the rule
/// keeps its creator, and its targets must be in the creator's account.
@Suite struct EventBridgeForeignRuleTests {
    static let central = "arn:aws:events:us-east-1:123456789012:event-bus/central"
    static let workspace = #"""
        {"Account": "123456789012",
         "EventBuses": [{"Name": "central", "Policy": {"Version": "2012-10-17", "Statement": [{
            "Sid": "other-rules", "Effect": "Allow", "Principal": {"AWS": "111122223333"},
            "Action": ["events:PutRule", "events:PutTargets", "events:DescribeRule", "events:DeleteRule", "events:RemoveTargets"],
            "Resource": "arn:aws:events:us-east-1:123456789012:rule/central/*",
            "Condition": {"StringEqualsIfExists": {"events:creatorAccount": "${aws:PrincipalAccount}", "events:source": "shop.sales"}}}]}}],
         "Queues": [{"QueueName": "mine"}]}
        """#
    static let otherFile = #"{"Account": "111122223333", "Queues": [{"QueueName": "inbox"}]}"#

    @Test func theCreatorPutsARuleAndItsTargetsAndTheOwnerSeesWhoCreatedIt() async throws {
        let f = try EventBridgeFixture(Self.workspace, Self.otherFile)
        let put = await f.call("PutRule", #"{"Name": "sales", "EventBusName": "\#(Self.central)", "EventPattern": "{\"source\": [\"shop.sales\"]}"}"#, key: "AKIDOTHER")
        #expect(put.status == 200, "\(put.json)")
        #expect(put.json["RuleArn"] == "arn:aws:events:us-east-1:123456789012:rule/central/sales")
        let targets = await f.call("PutTargets", #"{"Rule": "sales", "EventBusName": "\#(Self.central)", "Targets": [{"Id": "i", "Arn": "arn:aws:sqs:us-east-1:111122223333:inbox"}]}"#, key: "AKIDOTHER")
        #expect(targets.status == 200, "\(targets.json)")
        let described = await f.call("DescribeRule", #"{"Name": "sales", "EventBusName": "central"}"#)
        #expect(described.json["CreatedBy"] == "111122223333")
        let listed = await f.call("ListRules", #"{"EventBusName": "central"}"#)
        #expect(listed.json["Rules"]?[0]?["CreatedBy"] == "111122223333")
    }

    @Test(arguments: [
        (#"{"Name": "s", "EventBusName": "\#(central)", "EventPattern": "{\"source\": [\"shop.orders\"]}"}"#, "PutRule",
         "account 111122223333 is not allowed to call PutRule on arn:aws:events:us-east-1:123456789012:rule/central/s: no statement of the bus policy allows events:PutRule for it (statement 'other-rules' requires events:source StringEqualsIfExists shop.sales; here events:source is shop.orders)"),
        (#"{"Name": "s", "EventBusName": "\#(central)", "EventPattern": "{\"source\": [\"shop.sales\"]}", "ScheduleExpression": "rate(1 minute)"}"#, "PutRule",
         "ScheduleExpression is supported only on the default event bus."),
    ])
    func refusals(body: String, operation: String, message: String) async throws {
        let f = try EventBridgeFixture(Self.workspace, Self.otherFile)
        let (status, json) = await f.call(operation, body, key: "AKIDOTHER")
        #expect(status == 400)
        #expect(json["message"]?.stringValue == message, "\(json)")
    }

    @Test func aTargetOutsideTheCreatorsAccountIsRefused() async throws {
        let f = try EventBridgeFixture(Self.workspace, Self.otherFile)
        _ = await f.call("PutRule", #"{"Name": "sales", "EventBusName": "\#(Self.central)", "EventPattern": "{\"source\": [\"shop.sales\"]}"}"#, key: "AKIDOTHER")
        let (status, json) = await f.call("PutTargets", #"{"Rule": "sales", "EventBusName": "\#(Self.central)", "Targets": [{"Id": "i", "Arn": "arn:aws:sqs:us-east-1:123456789012:mine"}]}"#, key: "AKIDOTHER")
        #expect(status == 400)
        #expect(json["__type"] == "AccessDeniedException")
        #expect(json["message"]?.stringValue == "arn:aws:sqs:us-east-1:123456789012:mine is in account 123456789012, but rule 'sales' was created by account 111122223333 on a bus of account 123456789012: a rule created on another account's bus may only target resources of the account that created it (111122223333)")
    }

    @Test func permissionsStayWithTheBusOwner() async throws {
        let f = try EventBridgeFixture(Self.workspace, Self.otherFile)
        let (status, json) = await f.call("PutPermission", #"{"EventBusName": "\#(Self.central)", "Action": "events:PutEvents", "Principal": "*", "StatementId": "x"}"#, key: "AKIDOTHER")
        #expect(status == 400)
        #expect(json["message"]?.stringValue?.hasPrefix("account 111122223333 cannot manage \(Self.central), a bus of account 123456789012") == true, "\(json)")
    }
}
