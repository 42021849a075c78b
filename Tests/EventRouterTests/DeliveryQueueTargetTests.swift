import Testing
@testable import EventRouter

@Suite struct DeliveryQueueTargetTests {
    static let rules = #"""
    {"Queues": [{"QueueName": "plain"}, {"QueueName": "ordered.fifo", "FifoQueue": true}],
     "Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]},
                "Targets": [{"Id": "plain", "Arn": "arn:aws:sqs:us-east-1:123456789012:plain", "Input": "{\"fixed\":1}"},
                            {"Id": "fifo", "Arn": "arn:aws:sqs:us-east-1:123456789012:ordered.fifo", "SqsParameters": {"MessageGroupId": "g1"}}]}]}
    """#

    func runtime() throws -> (RouterRuntime, ManualClock) {
        let clock = ManualClock()
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules)]).workspace)
        return (try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 1), clock)
    }

    @Test func queueTargetsReceiveTheShapedInput() async throws {
        let (runtime, _) = try runtime()
        let result = try runtime.router.putEvents([PutEventsEntry(source: "shop", detailType: "T", detail: "{\"a\":1}")])
        await runtime.router.scheduler.settle()
        let plain = try #require(runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:plain")?.stateJSON()["messages"]?.arrayValue)
        #expect(plain.map { $0["Body"] } == ["{\"fixed\":1}"])
        let fifo = try #require(runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:ordered.fifo")?.stateJSON()["messages"]?.arrayValue)
        #expect(fifo.count == 1)
        #expect(fifo.first?["Attributes"]?["MessageGroupId"] == "g1")
        #expect(fifo.first?["Attributes"]?["MessageDeduplicationId"]?.stringValue == result.entries.first?.eventId)
        #expect(runtime.router.scheduler.statistics.succeeded == 2)
    }

    @Test func aQueueThatDoesNotExistIsNoResource() async throws {
        let (runtime, _) = try runtime()
        let target = QueueTarget(queues: runtime.queues)
        let event = Event(id: "e", detailType: "T", source: "s", account: "123456789012", time: .epoch, region: "us-east-1")
        let outcome = await target.deliver(TargetDelivery(targetArn: "arn:aws:sqs:us-east-1:123456789012:gone", body: "{}", event: event, ruleArn: "r"))
        #expect(outcome == .nonRetriable(code: "NO_RESOURCE", message: "queue arn:aws:sqs:us-east-1:123456789012:gone does not exist"))
    }

    @Test func registryResolvesProvidersByServiceAndExactARNsFirst() async {
        let registry = TargetRegistry()
        let exact = ClosureTarget { _ in .success }
        registry.register(exact, for: "arn:aws:sqs:us-east-1:123456789012:a")
        registry.registerProvider(forService: "sns") { arn in arn.name == "known" ? ClosureTarget { _ in .success } : nil }
        #expect(registry.target(for: "arn:aws:sqs:us-east-1:123456789012:a") != nil)
        #expect(registry.target(for: "arn:aws:sqs:us-east-1:123456789012:b") == nil)
        #expect(registry.target(for: "arn:aws:sns:us-east-1:123456789012:known") != nil)
        #expect(registry.target(for: "arn:aws:sns:us-east-1:123456789012:other") == nil)
        #expect(registry.target(for: "not an arn") == nil)
        registry.unregister("arn:aws:sqs:us-east-1:123456789012:a")
        #expect(registry.target(for: "arn:aws:sqs:us-east-1:123456789012:a") == nil)
    }

    @Test func envelopesGoToTheDefaultBusOfTheirAccount() throws {
        let (runtime, clock) = try runtime()
        let other = Event(id: "e", detailType: "T", source: "shop", account: "999999999999", time: clock.now, region: "us-east-1")
        let error = #expect(throws: EventRouterError.self) { try runtime.router.put(other) }
        #expect(error?.message == "event bus arn:aws:events:us-east-1:999999999999:event-bus/default does not exist")
        let big = Event(id: "e", detailType: "T", source: "shop", account: "123456789012", time: clock.now, region: "us-east-1",
                        detail: ["x": .string(String(repeating: "y", count: 300_000))])
        let tooBig = #expect(throws: EventRouterError.self) { try runtime.router.put(big) }
        #expect(tooBig?.message == "event size 300027 bytes exceeds the limit of 262144 bytes")
    }
}
