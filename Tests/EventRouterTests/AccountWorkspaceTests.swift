import Testing
@testable import EventRouter

@Suite struct AccountWorkspaceTests {
    @Test func policiesAndAccountsAreValidatedWithFileAndPath() {
        let found = problems(#"""
            {"Accounts": [{"Id": "1234", "OrganizationId": "o-aaaaaaaaaa"}],
             "EventBuses": [{"Name": "default", "Policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "nobody"},
                             "Action": "events:PutEvents", "Resource": "arn:aws:events:us-east-1:123456789012:event-bus/default"}]}}]}
            """#)
        #expect(found.map(\.description) == [
            "Rules/f0.json: $.Accounts[0].Id: error: 'Id' must be a 12-digit account id, got '1234'",
            "Rules/f0.json: $.EventBuses[0].Policy.Statement[0].Principal.AWS: error: an AWS principal must be \"*\", a 12-digit account id or arn:aws:iam::ACCOUNT:root, not 'nobody'",
        ])
    }

    @Test func aDeclaredDefaultBusCarriesItsPolicy() throws {
        let f = try AccountFixture(#"""
            {"EventBuses": [{"Name": "default", "Policy": "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"events:PutEvents\", \"Resource\": \"arn:aws:events:us-east-1:123456789012:event-bus/default\"}}"}]}
            """#)
        let bus = "arn:aws:events:us-east-1:123456789012:event-bus/default"
        #expect(f.router.access.decide(account: "111122223333", busArn: bus).allowed)
        #expect(!f.router.access.decide(account: "222233334444", busArn: bus).allowed)
    }

    @Test func warnsAboutAForwardThePolicyWouldRefuse() {
        let otherOrg = CrossAccount.allowOrgA.replacingOccurrences(of: "o-aaaaaaaaaa", with: "o-cccccccccc")
        let found = problems(CrossAccount.centralFile(policy: otherOrg), CrossAccount.senderFile)
        let expected = "Rules/f1.json: $.Rules[?(@.Name=='to-central')].Targets[?(@.Id=='central')].Arn: warning: deliveries will fail with NO_PERMISSIONS: account 111122223333 (organization o-aaaaaaaaaa) is not allowed to put events on \(CrossAccount.central): no statement of the bus policy allows events:PutEvents for it (statement 'org-a' requires aws:PrincipalOrgID o-cccccccccc) — e.g. 'eventrouter permission add --bus \(CrossAccount.central) --account 111122223333 --statement-id ID'"
        #expect(found.filter { $0.severity == .warning && $0.message.contains("NO_PERMISSIONS") }.map(\.description) == [expected], "\(found)")
        #expect(!problems(CrossAccount.centralFile(policy: CrossAccount.allowSales), CrossAccount.senderFile).contains { $0.message.contains("NO_PERMISSIONS") })
    }

    @Test func warnsThatInputShapingIsIgnoredOnBusTargets() {
        let found = problems(#"""
            {"EventBuses": [{"Name": "b"}], "Rules": [{"Name": "r", "EventPattern": {"source": ["x"]},
              "Targets": [{"Id": "t", "Arn": "arn:aws:events:us-east-1:123456789012:event-bus/b", "InputPath": "$.detail"}]}]}
            """#)
        #expect(found.map(\.description) == [
            "Rules/f0.json: $.Rules[?(@.Name=='r')].Targets[?(@.Id=='t')]: warning: a bus target forwards the event itself (with its id, account and detail); Input, InputPath and InputTransformer are ignored",
        ])
    }

    @Test func archivesAreValidated() {
        let found = problems(#"""
            {"EventBuses": [{"Name": "orders"}],
             "Archives": [{"ArchiveName": "a", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/order"},
                          {"ArchiveName": "b", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/orders", "RetentionDays": "7"},
                          {"ArchiveName": "c", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/orders"},
                          {"ArchiveName": "c", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}]}
            """#)
        #expect(found.map(\.description) == [
            "Rules/f0.json: $.Archives[0].EventSourceArn: error: EventSourceArn arn:aws:events:us-east-1:123456789012:event-bus/order names the bus 'order', which no rule file declares in account 123456789012 (did you mean 'orders'?); declare it under EventBuses",
            "Rules/f0.json: $.Archives[1].RetentionDays: error: 'RetentionDays' must be a whole number of days, 0 or more (0 keeps events forever), not \"7\"",
            "Rules/f0.json: $.Archives[3].ArchiveName: error: duplicate archive 'c' in account 123456789012 (first declared at Rules/f0.json: $.Archives[2])",
        ])
    }
}
