import Testing
import EventRouterTesting

@Suite struct AccountDefinitionTests {
    @Test func readsIdAndOrganization() throws {
        var problems: [ValidationProblem] = []
        let account = try #require(AccountDefinition.parse(["Id": "111122223333", "OrganizationId": "o-a1b2c3d4e5"], problems: &problems))
        #expect(account == AccountDefinition(id: "111122223333", organizationId: "o-a1b2c3d4e5"))
        #expect(problems.isEmpty)
    }

    @Test func readsAccessKeys() throws {
        var problems: [ValidationProblem] = []
        let json: JSONValue = ["Id": "111122223333", "AccessKeys": [["AccessKeyId": "AKIDALICE", "SecretAccessKey": "s", "Description": "alice"]]]
        let account = try #require(AccountDefinition.parse(json, problems: &problems))
        #expect(account.accessKeys == [AccountAccessKey(accessKeyId: "AKIDALICE", secretAccessKey: "s")])
        #expect(problems.isEmpty)
    }

    static let allowed = "allowed: Id, OrganizationId, Description, ConcurrentExecutions, AccessKeys"

    @Test(arguments: [
        (["OrganizationId": "o-a1b2c3d4e5"] as JSONValue, "$", "missing required key 'Id'"),
        (["Id": "12345"], "$.Id", "'Id' must be a 12-digit account id, got '12345'"),
        (["Id": 111122223333], "$.Id", "'Id' must be a string, not number"),
        (["Id": "111122223333", "OrganizationId": "org-1"], "$.OrganizationId",
         "'OrganizationId' must be an organization id like o-a1b2c3d4e5 ('o-' and 10 to 32 lowercase letters or digits), got 'org-1'"),
        (["Id": "111122223333", "OrgId": "o-a1b2c3d4e5"], "$.OrgId", "unknown key 'OrgId' in an account; \(allowed)"),
        (["Id": "111122223333", "OrganisationId": "o-a1b2c3d4e5"], "$.OrganisationId",
         "unknown key 'OrganisationId' in an account (did you mean 'OrganizationId'?); \(allowed)"),
        ("111122223333", "$", "an account must be an object like {\"Id\": \"111122223333\"}, not string"),
        (["Id": "111122223333", "ConcurrentExecutions": 99], "$.ConcurrentExecutions", "'ConcurrentExecutions' must be between 100 and 1000000, got 99"),
        (["Id": "111122223333", "Description": 1], "$.Description", "'Description' must be a string, not number"),
        (["Id": "111122223333", "AccessKeys": "AKID"], "$.AccessKeys",
         #"'AccessKeys' must be an array of {"AccessKeyId": …, "SecretAccessKey": …} objects, not string"#),
        (["Id": "111122223333", "AccessKeys": ["AKID"]], "$.AccessKeys[0]",
         #"an access key must be an object like {"AccessKeyId": "AKIDALICE", "SecretAccessKey": "…"}, not string"#),
        (["Id": "111122223333", "AccessKeys": [["AccessKeyId": "AKID"]]], "$.AccessKeys[0]", "missing required key 'SecretAccessKey'"),
        (["Id": "111122223333", "AccessKeys": [["SecretAccessKey": "s"]]], "$.AccessKeys[0]", "missing required key 'AccessKeyId'"),
        (["Id": "111122223333", "AccessKeys": [["AccessKeyId": "AKID", "SecretAccessKey": ""]]], "$.AccessKeys[0].SecretAccessKey",
         "'SecretAccessKey' must not be empty"),
        (["Id": "111122223333", "AccessKeys": [["AccessKeyId": "has space", "SecretAccessKey": "s"]]], "$.AccessKeys[0].AccessKeyId",
         "'AccessKeyId' must be 1 to 128 printable ASCII characters without '/' or spaces, got 'has space'"),
        (["Id": "111122223333", "AccessKeys": [["AccessKeyId": "AKID", "Secret": "s"]]], "$.AccessKeys[0].Secret",
         "unknown key 'Secret' in an access key; allowed: AccessKeyId, SecretAccessKey, Description"),
        (["Id": "111122223333", "AccessKeys": [["AccessKeyId": "K", "SecretAccessKey": "s"], ["AccessKeyId": "K", "SecretAccessKey": "s"]]],
         "$.AccessKeys[1].AccessKeyId", "access key 'K' is listed twice for this account (also at $.AccessKeys[0]); list it once"),
    ] as [(JSONValue, String, String)])
    func reportsEachProblemWithPathAndReason(json: JSONValue, path: String, message: String) {
        var problems: [ValidationProblem] = []
        #expect(AccountDefinition.parse(json, problems: &problems) == nil)
        #expect(problems.contains(ValidationProblem(path: path, message)), "\(problems)")
    }

    @Test func aKeyDeclaredForTwoAccountsInTheWorkspaceNamesBoth() {
        let a = #"{"Accounts": [{"Id": "111122223333", "AccessKeys": [{"AccessKeyId": "K", "SecretAccessKey": "s"}]}]}"#
        let b = #"{"Accounts": [{"Id": "444455556666", "AccessKeys": [{"AccessKeyId": "K", "SecretAccessKey": "s"}]}, {"Id": "111122223333", "AccessKeys": [{"AccessKeyId": "K", "SecretAccessKey": "t"}, {"AccessKeyId": "L", "SecretAccessKey": "l"}]}]}"#
        let result = WorkspaceLoader.validate(files: [("Rules/a.json", a), ("Rules/b.json", b)])
        #expect(result.workspace == nil)
        #expect(result.problems.map(\.description) == [
            "Rules/b.json: $.Accounts[0].AccessKeys[0].AccessKeyId: error: access key 'K' is declared for account 444455556666 here and for account 111122223333 at Rules/a.json: $.Accounts[0].AccessKeys[0]; a key acts for one account",
            "Rules/b.json: $.Accounts[1].AccessKeys[0].SecretAccessKey: error: access key 'K' of account 111122223333 is declared again with another secret (first at Rules/a.json: $.Accounts[0].AccessKeys[0]); declare it once",
        ])
        let merged = WorkspaceLoader.validate(files: [("Rules/a.json", a), ("Rules/c.json", #"{"Accounts": [{"Id": "111122223333", "AccessKeys": [{"AccessKeyId": "L", "SecretAccessKey": "l"}]}]}"#)])
        #expect(merged.workspace?.accountDefinitions.map { $0.accessKeys.map(\.accessKeyId) } == [["K", "L"]], "an account declared in two files has the keys of both")
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
