import Testing
@testable import EventRouter

/// The delivery queue (a due-now run in front of the heap) gives attempts out in exactly the
/// (due, sequence) order of the heap alone, whatever mix of first attempts and retries it holds.
@Suite struct DeliveryQueueTests {
    private func item(_ due: Int64, _ sequence: UInt64, _ request: DeliveryRequest) -> DeliveryScheduler.Item {
        DeliveryScheduler.Item(due: due, sequence: sequence, retries: 0, request: request, kind: .attempt)
    }

    private func request() -> DeliveryRequest {
        let event = Event(id: "e", detailType: "T", source: "s", account: "123456789012", time: Timestamp(nanosecondsSinceEpoch: 0), region: "us-east-1")
        return DeliveryRequest(event: event, ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r", targetId: "t",
                               targetArn: "arn:aws:sqs:us-east-1:123456789012:q", body: .success("{}"), acceptedAt: Timestamp(nanosecondsSinceEpoch: 0))
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func popsInTheHeapsOrderForAnyMixOfPushesAndPops(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let r = request()
        var queue = DeliveryQueue()
        var reference = DeadlineHeap<UInt64>()
        var sequence: UInt64 = 0
        var now: Int64 = 0
        var popped: [UInt64] = [], expected: [UInt64] = []
        for _ in 0..<3_000 {
            switch random.next() % 4 {
            case 0, 1:  // a first attempt, due now
                sequence += 1
                queue.push(item(now, sequence, r))
                reference.push(due: now, sequence: sequence, sequence)
            case 2:  // a retry, due later (sometimes at the same instant)
                sequence += 1
                let due = now + Int64(random.next() % 5)
                queue.push(item(due, sequence, r))
                reference.push(due: due, sequence: sequence, sequence)
            default:  // run what is due, sometimes after the clock moved
                now += Int64(random.next() % 3)
                while let i = queue.popDue(now) { popped.append(i.sequence) }
                while let due = reference.firstDue, due <= now, let s = reference.pop() { expected.append(s) }
                #expect(queue.firstDue == reference.firstDue)
            }
            #expect(queue.count == reference.count)
        }
        while let i = queue.popDue(.max) { popped.append(i.sequence) }
        while let s = reference.pop() { expected.append(s) }
        #expect(popped == expected)
        #expect(popped.count == Int(sequence))
    }

    @Test func anItemPutBackWithAnOlderKeyComesOutFirst() {
        let r = request()
        var queue = DeliveryQueue()
        queue.push(item(10, 1, r))
        queue.push(item(10, 2, r))
        let first = queue.popDue(10)
        queue.push(item(10, 3, r))
        if let first { queue.push(first) }  // back, as a cancelled batch returns its items
        #expect([queue.popDue(10), queue.popDue(10), queue.popDue(10)].map { $0?.sequence } == [1, 2, 3])
        #expect(queue.popDue(10) == nil)
    }

    /// A long run taken mostly from the front (its taken slots are reclaimed while items still
    /// wait) keeps the heap's order, with retries due later pushed in between.
    @Test func aLongRunTakenFromTheFrontKeepsTheHeapsOrder() {
        let r = request()
        var queue = DeliveryQueue()
        var reference = DeadlineHeap<UInt64>()
        var sequence: UInt64 = 0
        var popped: [UInt64] = [], expected: [UInt64] = []
        func push(_ due: Int64) {
            sequence += 1
            queue.push(item(due, sequence, r))
            reference.push(due: due, sequence: sequence, sequence)
        }
        for now in Int64(0)..<6 {
            for _ in 0..<6_000 { push(now) }
            for _ in 0..<5_000 {
                if let i = queue.popDue(now) { popped.append(i.sequence) }
                if let due = reference.firstDue, due <= now, let s = reference.pop() { expected.append(s) }
            }
            push(now + 2)  // a retry
            #expect(queue.count == reference.count)
            #expect(queue.firstDue == reference.firstDue)
        }
        while let i = queue.popDue(.max) { popped.append(i.sequence) }
        while let s = reference.pop() { expected.append(s) }
        #expect(popped == expected)
        #expect(popped.count == Int(sequence))
    }
}
