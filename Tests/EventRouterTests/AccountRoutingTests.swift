import Testing
@testable import EventRouter

/// Central account 123456789012 with a `central` bus and an `audit` queue; senders 111122223333
/// (organization o-aaaaaaaaaa) and 222233334444 (organization o-bbbbbbbbbb).
enum CrossAccount {
    static let central = "arn:aws:events:us-east-1:123456789012:event-bus/central"
    static let audit = "arn:aws:sqs:us-east-1:123456789012:audit"
    static let dlq = "arn:aws:sqs:us-east-1:111122223333:forward-dlq"
    static let local = "arn:aws:sqs:us-east-1:111122223333:local"

    static func centralFile(policy: String) -> String {
        """
        {"Account": "123456789012",
         "Accounts": [{"Id": "111122223333", "OrganizationId": "o-aaaaaaaaaa"}, {"Id": "222233334444", "OrganizationId": "o-bbbbbbbbbb"}],
         "EventBuses": [{"Name": "central", "Policy": \(policy)}],
         "Queues": [{"QueueName": "audit"}],
         "Rules": [{"Name": "audit-all", "EventBusName": "central", "EventPattern": {"source": [{"prefix": ""}]},
                    "Targets": [{"Id": "q", "Arn": "\(audit)"}]}]}
        """
    }

    static func statement(_ sid: String, principal: String, condition: String? = nil, effect: String = "Allow") -> String {
        #"{"Sid":"\#(sid)","Effect":"\#(effect)","Principal":\#(principal),"Action":"events:PutEvents","Resource":"\#(central)""#
            + (condition.map { #","Condition":{"StringEquals":{"aws:PrincipalOrgID":"\#($0)"}}"# } ?? "") + "}"
    }

    static let allowSales = #"{"Version":"2012-10-17","Statement":[\#(statement("sales", principal: #"{"AWS":"arn:aws:iam::111122223333:root"}"#))]}"#
    static let allowOrgA = #"{"Version":"2012-10-17","Statement":[\#(statement("org-a", principal: #""*""#, condition: "o-aaaaaaaaaa"))]}"#

    /// Sender account 111122223333: a `default` bus whose rule forwards everything to `central`.
    static let senderFile = """
        {"Account": "111122223333",
         "Queues": [{"QueueName": "forward-dlq"}, {"QueueName": "local"}],
         "Rules": [{"Name": "to-central", "EventPattern": {"source": ["sales"]},
                    "Targets": [{"Id": "central", "Arn": "\(central)", "DeadLetterConfig": {"Arn": "\(dlq)"}},
                                {"Id": "local", "Arn": "\(local)"}]}]}
        """
}

@Suite struct AccountRoutingTests {
    static let entry = PutEventsEntry(source: "sales", detailType: "Sale", detail: #"{"amount": 5}"#, eventBusName: CrossAccount.central)

    /// (policy, sending account, accepted)
    static let puts: [(String, String, Bool)] = [
        (CrossAccount.allowSales, "111122223333", true),
        (CrossAccount.allowSales, "222233334444", false),
        (CrossAccount.allowOrgA, "111122223333", true),   // member of o-aaaaaaaaaa
        (CrossAccount.allowOrgA, "222233334444", false),  // member of another organization
        (CrossAccount.allowOrgA, "123456789012", true),   // the bus's own account
    ]

    @Test(arguments: puts)
    func crossAccountPutsFollowThePolicy(policy: String, account: String, accepted: Bool) async throws {
        let f = try AccountFixture(CrossAccount.centralFile(policy: policy))
        let result = try await f.put(Self.entry, as: account)
        #expect((result.eventId != nil) == accepted)
        if accepted {
            #expect(f.bodies(CrossAccount.audit).first?["account"]?.stringValue == account)
        } else {
            #expect(result.errorCode == "AccessDeniedException")
            #expect(f.bodies(CrossAccount.audit).isEmpty)
        }
    }

    @Test func aDeniedPutSaysWhy() async throws {
        let f = try AccountFixture(CrossAccount.centralFile(policy: CrossAccount.allowOrgA))
        var entry = Self.entry
        entry.account = "222233334444"
        let result = try await f.put(entry)
        #expect(result.errorMessage == "account 222233334444 (organization o-bbbbbbbbbb) is not allowed to put events on \(CrossAccount.central): no statement of the bus policy allows events:PutEvents for it (statement 'org-a' requires aws:PrincipalOrgID o-aaaaaaaaaa)")
    }

    @Test func busNamesResolveInTheSendersAccount() async throws {
        let f = try AccountFixture(CrossAccount.centralFile(policy: CrossAccount.allowSales), CrossAccount.senderFile)
        // "default" of 111122223333, not of 123456789012: it forwards to central.
        let result = try await f.put(PutEventsEntry(source: "sales", detailType: "Sale", detail: "{}"), as: "111122223333")
        #expect(result.eventId != nil)
        #expect(f.bodies(CrossAccount.local).count == 1)
        #expect(f.bodies(CrossAccount.audit).count == 1)
    }

    @Test func forwardingKeepsIdAccountAndDetail() async throws {
        let f = try AccountFixture(CrossAccount.centralFile(policy: CrossAccount.allowSales), CrossAccount.senderFile)
        let result = try await f.put(PutEventsEntry(source: "sales", detailType: "Sale", detail: #"{"amount":5}"#), as: "111122223333")
        let forwarded = try #require(f.bodies(CrossAccount.audit).first)
        #expect(forwarded["id"]?.stringValue == result.eventId)
        #expect(forwarded["account"] == "111122223333")
        #expect(forwarded["detail"] == ["amount": 5])
        #expect(f.bodies(CrossAccount.local).first?["id"]?.stringValue == result.eventId)
        #expect(f.messages(CrossAccount.dlq).isEmpty)
    }

    @Test func aRefusedForwardGoesToTheDeadLetterQueueWithNoPermissions() async throws {
        let f = try AccountFixture(CrossAccount.centralFile(policy: CrossAccount.allowOrgA.replacingOccurrences(of: "o-aaaaaaaaaa", with: "o-cccccccccc")),
                                   CrossAccount.senderFile)
        let result = try await f.put(PutEventsEntry(source: "sales", detailType: "Sale", detail: "{}"), as: "111122223333")
        #expect(f.bodies(CrossAccount.audit).isEmpty)
        #expect(f.bodies(CrossAccount.local).count == 1)       // the other target still gets it
        let message = try #require(f.messages(CrossAccount.dlq).first)
        let body = try JSONParser.parse(try #require(message["Body"]?.stringValue))
        #expect(body["id"]?.stringValue == result.eventId)
        let attributes = try #require(message["MessageAttributes"])
        #expect(attributes["ERROR_CODE"]?["StringValue"] == "NO_PERMISSIONS")
        #expect(attributes["RETRY_ATTEMPTS"]?["StringValue"] == "0")
        #expect(attributes["TARGET_ARN"]?["StringValue"]?.stringValue == CrossAccount.central)
        #expect(attributes["ERROR_MESSAGE"]?["StringValue"]?.stringValue?.hasPrefix("account 111122223333 (organization o-aaaaaaaaaa) is not allowed to put events on \(CrossAccount.central)") == true)
        #expect(f.router.scheduler.statistics.retried == 0)
    }
}
