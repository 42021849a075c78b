import Testing
import EventRouterTesting

@Suite struct BusPolicyEvaluationTests {
    static let allowSales = #"{"Sid":"sales","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"events:PutEvents","Resource":"\#(centralBus)"}"#
    static let allowOrg = #"{"Sid":"org","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#
    static let allowAll = #"{"Sid":"all","Effect":"Allow","Principal":{"AWS":"*"},"Action":"events:*","Resource":"*"}"#
    static let denyEve = #"{"Sid":"no-eve","Effect":"Deny","Principal":{"AWS":"444455556666"},"Action":"events:PutEvents","Resource":"\#(centralBus)"}"#
    static let denyAll = #"{"Sid":"deny-all","Effect":"Deny","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)"}"#
    static let allowSalesPutRule = #"{"Sid":"rules","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"events:PutRule","Resource":"\#(centralBus)"}"#

    /// (statements, sender account, sender organization, allowed, deciding statement id)
    static let cases: [([String], String, String?, Bool, String?)] = [
        ([], "123456789012", nil, true, nil),                       // owner, no policy
        ([denyAll], "123456789012", nil, true, nil),                // owner even with a deny-all
        ([allowSales], "111122223333", nil, true, "sales"),
        ([allowSales], "222233334444", nil, false, nil),
        ([allowOrg], "222233334444", "o-a1b2c3d4e5", true, "org"),
        ([allowOrg], "222233334444", "o-zzzzzzzzzz", false, nil),
        ([allowOrg], "222233334444", nil, false, nil),
        ([allowAll], "999999999999", nil, true, "all"),
        ([allowAll, denyEve], "444455556666", nil, false, "no-eve"),
        ([denyEve, allowAll], "111122223333", nil, true, "all"),
        ([allowSales, denyAll], "111122223333", nil, false, "deny-all"),
        ([allowSalesPutRule], "111122223333", nil, false, nil),      // not PutEvents
    ]

    @Test(arguments: cases)
    func decides(statements: [String], account: String, organization: String?, allowed: Bool, statementId: String?) throws {
        var policy: BusPolicy?
        if !statements.isEmpty {
            let parsed = try #require(BusPolicy.parse(text: policyText(statements.joined(separator: ",")), busArn: centralBus).policy)
            policy = parsed
        }
        let decision = BusAccess.evaluate(policy: policy, account: account, organizationId: organization, busArn: centralBus, busAccount: "123456789012")
        #expect(decision.allowed == allowed, "\(decision.reason)")
        #expect(decision.statementId == statementId)
    }

    @Test func denialMessagesSayWhy() throws {
        let none = BusAccess.evaluate(policy: nil, account: "111122223333", organizationId: nil, busArn: centralBus, busAccount: "123456789012")
        #expect(none.reason == "account 111122223333 is not allowed to put events on \(centralBus): the bus has no resource policy; add a statement allowing events:PutEvents for 111122223333")
        let org = try #require(BusPolicy.parse(text: policyText(Self.allowOrg), busArn: centralBus).policy)
        let wrongOrg = BusAccess.evaluate(policy: org, account: "222233334444", organizationId: "o-zzzzzzzzzz", busArn: centralBus, busAccount: "123456789012")
        #expect(wrongOrg.reason == "account 222233334444 (organization o-zzzzzzzzzz) is not allowed to put events on \(centralBus): no statement of the bus policy allows events:PutEvents for it (statement 'org' requires aws:PrincipalOrgID o-a1b2c3d4e5)")
        let deny = try #require(BusPolicy.parse(text: policyText(Self.allowAll, Self.denyEve), busArn: centralBus).policy)
        #expect(BusAccess.evaluate(policy: deny, account: "444455556666", organizationId: nil, busArn: centralBus, busAccount: "123456789012").reason
            == "account 444455556666 is not allowed to put events on \(centralBus): statement 'no-eve' of the bus policy denies it")
    }

    @Test(arguments: [
        ("events:PutEvents", true), ("EVENTS:putevents", true), ("events:*", true), ("*", true), ("events:Put*", true),
        ("events:PutRule", false), ("events:?utEvents", true),
    ])
    func actionWildcards(action: String, covers: Bool) {
        let s = BusPolicyStatement(effect: .allow, principals: [.anyone], actions: [action], resources: ["*"])
        #expect(s.coversPutEvents == covers)
    }
}
