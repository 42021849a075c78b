import Testing
@testable import EventRouter

/// A run of rule deliveries into one queue, sent as one batch (`QueueTarget.deliverNow(batch:)`,
/// one queue lock), gives the outcomes and the queue state that delivering one by one gives
/// (issue 11, performance).
@Suite struct DeliveryQueueBatchTests {
    static let plain = "arn:aws:sqs:us-east-1:123456789012:plain"
    static let fifo = "arn:aws:sqs:us-east-1:123456789012:ordered.fifo"

    func queues() throws -> QueueRegistry {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: DeliveryQueueTargetTests.rules)]).workspace)
        return try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1).queues
    }

    /// Accepted bodies, a body with a control character and an empty body, in one run.
    func deliveries(to arn: String) -> [TargetDelivery] {
        ["{\"n\":1}", "bad \u{1} body", "{\"n\":2}", "", "{\"n\":3}"].enumerated().map { i, body in
            let event = Event(id: "e\(i)", detailType: "T", source: "shop", account: "123456789012", time: .epoch, region: "us-east-1")
            return TargetDelivery(targetArn: arn, body: body, event: event, ruleArn: "r", messageGroupId: "g1")
        }
    }

    @Test(arguments: [plain, fifo, "arn:aws:sqs:us-east-1:123456789012:gone"])
    func aBatchGivesWhatOneByOneGives(arn: String) throws {
        let batched = try queues(), single = try queues()
        let outcomes = QueueTarget(queues: batched).deliverNow(batch: deliveries(to: arn))
        let target = QueueTarget(queues: single)
        let expected = deliveries(to: arn).map { target.deliverNow($0) }
        #expect(outcomes == expected.compactMap { $0 })
        #expect(outcomes?.filter { $0 == .success }.count == (arn.hasSuffix("gone") ? 0 : 3))
        #expect(batched.queue(arn: arn)?.stateJSON() == single.queue(arn: arn)?.stateJSON())
    }

    @Test func aBatchForADeletedQueueIsNoResourceForEachDelivery() throws {
        let queues = try queues()
        let queue = try #require(queues.queue(arn: Self.plain))
        let outcomes = queue.sendNow(batch: [(body: "a", attributes: [:]), (body: "b", attributes: [:])])
        #expect(outcomes.map { (try? $0.get()) != nil } == [true, true])
        try queues.deleteQueue(Self.plain)
        let after = queue.sendNow(batch: [(body: "a", attributes: [:]), (body: "b", attributes: [:])])
        let codes = after.map { result -> QueueError.Code? in
            if case .failure(let error) = result { return error.code }
            return nil
        }
        #expect(codes == [.queueDoesNotExist, .queueDoesNotExist])
    }
}
