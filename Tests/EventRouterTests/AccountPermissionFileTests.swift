import Testing
@testable import EventRouter

@Suite struct AccountPermissionFileTests {
    static let central = #"{"Account": "123456789012", "EventBuses": [{"Name": "central"}], "Queues": [{"QueueName": "q"}]}"#
    static let other = #"{"Account": "111122223333", "Queues": [{"QueueName": "x"}]}"#
    static var files: [(name: String, text: String)] { [(name: "Rules/a.json", text: central), (name: "Rules/b.json", text: other)] }

    @Test func addWritesThePolicyIntoTheFileThatDeclaresTheBus() throws {
        let result = try RuleFilePermissionEditor.apply(.add(PermissionGrant(statementId: "payments", principal: "111122223333")), bus: "central", files: Self.files)
        #expect(result.file == "Rules/a.json")
        #expect(result.busArn == "arn:aws:events:us-east-1:123456789012:event-bus/central")
        let root = try JSONParser.parse(result.text)
        #expect(root["EventBuses"]?.arrayValue?.first?["Policy"] == result.policy)
        #expect(root["Queues"]?.jsonText == #"[{"QueueName":"q"}]"#)     // the rest is kept
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: result.text), Self.files[1]]).workspace)
        #expect(BusAccessControl(workspace: workspace).decide(account: "111122223333", busArn: result.busArn).allowed)
    }

    /// The check after the edit sees the workspace's functions, so a rule targeting one stays valid.
    @Test func aWorkspaceWithFunctionTargetsCanBeEdited() throws {
        let rules = #"{"EventBuses": [{"Name": "central"}], "Rules": [{"Name": "r", "EventBusName": "central", "EventPattern": {"source": ["s"]}, "Targets": [{"Id": "f", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:fn"}]}]}"#
        let files = [(name: "Rules/a.json", text: rules)]
        let grant = PermissionGrant(statementId: "p", principal: "111122223333")
        #expect(throws: EventRouterError.self) { try RuleFilePermissionEditor.apply(.add(grant), bus: "central", files: files) }
        let result = try RuleFilePermissionEditor.apply(.add(grant), bus: "central", files: files, functions: [.swiftTest()])
        #expect(result.policy != nil)
    }

    @Test func anUndeclaredDefaultBusIsAddedToTheFirstFileOfItsAccount() throws {
        let result = try RuleFilePermissionEditor.apply(.add(PermissionGrant(statementId: "all", principal: "*", organizationId: "o-aaaaaaaaaa")),
                                                        bus: "default", account: "111122223333", files: Self.files)
        #expect(result.file == "Rules/b.json")
        let buses = try JSONParser.parse(result.text)["EventBuses"]?.arrayValue ?? []
        #expect(buses.map { $0["Name"] } == ["default"])
    }

    @Test func removeDeletesTheStatementAndThenThePolicy() throws {
        let added = try RuleFilePermissionEditor.apply(.add(PermissionGrant(statementId: "p", principal: "111122223333")), bus: "central", files: Self.files)
        let removed = try RuleFilePermissionEditor.apply(.remove(statementId: "p"), bus: "central", files: [(name: "Rules/a.json", text: added.text), Self.files[1]])
        #expect(removed.policy == nil)
        #expect(try JSONParser.parse(removed.text)["EventBuses"]?.arrayValue?.first?.jsonText == #"{"Name":"central"}"#)
    }

    @Test(arguments: [
        ("centrl", "no rule file declares the bus 'centrl' of account 123456789012 in us-east-1 (did you mean 'central'?)"),
        ("arn:aws:sqs:us-east-1:123456789012:q", "--bus must be a bus name or an ARN like arn:aws:events:us-east-1:123456789012:event-bus/NAME, not 'arn:aws:sqs:us-east-1:123456789012:q'"),
    ])
    func unknownBusesAreNamed(bus: String, message: String) {
        do {
            _ = try RuleFilePermissionEditor.apply(.add(PermissionGrant(statementId: "p", principal: "111122223333")), bus: bus, files: Self.files)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func prettyPrintingKeepsShortThingsOnOneLine() {
        let value: JSONValue = ["Name": "x", "Targets": [["Id": "a", "Arn": "arn"]], "Long": .string(String(repeating: "y", count: 120))]
        #expect(JSONPrettyPrinter.format(value) == """
            {
              "Name": "x",
              "Targets": [{ "Id": "a", "Arn": "arn" }],
              "Long": "\(String(repeating: "y", count: 120))"
            }

            """)
    }
}
