import Testing
@testable import EventRouter

@Suite struct AccountOneHopTests {
    static func bus(_ name: String, account: String = "123456789012") -> String { "arn:aws:events:us-east-1:\(account):event-bus/\(name)" }
    static func queue(_ name: String, account: String = "123456789012") -> String { "arn:aws:sqs:us-east-1:\(account):\(name)" }

    /// A rule on `bus` sending everything to its queue `seen-BUS` and, if given, on to `next`.
    static func rule(on bus: String, next: String?, account: String = "123456789012") -> String {
        let forward = next.map { #", {"Id": "next", "Arn": "\#($0)"}"# } ?? ""
        return #"{"Name": "r-\#(bus)", "EventBusName": "\#(bus)", "EventPattern": {"source": ["app"]}, "Targets": [{"Id": "seen", "Arn": "\#(queue("seen-\(bus)", account: account))"}\#(forward)]}"#
    }

    static func workspace(_ edges: [(String, String?)]) -> String {
        let buses = edges.map { #"{"Name": "\#($0.0)"}"# }.joined(separator: ",")
        let queues = edges.map { #"{"QueueName": "seen-\#($0.0)"}"# }.joined(separator: ",")
        return #"{"EventBuses": [\#(buses)], "Queues": [\#(queues)], "Rules": [\#(edges.map { rule(on: $0.0, next: $0.1.map { bus($0) }) }.joined(separator: ","))]}"#
    }

    func putOnA(_ f: AccountFixture) async throws -> String? {
        try await f.put(PutEventsEntry(source: "app", detailType: "Ping", detail: "{}", eventBusName: "a")).eventId
    }

    @Test func aChainOfThreeBusesStopsAfterOneHop() async throws {
        let f = try AccountFixture(Self.workspace([("a", "b"), ("b", "c"), ("c", nil)]))
        let id = try await putOnA(f)
        #expect(f.bodies(Self.queue("seen-a")).map { $0["id"]?.stringValue } == [id])
        #expect(f.bodies(Self.queue("seen-b")).map { $0["id"]?.stringValue } == [id])  // b's non-bus target still gets it
        #expect(f.bodies(Self.queue("seen-c")).isEmpty)                                 // never forwarded on to c
        #expect(f.router.statistics.forwardsSuppressed == 1)
        #expect(f.router.scheduler.statistics.deadLettered == 0)
    }

    @Test func aCycleDoesNotLoop() async throws {
        let f = try AccountFixture(Self.workspace([("a", "b"), ("b", "a")]))
        let id = try await putOnA(f)
        #expect(f.bodies(Self.queue("seen-a")).map { $0["id"]?.stringValue } == [id])
        #expect(f.bodies(Self.queue("seen-b")).map { $0["id"]?.stringValue } == [id])
        #expect(f.router.statistics.accepted == 2)
        #expect(f.router.statistics.forwardsSuppressed == 1)
    }

    /// Issue 10 item 6: a rule targeting its own bus delivered every event twice; validate
    /// rejects it (the same check refuses such a forward at run time).
    @Test func aRuleTargetingItsOwnBusIsRejected() throws {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.workspace([("a", "a")]))])
        #expect(result.workspace == nil)
        #expect(result.problems.map(\.description) == [
            "Rules/a.json: $.Rules[0].Targets[1].Arn: error: a rule cannot target its own event bus \(Self.bus("a")): the event is already on it, so every target of the bus would receive it twice; remove this target or name another bus",
        ])
    }

    @Test func aForwardToTheRulesOwnBusIsRefusedAtRunTime() async throws {
        let f = try AccountFixture(Self.workspace([("a", nil)]))
        let event = Event(id: "e1", detailType: "Ping", source: "app", account: "123456789012", time: f.clock.now, region: "us-east-1", resources: [], detail: .object(JSONObject()))
        let outcome = f.router.forward(event, ruleArn: "arn:aws:events:us-east-1:123456789012:rule/a/r-a", toBus: Self.bus("a"))
        #expect(outcome == .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: BusTarget.selfTargetProblem(ruleBusArn: Self.bus("a"), targetArn: Self.bus("a")) ?? "?"))
        #expect(f.router.statistics.accepted == 0)
    }

    @Test func aCrossAccountChainStopsAfterOneHop() async throws {
        // 111122223333/default -> 123456789012/hub -> 444455556666/archive-bus: the last hop never happens.
        let hub = Self.bus("hub"), far = Self.bus("far", account: "444455556666")
        let allowAll = #"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "*"}}"#
        let hubFile = #"{"EventBuses": [{"Name": "hub", "Policy": \#(allowAll)}], "Queues": [{"QueueName": "seen-hub"}], "Rules": [\#(Self.rule(on: "hub", next: far))]}"#
        let farFile = #"{"Account": "444455556666", "EventBuses": [{"Name": "far", "Policy": \#(allowAll.replacingOccurrences(of: "\"Resource\": \"*\"", with: "\"Resource\": \"\(far)\""))}], "Queues": [{"QueueName": "seen-far"}], "Rules": [\#(Self.rule(on: "far", next: nil, account: "444455556666"))]}"#
        let senderFile = #"{"Account": "111122223333", "Rules": [{"Name": "out", "EventPattern": {"source": ["app"]}, "Targets": [{"Id": "hub", "Arn": "\#(hub)"}]}]}"#
        let f = try AccountFixture(hubFile, farFile, senderFile)
        let id = try await f.put(PutEventsEntry(source: "app", detailType: "Ping", detail: "{}"), as: "111122223333").eventId
        #expect(f.bodies(Self.queue("seen-hub")).map { $0["id"]?.stringValue } == [id])
        #expect(f.bodies(Self.queue("seen-hub")).first?["account"] == "111122223333")
        #expect(f.bodies(Self.queue("seen-far", account: "444455556666")).isEmpty)
    }

    @Test func resourcesOfDifferentAccountsAreDistinctEvenWithEqualNames() async throws {
        let a = #"{"Account": "111122223333", "EventBuses": [{"Name": "orders"}], "Queues": [{"QueueName": "q"}], "Rules": [{"Name": "r", "EventBusName": "orders", "EventPattern": {"source": ["app"]}, "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:111122223333:q"}]}]}"#
        let b = a.replacingOccurrences(of: "111122223333", with: "222233334444")
        let f = try AccountFixture(a, b)
        try await f.put(PutEventsEntry(source: "app", detailType: "Ping", detail: "{}", eventBusName: "orders"), as: "222233334444")
        #expect(f.bodies(Self.queue("q", account: "111122223333")).isEmpty)
        #expect(f.bodies(Self.queue("q", account: "222233334444")).count == 1)
        #expect(f.router.busArns.contains(Self.bus("default", account: "111122223333")))
        #expect(f.router.busArns.contains(Self.bus("default", account: "222233334444")))
    }
}
