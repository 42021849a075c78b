import EventRouter

/// Topic publish fan-out: `eventrouter-bench topics [--messages N]`.
///
/// One topic with 10 `sqs` subscriptions: publish decides the deliveries and builds each
/// envelope. Enqueueing into the queues is not included (delivery to queues is wired by the
/// router); the figure is the topic's share of fan-out cost.
enum TopicBenchmark {
    static func run(_ arguments: [String]) async throws {
        var count = 100_000
        if let i = arguments.firstIndex(of: "--messages"), i + 1 < arguments.count, let v = Int(arguments[i + 1]) { count = v }
        let clock = ManualClock()
        let timer = ContinuousClock()
        let message = #"{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"order","source":"shop","detail":{"total":120}}"#
        for filtered in [false, true] {
            let subscriptions = try (0..<10).map { i in
                SubscriptionConfiguration(
                    deliveryProtocol: .sqs, endpoint: "arn:aws:sqs:us-east-1:123456789012:q\(i)",
                    filterPolicy: filtered ? try SubscriptionFilterPolicy(json: ["shard": [.number(JSONNumber(i % 2))]]) : nil)
            }
            let topic = Topic(configuration: try TopicConfiguration(name: "bench", subscriptions: subscriptions), clock: clock,
                              contentHash: { $0 })
            var deliveries = 0
            let start = timer.now
            for n in 0..<count {
                deliveries += try topic.publish(TopicPublishRequest(message: message, messageAttributes: ["shard": .number(String(n % 2))])).deliveries.count
            }
            let seconds = max((timer.now - start).seconds, 1e-9)
            let label = filtered ? "publish, 10 subs with filters" : "publish, 10 subs, no filters"
            print("\(label): \(Int(Double(count) / seconds)) messages/s, \(Int(Double(deliveries) / seconds)) deliveries/s (\(count) messages, \(deliveries) deliveries)")
        }
    }
}
