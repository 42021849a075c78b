import Testing
import EventRouterTesting

@Suite struct BusPermissionEditorTests {
    @Test func putPermissionWritesTheStatementAWSWrites() throws {
        let policy = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "sales", principal: "111122223333"), to: nil, busArn: centralBus)
        #expect(policy.jsonText == #"{"Version":"2012-10-17","Statement":[{"Sid":"sales","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"events:PutEvents","Resource":"\#(centralBus)"}]}"#)
        let decision = BusAccess.evaluate(policy: BusPolicy.parse(policy, busArn: centralBus).policy, account: "111122223333",
                                          organizationId: nil, busArn: centralBus, busAccount: "123456789012")
        #expect(decision.allowed)
    }

    @Test func putPermissionWithAnOrganizationCondition() throws {
        let policy = try BusPermissionEditor.putPermission(
            PermissionGrant(statementId: "org", principal: "*", organizationId: "o-a1b2c3d4e5"), to: nil, busArn: centralBus)
        #expect(policy.jsonText == #"{"Version":"2012-10-17","Statement":[{"Sid":"org","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}"#)
        let parsed = BusPolicy.parse(policy, busArn: centralBus).policy
        #expect(BusAccess.evaluate(policy: parsed, account: "222233334444", organizationId: "o-a1b2c3d4e5", busArn: centralBus, busAccount: "123456789012").allowed)
        #expect(!BusAccess.evaluate(policy: parsed, account: "222233334444", organizationId: nil, busArn: centralBus, busAccount: "123456789012").allowed)
    }

    @Test func sameStatementIdReplacesInPlaceOthersAppend() throws {
        var policy = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "a", principal: "111122223333"), to: nil, busArn: centralBus)
        policy = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "b", principal: "222233334444"), to: policy, busArn: centralBus)
        policy = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "a", principal: "333344445555"), to: policy, busArn: centralBus)
        let parsed = try #require(BusPolicy.parse(policy, busArn: centralBus).policy)
        #expect(parsed.statements.map(\.sid) == ["a", "b"])
        #expect(parsed.statements[0].principals == [.account("333344445555")])
    }

    @Test func removePermissionRemovesByIdAndDropsAnEmptyPolicy() throws {
        var policy: JSONValue? = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "a", principal: "111122223333"), to: nil, busArn: centralBus)
        policy = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "b", principal: "222233334444"), to: policy, busArn: centralBus)
        policy = try BusPermissionEditor.removePermission(statementId: "a", from: policy, busArn: centralBus)
        let remaining = try #require(policy)
        #expect(BusPolicy.parse(remaining, busArn: centralBus).policy?.statements.map(\.sid) == ["b"])
        policy = try BusPermissionEditor.removePermission(statementId: "b", from: policy, busArn: centralBus)
        #expect(policy == nil)
    }

    @Test func editsAPolicyGivenAsAString() throws {
        let text = policyText(#"{"Sid":"x","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)"}"#)
        let policy = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "y", principal: "111122223333"), to: .string(text), busArn: centralBus)
        #expect(BusPolicy.parse(policy, busArn: centralBus).policy?.statements.map(\.sid) == ["x", "y"])
    }

    @Test(arguments: [
        (PermissionGrant(statementId: "has space", principal: "111122223333"), "StatementId must be 1 to 64 letters, digits, '-' or '_', not 'has space'"),
        (PermissionGrant(statementId: String(repeating: "a", count: 65), principal: "111122223333"), "StatementId must be 1 to 64 letters, digits, '-' or '_', not '\(String(repeating: "a", count: 65))'"),
        (PermissionGrant(statementId: "a", principal: "sales"), "Principal must be a 12-digit account id or \"*\", not 'sales'"),
        (PermissionGrant(statementId: "a", principal: "111122223333", action: "events:PutRule"), "Action must be events:PutEvents, not 'events:PutRule'"),
        (PermissionGrant(statementId: "a", principal: "*", organizationId: "acme"), "the organization id must look like o-a1b2c3d4e5, not 'acme'"),
    ])
    func rejectsBadGrants(grant: PermissionGrant, message: String) {
        #expect(throws: EventRouterError.self) { try BusPermissionEditor.putPermission(grant, to: nil, busArn: centralBus) }
        do { _ = try BusPermissionEditor.putPermission(grant, to: nil, busArn: centralBus) } catch { #expect(error.message == message) }
    }

    @Test func removeErrors() throws {
        let policy = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "a", principal: "111122223333"), to: nil, busArn: centralBus)
        func message(_ body: () throws(EventRouterError) -> Void) -> String? {
            do { try body(); return nil } catch { return error.message }
        }
        #expect(message { () throws(EventRouterError) in _ = try BusPermissionEditor.removePermission(statementId: "zz", from: policy, busArn: centralBus) }
            == "the policy of \(centralBus) has no statement with id 'zz'; its statement ids: a")
        #expect(message { () throws(EventRouterError) in _ = try BusPermissionEditor.removePermission(statementId: "a", from: nil, busArn: centralBus) }
            == "\(centralBus) has no policy, so it has no statement 'a'")
        #expect(message { () throws(EventRouterError) in _ = try BusPermissionEditor.removePermission(statementId: nil, from: policy, busArn: centralBus) }
            == "give a StatementId to remove, or remove all permissions")
        #expect(try BusPermissionEditor.removePermission(statementId: nil, removeAll: true, from: policy, busArn: centralBus) == nil)
        #expect(message { () throws(EventRouterError) in _ = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "b", principal: "*"), to: "[1]", busArn: centralBus) }
            == "the current policy of \(centralBus) is not valid, fix it first: $: error: a policy must be a JSON object with 'Version' and 'Statement', not array")
    }

    @Test func refusesAPolicyOverTheSizeLimit() throws {
        var policy: JSONValue? = nil
        var message: String?
        for i in 0..<100 {
            do {
                policy = try BusPermissionEditor.putPermission(PermissionGrant(statementId: "s\(i)", principal: "1111222233\(String(format2: i))"), to: policy, busArn: centralBus)
            } catch {
                message = error.message
                break
            }
        }
        #expect(message?.hasPrefix("the new policy would not be valid: $: error: the policy is ") == true, "\(message ?? "no error")")
        #expect((policy?.jsonText.count ?? 0) <= 10_240)
    }
}
