import EventRouter
import Testing
@testable import EventRouterHTTP

/// Access keys from the workspace's `Accounts[].AccessKeys` and from `--access-keys` files.
@Suite struct AccessKeySourcesTests {
    static func accounts(_ text: String) throws -> [AccountDefinition] {
        let (accounts, problems) = AccessKeyTable.readFile(try JSONValue(parsing: text), file: "keys.json")
        #expect(problems.isEmpty, "\(problems)")
        return accounts
    }

    @Test func aFileMapsKeysToAccountsAndOtherKeysToTheDefaultOr12Digits() throws {
        let accounts = try Self.accounts(#"{"Accounts":[{"Id":"111122223333","AccessKeys":[{"AccessKeyId":"AKID1","SecretAccessKey":"s1"}]}]}"#)
        let (table, problems) = AccessKeyTable.build([("keys.json", accounts)], defaultAccount: "123456789012")
        #expect(problems.isEmpty)
        #expect(table.account(for: "AKID1") == "111122223333")
        #expect(table.key("AKID1")?.secretAccessKey == "s1")
        #expect(table.account(for: "999988887777") == "999988887777")
        #expect(table.account(for: "AKIAOTHER") == "123456789012")
    }

    @Test(arguments: [
        (#"[]"#, "keys.json: $: error: the access-key file must be an object like {\"Accounts\": [{\"Id\": \"111122223333\", \"AccessKeys\": [...]}]}, not array"),
        (#"{}"#, "keys.json: $: error: missing required key 'Accounts'"),
        (#"{"Acounts": []}"#, "keys.json: $.Acounts: error: unknown key 'Acounts' in an access-key file (did you mean 'Accounts'?); allowed: Accounts"),
        (#"{"Accounts": {}}"#, "keys.json: $.Accounts: error: 'Accounts' must be an array of accounts, not object"),
        (#"{"Accounts": [{"Id": "12"}]}"#, "keys.json: $.Accounts[0].Id: error: 'Id' must be a 12-digit account id, got '12'"),
        (#"{"Accounts": [{"Id": "111122223333", "AccessKeys": [{"AccessKeyId": "K"}]}]}"#,
         "keys.json: $.Accounts[0].AccessKeys[0]: error: missing required key 'SecretAccessKey'"),
        (#"{"Accounts": [{"Id": "111122223333", "AccessKeys": [{"AccessKeyId": "a/b", "SecretAccessKey": "s"}]}]}"#,
         "keys.json: $.Accounts[0].AccessKeys[0].AccessKeyId: error: 'AccessKeyId' must be 1 to 128 printable ASCII characters without '/' or spaces, got 'a/b'"),
    ])
    func fileProblemsAreWordedAsRuleFileProblems(text: String, message: String) throws {
        let (_, problems) = AccessKeyTable.readFile(try JSONValue(parsing: text), file: "keys.json")
        #expect(problems.map(\.description).contains(message), "\(problems)")
    }

    @Test func aKeyDeclaredForTwoAccountsNamesBothSources() {
        let alice = AccountDefinition(id: "111122223333", accessKeys: [AccountAccessKey(accessKeyId: "K", secretAccessKey: "s")])
        let bob = AccountDefinition(id: "444455556666", accessKeys: [AccountAccessKey(accessKeyId: "K", secretAccessKey: "s")])
        let aliceAgain = AccountDefinition(id: "111122223333", accessKeys: [AccountAccessKey(accessKeyId: "K", secretAccessKey: "other")])
        #expect(AccessKeyTable.build([("the workspace's Accounts", [alice]), ("--access-keys keys.json", [bob])]).1 == [
            "access key 'K' is declared for account 111122223333 (the workspace's Accounts) and for account 444455556666 (--access-keys keys.json); a key acts for one account: remove one",
        ])
        #expect(AccessKeyTable.build([("the workspace's Accounts", [alice]), ("--access-keys keys.json", [aliceAgain])]).1 == [
            "access key 'K' of account 111122223333 has one secret in the workspace's Accounts and another in --access-keys keys.json: keep one",
        ])
        let (same, problems) = AccessKeyTable.build([("a", [alice]), ("b", [alice])])
        #expect(problems.isEmpty && same.count == 1)
    }

    @Test func theWorkspacesAccountsGiveTheRouterItsKeys() throws {
        let rules = #"{"Accounts": [{"Id": "111122223333", "AccessKeys": [{"AccessKeyId": "AKIDALICE", "SecretAccessKey": "alice-secret"}]}], "Rules": []}"#
        let workspace = try #require(WorkspaceLoader.validate(files: [("a.json", rules)]).workspace)
        var options = RouterServer.Options()
        options.port = 0
        options.clock = .virtual(ManualClock())
        let router = try RouterServer(workspace: workspace, options: options)
        #expect(router.keys.account(for: "AKIDALICE") == "111122223333")
        var file = options
        file.extraAccounts = [("--access-keys keys.json", [AccountDefinition(id: "444455556666", accessKeys: [AccountAccessKey(accessKeyId: "AKIDALICE", secretAccessKey: "x")])])]
        #expect(throws: RouterServerError("access key 'AKIDALICE' is declared for account 111122223333 (the workspace's Accounts) and for account 444455556666 (--access-keys keys.json); a key acts for one account: remove one")) {
            try RouterServer(workspace: workspace, options: file)
        }
    }

    @Test func strictAuthenticationNeedsKeysFromEitherSource() throws {
        let workspace = try #require(WorkspaceLoader.validate(files: [("a.json", #"{"Rules": []}"#)]).workspace)
        var options = RouterServer.Options()
        options.port = 0
        options.clock = .virtual(ManualClock())
        options.strictAuth = true
        #expect(throws: RouterServerError("--strict-auth needs the keys it accepts: declare them under Accounts[].AccessKeys in a rule file, or pass --access-keys FILE")) {
            try RouterServer(workspace: workspace, options: options)
        }
        options.extraAccounts = [("keys.json", [AccountDefinition(id: "111122223333", accessKeys: [AccountAccessKey(accessKeyId: "K", secretAccessKey: "s")])])]
        #expect(try RouterServer(workspace: workspace, options: options).keys.count == 1)
    }
}
