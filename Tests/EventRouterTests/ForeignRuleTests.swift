import Testing
@testable import EventRouter

/// Issue 17 item 6: rules that another account creates on a bus, as its policy allows, and
/// PutEvents conditions on the entry's source and detail type.
enum ForeignRule {
    static let central = "arn:aws:events:us-east-1:123456789012:event-bus/central"
    static let rules = "arn:aws:events:us-east-1:123456789012:rule/central/*"
    static let ownQueue = "arn:aws:sqs:us-east-1:111122223333:sales-inbox"
    static let thirdQueue = "arn:aws:sqs:us-east-1:222233334444:elsewhere"

    /// A statement granting the rule actions on `central`'s rules.
    static func ruleStatement(principal: String = #"{"AWS": "111122223333"}"#, condition: String? = nil) -> String {
        #"{"Sid": "sales-rules", "Effect": "Allow", "Principal": \#(principal), "Action": ["events:PutRule", "events:PutTargets", "events:DeleteRule", "events:RemoveTargets", "events:DescribeRule"], "Resource": "\#(rules)""#
            + (condition.map { #", "Condition": \#($0)"# } ?? "") + "}"
    }

    static func policy(_ statements: String...) -> String { #"{"Version": "2012-10-17", "Statement": [\#(statements.joined(separator: ", "))]}"# }

    /// The bus owner's file: `central` with `policy`, and one `put-all` rule of its own.
    static func ownerFile(policy: String) -> String {
        #"""
        {"Account": "123456789012",
         "Accounts": [{"Id": "111122223333", "OrganizationId": "o-aaaaaaaaaa"}, {"Id": "222233334444", "OrganizationId": "o-bbbbbbbbbb"}],
         "EventBuses": [{"Name": "central", "Policy": \#(policy)}]}
        """#
    }

    /// The creator's file: its queue and its rule on `central` (the bus named by ARN).
    static func creatorFile(pattern: String = #"{"source": ["shop.sales"]}"#, target: String = ownQueue, extra: String = "") -> String {
        #"""
        {"Account": "111122223333",
         "Queues": [{"QueueName": "sales-inbox"}],
         "Rules": [{"Name": "sales-to-inbox", "EventBusName": "\#(central)", "EventPattern": \#(pattern)\#(extra),
                    "Targets": [{"Id": "inbox", "Arn": "\#(target)"}]}]}
        """#
    }

    static let thirdFile = #"{"Account": "222233334444", "Queues": [{"QueueName": "elsewhere"}]}"#
}

@Suite struct ForeignRuleTests {
    @Test func aRuleCreatedByAnotherAccountDeliversToItsOwnQueue() async throws {
        let f = try AccountFixture(ForeignRule.ownerFile(policy: ForeignRule.policy(ForeignRule.ruleStatement())), ForeignRule.creatorFile())
        let rule = try #require(f.router.rule(named: "sales-to-inbox", busArn: ForeignRule.central))
        #expect(rule.arn == "arn:aws:events:us-east-1:123456789012:rule/central/sales-to-inbox")
        #expect(rule.createdBy == "111122223333")
        #expect(rule.creator == "111122223333")
        let result = try await f.put(PutEventsEntry(source: "shop.sales", detailType: "Sale", detail: #"{"n": 1}"#, eventBusName: ForeignRule.central),
                                     as: "123456789012")
        let body = try #require(f.bodies(ForeignRule.ownQueue).first)
        #expect(body["id"]?.stringValue == result.eventId)
        #expect(body["account"] == "123456789012")
    }

    @Test func aRuleFileMayNameTheCreatorWithCreatedBy() throws {
        let owner = #"""
            {"Account": "123456789012",
             "EventBuses": [{"Name": "central", "Policy": \#(ForeignRule.policy(ForeignRule.ruleStatement()))}],
             "Rules": [{"Name": "by-sales", "EventBusName": "central", "CreatedBy": "111122223333", "EventPattern": {"source": ["shop.sales"]},
                        "Targets": [{"Id": "inbox", "Arn": "\#(ForeignRule.ownQueue)"}]}]}
            """#
        let f = try AccountFixture(owner, #"{"Account": "111122223333", "Queues": [{"QueueName": "sales-inbox"}]}"#)
        #expect(f.router.rule(named: "by-sales", busArn: ForeignRule.central)?.createdBy == "111122223333")
        #expect(RuleFileWriter.rule(try #require(f.router.rule(named: "by-sales", busArn: ForeignRule.central)))?["CreatedBy"] == "111122223333")
    }

    /// (policy, creator file, path, message)
    static let refusals: [(String, String, String, String)] = [
        (#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "\#(ForeignRule.central)"}]}"#,
         ForeignRule.creatorFile(), "$.Rules[0].EventBusName",
         "rule 'sales-to-inbox' is created by account 111122223333 on a bus of account 123456789012, which its policy does not allow: account 111122223333 (organization o-aaaaaaaaaa) is not allowed to call PutRule on arn:aws:events:us-east-1:123456789012:rule/central/sales-to-inbox: no statement of the bus policy allows events:PutRule for it; add a statement allowing events:PutRule on arn:aws:events:us-east-1:123456789012:rule/central/* for 111122223333 to the Policy of bus 'central' (declared at Rules/f0.json: $.EventBuses[0])"),
        (ForeignRule.policy(ForeignRule.ruleStatement(condition: #"{"ForAllValues:StringEquals": {"events:source": ["shop.sales"]}}"#)),
         ForeignRule.creatorFile(pattern: #"{"source": ["shop.sales", "shop.orders"]}"#), "$.Rules[0].EventBusName",
         "rule 'sales-to-inbox' is created by account 111122223333 on a bus of account 123456789012, which its policy does not allow: account 111122223333 (organization o-aaaaaaaaaa) is not allowed to call PutRule on arn:aws:events:us-east-1:123456789012:rule/central/sales-to-inbox: no statement of the bus policy allows events:PutRule for it (statement 'sales-rules' requires events:source ForAllValues:StringEquals shop.sales; here events:source is shop.sales, shop.orders); add a statement allowing events:PutRule on arn:aws:events:us-east-1:123456789012:rule/central/* for 111122223333 to the Policy of bus 'central' (declared at Rules/f0.json: $.EventBuses[0])"),
        (ForeignRule.policy(ForeignRule.ruleStatement()),
         ForeignRule.creatorFile(target: ForeignRule.thirdQueue), "$.Rules[0].Targets[0].Arn",
         "arn:aws:sqs:us-east-1:222233334444:elsewhere is in account 222233334444, but rule 'sales-to-inbox' was created by account 111122223333 on a bus of account 123456789012: a rule created on another account's bus may only target resources of the account that created it (111122223333)"),
    ]

    @Test(arguments: refusals)
    func validateRefusesWhatThePolicyDoesNotAllow(policy: String, creator: String, path: String, message: String) {
        let found = problems(ForeignRule.ownerFile(policy: policy), creator, ForeignRule.thirdFile).filter { $0.severity == .error }
        #expect(found.map(\.path) == [path], "\(found)")
        #expect(found.map(\.message) == [message])
    }

    @Test func theOrganizationConditionUsesTheAccountsSection() {
        let org = ForeignRule.ruleStatement(principal: #""*""#, condition: #"{"StringEquals": {"aws:PrincipalOrgID": "o-aaaaaaaaaa"}}"#)
        #expect(problems(ForeignRule.ownerFile(policy: ForeignRule.policy(org)), ForeignRule.creatorFile()).filter { $0.severity == .error }.isEmpty)
        let other = org.replacingOccurrences(of: "o-aaaaaaaaaa", with: "o-bbbbbbbbbb")
        let found = problems(ForeignRule.ownerFile(policy: ForeignRule.policy(other)), ForeignRule.creatorFile()).filter { $0.severity == .error }
        #expect(found.count == 1)
        #expect(found.first?.message.contains("(statement 'sales-rules' requires aws:PrincipalOrgID o-bbbbbbbbbb)") == true, "\(found)")
    }

    @Test func creatorAccountConditionsAllowOnlyTheCreatorToChangeTheRule() {
        let statement = ForeignRule.ruleStatement(principal: #""*""#, condition: #"{"StringEqualsIfExists": {"events:creatorAccount": "${aws:PrincipalAccount}"}}"#)
        let access = BusAccessControl(policies: [ForeignRule.central: try! #require(BusPolicy.parse(text: ForeignRule.policy(statement), busArn: ForeignRule.central).policy)])
        let rule = "arn:aws:events:us-east-1:123456789012:rule/central/r"
        // A new rule (no creator yet), the creator changing it, another account changing it.
        #expect(access.decide(BusRequest(action: "events:PutRule", account: "111122223333", resource: rule), busArn: ForeignRule.central).allowed)
        #expect(access.decide(BusRequest(action: "events:PutTargets", account: "111122223333", resource: rule, creatorAccount: "111122223333"), busArn: ForeignRule.central).allowed)
        let denied = access.decide(BusRequest(action: "events:DeleteRule", account: "222233334444", resource: rule, creatorAccount: "111122223333"), busArn: ForeignRule.central)
        #expect(!denied.allowed)
        #expect(denied.reason == "account 222233334444 is not allowed to call DeleteRule on \(rule): no statement of the bus policy allows events:DeleteRule for it (statement 'sales-rules' requires events:creatorAccount StringEqualsIfExists ${aws:PrincipalAccount}; here events:creatorAccount is 111122223333)")
    }

    @Test func putEventsConditionsAreEvaluatedPerEntry() async throws {
        let statement = #"{"Sid": "web-store", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "events:PutEvents", "Resource": "\#(ForeignRule.central)", "Condition": {"ForAllValues:StringEquals": {"events:source": "com.example.webstore", "events:detail-type": ["OrderCreated", "OrderPaid"]}}}"#
        let owner = #"""
            {"Account": "123456789012",
             "EventBuses": [{"Name": "central", "Policy": \#(ForeignRule.policy(statement))}],
             "Queues": [{"QueueName": "audit"}],
             "Rules": [{"Name": "all", "EventBusName": "central", "EventPattern": {"source": [{"prefix": ""}]},
                        "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:audit"}]}]}
            """#
        let f = try AccountFixture(owner)
        func entry(_ source: String, _ type: String) -> PutEventsEntry {
            PutEventsEntry(source: source, detailType: type, detail: "{}", eventBusName: ForeignRule.central)
        }
        let result = try f.router.putEvents([entry("com.example.webstore", "OrderCreated"), entry("com.example.other", "OrderCreated"),
                                             entry("com.example.webstore", "OrderShipped")], account: "111122223333")
        await f.router.scheduler.settle()
        #expect(result.entries[0].eventId != nil)
        #expect(result.entries[1].errorCode == "AccessDeniedException")
        #expect(result.entries[1].errorMessage == "account 111122223333 is not allowed to put events on \(ForeignRule.central): no statement of the bus policy allows events:PutEvents for it (statement 'web-store' requires events:source ForAllValues:StringEquals com.example.webstore; here events:source is com.example.other)")
        #expect(result.entries[2].errorMessage?.hasSuffix("(statement 'web-store' requires events:detail-type ForAllValues:StringEquals OrderCreated or OrderPaid; here events:detail-type is OrderShipped)") == true)
        #expect(f.bodies("arn:aws:sqs:us-east-1:123456789012:audit").count == 1)
    }

    /// (condition JSON, request sources, holds)
    static let conditions: [(String, [String]?, Bool)] = [
        (#"{"StringEquals": {"events:source": "a"}}"#, ["a"], true),
        (#"{"StringEquals": {"events:source": "a"}}"#, nil, false),
        (#"{"StringEqualsIfExists": {"events:source": "a"}}"#, nil, true),
        (#"{"StringLike": {"events:source": "shop.*"}}"#, ["shop.sales"], true),
        (#"{"StringNotEquals": {"events:source": "a"}}"#, ["b"], true),
        (#"{"ForAllValues:StringEquals": {"events:source": ["a", "b"]}}"#, ["a", "b"], true),
        (#"{"ForAllValues:StringEquals": {"events:source": ["a", "b"]}}"#, ["a", "c"], false),
        (#"{"ForAnyValue:StringEquals": {"events:source": ["a"]}}"#, ["a", "c"], true),
        (#"{"ForAnyValue:StringEquals": {"events:source": ["a"]}}"#, nil, false),
        (#"{"Null": {"events:source": "true"}}"#, nil, true),
        (#"{"Null": {"events:source": "false"}}"#, nil, false),
    ]

    @Test(arguments: conditions)
    func conditionOperators(condition: String, sources: [String]?, holds: Bool) throws {
        let text = ForeignRule.policy(#"{"Effect": "Allow", "Principal": "*", "Action": "events:PutRule", "Resource": "\#(ForeignRule.rules)", "Condition": \#(condition)}"#)
        let (policy, found) = BusPolicy.parse(text: text, busArn: ForeignRule.central)
        #expect(found.isEmpty, "\(found)")
        let request = BusRequest(action: "events:PutRule", account: "111122223333", resource: "arn:aws:events:us-east-1:123456789012:rule/central/r", sources: sources)
        #expect(try #require(policy).statements[0].applies(to: request) == holds)
    }

    @Test(arguments: [
        (#"{"DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}}"#, "$.Statement[0].Condition.DateGreaterThan",
         "condition operator 'DateGreaterThan' is not supported; EventRouter evaluates StringEquals, StringNotEquals, StringLike, StringNotLike (each also with ForAllValues:/ForAnyValue: and IfExists) and Null"),
        (#"{"Null": {"events:source": "maybe"}}"#, "$.Statement[0].Condition.Null.events:source",
         #"a Null condition takes "true" (the key is absent) or "false" (it is present), not 'maybe'"#),
        (#"{"StringEquals": {"events:creatorAccount": "${aws:username}"}}"#, "$.Statement[0].Condition.StringEquals.events:creatorAccount",
         "'${aws:username}' uses a policy variable EventRouter does not fill; use ${aws:PrincipalAccount} or ${aws:PrincipalOrgID}"),
        (#"{"StringEquals": {"events:creatorAccount": "sales"}}"#, "$.Statement[0].Condition.StringEquals.events:creatorAccount",
         "events:creatorAccount must be a 12-digit account id (or ${aws:PrincipalAccount}), not 'sales'"),
    ])
    func conditionProblems(condition: String, path: String, message: String) {
        let text = ForeignRule.policy(#"{"Effect": "Allow", "Principal": "*", "Action": "events:PutRule", "Resource": "\#(ForeignRule.rules)", "Condition": \#(condition)}"#)
        let (policy, found) = BusPolicy.parse(text: text, busArn: ForeignRule.central)
        #expect(policy == nil)
        #expect(found.contains(ValidationProblem(path: path, message)), "\(found)")
    }
}
