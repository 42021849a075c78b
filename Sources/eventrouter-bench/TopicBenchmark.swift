import EventRouter

/// Topic fan-out throughput: `eventrouter-bench topics [--messages N] [--subscriptions N] [--size BYTES]`.
///
/// One topic fans out to N standard SQS queues (default 10) in three shapes: every subscription
/// receives the SNS envelope; every subscription uses raw delivery; and every subscription has
/// an attribute filter policy that half of the messages match. The queues are the in-memory
/// ``QueueRegistry`` on a ``ManualClock``; timing uses the continuous clock. Prints messages
/// published per second and deliveries (messages enqueued) per second.
enum TopicBenchmark {
    static let summary = "SNS-style fan-out throughput: 1 topic to 10 queue subscriptions"
    static func run(_ arguments: [String]) async throws {
        let count = arguments.intOption("messages", 20_000)
        let subscriptionCount = arguments.intOption("subscriptions", 10)
        let size = arguments.intOption("size", 200)
        let message = "{\"order\":\"" + String(repeating: "x", count: max(0, size - 12)) + "\"}"
        print("topics: \(count) messages of \(message.utf8.count) B, 1 topic -> \(subscriptionCount) SQS subscriptions")
        for shape in Shape.allCases {
            try await measure(shape, count: count, subscriptions: subscriptionCount, message: message)
        }
    }

    enum Shape: String, CaseIterable {
        case envelope = "envelope, no filter"
        case raw = "raw delivery, no filter"
        case filtered = "envelope, attribute filter (1/2 match)"
    }

    private static func measure(_ shape: Shape, count: Int, subscriptions: Int, message: String) async throws {
        let clock = ManualClock()
        let queues = QueueRegistry(clock: clock, seed: 1)
        let topics = TopicRegistry(clock: clock, queues: queues, retryTimer: false, seed: 1)
        var configuration = TopicConfiguration(name: "bench")
        for i in 0..<subscriptions {
            let queue = try queues.createQueue(QueueConfiguration(name: "q\(i)"))
            let policy = shape == .filtered ? try FilterPolicy(text: #"{"kind": ["order"], "total": [{"numeric": [">", 10]}]}"#) : nil
            configuration.subscriptions.append(SubscriptionConfiguration(
                endpointProtocol: .sqs, endpoint: queue.arn, filterPolicy: policy, rawMessageDelivery: shape == .raw,
                arn: configuration.arn + ":sub-\(i)"))
        }
        let topic = try topics.createTopic(configuration)
        let matching: [String: MessageAttributeValue] = ["kind": .string("order"), "total": .number("42")]
        let other: [String: MessageAttributeValue] = ["kind": .string("refund"), "total": .number("42")]
        let timer = ContinuousClock()
        let start = timer.now
        for i in 0..<count {
            _ = try await topic.publish(message: message, messageAttributes: i % 2 == 0 ? matching : other)
        }
        let elapsed = timer.now - start
        let stats = await topic.statistics
        let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 1e-9)
        let published = Int(Double(count) / seconds)
        let delivered = Int(Double(stats.delivered) / seconds)
        print("\(shape.rawValue.padded(40)) \(String(published).leftPadded(8)) published/s \(String(delivered).leftPadded(9)) deliveries/s  (\(stats.delivered) deliveries, \(Int(seconds * 1000)) ms)")
    }
}

private extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
