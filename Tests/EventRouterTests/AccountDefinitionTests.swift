import Testing
import EventRouterTesting

@Suite struct AccountDefinitionTests {
    @Test func readsIdAndOrganization() throws {
        var problems: [ValidationProblem] = []
        let account = try #require(AccountDefinition.parse(["Id": "111122223333", "OrganizationId": "o-a1b2c3d4e5"], problems: &problems))
        #expect(account == AccountDefinition(id: "111122223333", organizationId: "o-a1b2c3d4e5"))
        #expect(problems.isEmpty)
    }

    @Test(arguments: [
        (["OrganizationId": "o-a1b2c3d4e5"] as JSONValue, "$", "missing required key 'Id' (the 12-digit account id)"),
        (["Id": "12345"], "$.Id", "Id must be a 12-digit account id, not '12345'"),
        (["Id": 111122223333], "$.Id", "Id must be a string of 12 digits (write it in quotes), not number"),
        (["Id": "111122223333", "OrganizationId": "org-1"], "$.OrganizationId",
         "OrganizationId must look like o-a1b2c3d4e5 ('o-' and 10 to 32 lowercase letters or digits), not 'org-1'"),
        (["Id": "111122223333", "OrgId": "o-a1b2c3d4e5"], "$.OrgId",
         "unknown key 'OrgId' in an account; allowed: Id, OrganizationId, Description, ConcurrentExecutions"),
        (["Id": "111122223333", "OrganisationId": "o-a1b2c3d4e5"], "$.OrganisationId",
         "unknown key 'OrganisationId' in an account (did you mean 'OrganizationId'?); allowed: Id, OrganizationId, Description, ConcurrentExecutions"),
        ("111122223333", "$", "an account must be an object like {\"Id\": \"111122223333\"}, not string"),
    ] as [(JSONValue, String, String)])
    func reportsEachProblemWithPathAndReason(json: JSONValue, path: String, message: String) {
        var problems: [ValidationProblem] = []
        #expect(AccountDefinition.parse(json, problems: &problems) == nil)
        #expect(problems.contains(ValidationProblem(path: path, message)), "\(problems)")
    }

    @Test(arguments: [
        ("123456789012", "123456789012"), ("arn:aws:iam::123456789012:root", "123456789012"),
        ("arn:aws:iam::123456789012:role/sender", "123456789012"), ("arn:aws:iam:us-east-1:123456789012:root", nil),
        ("12345678901", nil), ("arn:aws:sts::123456789012:root", nil),
    ] as [(String, String?)])
    func principalAccounts(text: String, account: String?) {
        #expect(AccountID.account(ofPrincipal: text) == account)
    }

    @Test func problemsRebaseOntoTheEntryPath() {
        let p = ValidationProblem(path: "$.Statement[0].Effect", "x").rebased(onto: "$.EventBuses[1].Policy")
        #expect(p.path == "$.EventBuses[1].Policy.Statement[0].Effect")
        #expect(ValidationProblem(path: "$", "x").rebased(onto: "$.Accounts[0]").path == "$.Accounts[0]")
    }
}
