import Dispatch
import EventRouter
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `eventrouter-bench routing [--events N] [--retry-events N] [--only PART,PART]`: routing
/// throughput and the time `--virtual-time` takes to settle events whose target always fails.
///
/// 0. `one-queue`: put → matched → shaped → enqueued for one-delivery events: one rule on the
///    bus, one SQS target, PutEvents in batches of 10, then the virtual-time scheduler sends
///    every delivery into the queue. Median of 5 passes after a warm-up; reports events/s and
///    deliveries/s (the messages found in the queue).
/// 1. `scheduled` — put → matched → scheduled: 100 rules on one bus (exact, prefix, numeric and
///    anything-but patterns, one queue target each), PutEvents in batches of 10; each event
///    matches a few rules and every (event, target) pair is shaped and enqueued on the
///    delivery scheduler. Median of 5 passes after a warm-up.
/// 2. `delivered` — put → … → in the SQS queues: the same, then the virtual-time scheduler settles every
///    delivery into the queues.
/// 3. `settle`: N events (default 10,000) on a target that always fails retriably, default
///    retry policy (185 retries, 24 h): 186 attempts per event on the virtual clock.
enum RoutingBenchmark {
    static let summary = "Routing throughput (100 rules) and virtual-time settling of 10,000 × 185 retries"

    static func run(_ arguments: [String]) async throws {
        var events = 100_000
        var retryEvents = 10_000
        var parts: Set<String> = ["one-queue", "scheduled", "delivered", "settle"]
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? Int(arguments[i + 1]) : nil
            switch arguments[i] {
            case "--events": events = value ?? events; i += 2
            case "--retry-events": retryEvents = value ?? retryEvents; i += 2
            case "--only" where i + 1 < arguments.count:
                parts = Set(arguments[i + 1].split(separator: ",").map(String.init)); i += 2
            default:
                print("usage: eventrouter-bench routing [--events N] [--retry-events N] [--only one-queue,scheduled,delivered,settle]")
                return
            }
        }
        if parts.contains("one-queue") { try await oneQueue(events: events) }
        if parts.contains("scheduled") || parts.contains("delivered") { try await hundredRules(events: events, parts: parts) }
        if parts.contains("settle") { try await settle(retryEvents: retryEvents) }
    }

    /// Part 0: one rule, one queue, one delivery per event.
    static func oneQueue(events: Int) async throws {
        let queueArn = "arn:aws:sqs:us-east-1:123456789012:orders-queue"
        let text = #"{"EventBuses": [{"Name": "orders"}], "Queues": [{"QueueName": "orders-queue"}], "Rules": [{"Name": "all-orders", "EventBusName": "orders", "EventPattern": {"source": ["shop.orders"]}, "Targets": [{"Id": "q", "Arn": "\#(queueArn)"}]}]}"#
        let result = WorkspaceLoader.validate(files: [(name: "Rules/bench.json", text: text)])
        guard let workspace = result.workspace else { throw EventRouterError(.validation, "\(result.problems)") }
        let entries = makeEntries(events: events).map { e -> PutEventsEntry in
            var e = e
            e.source = "shop.orders"
            return e
        }
        print("routing one-queue: 1 rule on bus 'orders' → 1 SQS queue, \(events) events, PutEvents batches of 10, in process")
        var passes: [Double] = []
        var cpuPasses: [Double] = []
        var delivered = 0
        for pass in 0..<6 {
            let cpuStart = cpuSeconds()
            let (seconds, _, runtime) = try await putPass(workspace: workspace, entries: entries, settle: true)
            let cpu = cpuSeconds() - cpuStart
            delivered = -1
            if let queue = runtime.queues.queue(arn: queueArn) { delivered = (try? await queue.statistics().visible) ?? -1 }
            if pass > 0 {
                passes.append(seconds)
                cpuPasses.append(cpu)
            }
        }
        let seconds = median(passes)
        print("  put → matched → shaped → enqueued: \(format(Double(events) / seconds)) events/s, \(format(Double(delivered) / seconds)) deliveries/s (median of 5; \(delivered) messages in the queue)")
        // CPU time of the process during a pass (the work is sequential): the figure that holds
        // on a shared machine, where wall time depends on the other processes.
        print("  per CPU-second: \(format(Double(events) / median(cpuPasses))) events, \(format(Double(delivered) / median(cpuPasses))) deliveries (median of 5 passes, process CPU time)")
    }

    /// Parts 1 and 2: 100 rules, 4.7 deliveries per event.
    static func hundredRules(events: Int, parts: Set<String>) async throws {
        let (workspace, entries) = try makeWorkload(events: events)
        print("routing: \(workspace.rules.count) rules on bus 'orders', \(events) events, PutEvents batches of 10, release build")

        _ = try await putPass(workspace: workspace, entries: entries, settle: false)
        var scheduled: [Double] = []
        var matches = 0
        for _ in 0..<5 {
            let (seconds, pairs, _) = try await putPass(workspace: workspace, entries: entries, settle: false)
            scheduled.append(seconds)
            matches = pairs
        }
        let putRate = Double(events) / median(scheduled)
        let putCPUStart = cpuSeconds()
        _ = try await putPass(workspace: workspace, entries: entries, settle: false)
        let putCPU = cpuSeconds() - putCPUStart
        print("  put → matched → scheduled: \(format(putRate)) events/s (median of 5; \(matches) deliveries, \(format(Double(matches) / Double(events))) per event); one pass: \(format(putCPU)) s CPU = \(format(Double(events) / putCPU)) events per CPU-second")
        guard parts.contains("delivered") else { return }

        var settled: [Double] = []
        for _ in 0..<3 {
            let (seconds, _, _) = try await putPass(workspace: workspace, entries: entries, settle: true)
            settled.append(seconds)
        }
        print("  put → matched → delivered into SQS queues (virtual time): \(format(Double(events) / median(settled))) events/s, \(format(Double(matches) / median(settled))) deliveries/s (median of 3)")
    }

    /// Part 3: settling 10,000 events × 185 retries on the virtual clock.
    static func settle(retryEvents: Int) async throws {

        let cpuStart = cpuSeconds()
        let (seconds, statistics) = try await settleRetries(events: retryEvents)
        let cpu = cpuSeconds() - cpuStart
        print("settle: \(retryEvents) events × target always failing retriably, default RetryPolicy (185 retries / 24 h), --virtual-time")
        print("  \(statistics.attempts) attempts, \(statistics.retried) retries, \(statistics.dropped) dropped in \(format(seconds)) s wall, \(format(cpu)) s CPU (\(format(Double(statistics.attempts) / seconds)) attempts/s wall)")
    }

    static func makeWorkload(events: Int) throws -> (Workspace, [PutEventsEntry]) {
        var rules: [String] = []
        for r in 0..<100 {
            let pattern: String
            switch r % 4 {
            case 0: pattern = #"{"source": ["shop.orders"], "detail-type": ["Type\#(r % 20)"]}"#
            case 1: pattern = #"{"source": [{"prefix": "shop."}], "detail": {"region": ["r\#(r % 10)"]}}"#
            case 2: pattern = #"{"detail": {"total": [{"numeric": [">=", \#(r * 10), "<", \#(r * 10 + 50)]}]}}"#
            default: pattern = #"{"detail-type": ["Type\#(r % 20)"], "detail": {"status": [{"anything-but": ["cancelled", "test"]}]}}"#
            }
            rules.append(#"{"Name": "rule-\#(r)", "EventBusName": "orders", "EventPattern": \#(pattern), "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:queue-\#(r % 10)"}]}"#)
        }
        let queues = (0..<10).map { #"{"QueueName": "queue-\#($0)"}"# }.joined(separator: ",")
        let text = #"{"EventBuses": [{"Name": "orders"}], "Queues": [\#(queues)], "Rules": [\#(rules.joined(separator: ","))]}"#
        let result = WorkspaceLoader.validate(files: [(name: "Rules/bench.json", text: text)])
        guard let workspace = result.workspace else { throw EventRouterError(.validation, "\(result.problems)") }
        return (workspace, makeEntries(events: events))
    }

    /// `events` order events (seeded): 6 in 7 from `shop.orders`, the rest from `shop.inventory`.
    static func makeEntries(events: Int) -> [PutEventsEntry] {
        var generator = SeededGenerator(seed: 1)
        let statuses = ["placed", "paid", "cancelled", "shipped", "test"]
        return (0..<events).map { _ -> PutEventsEntry in
            let n = Int(generator.next() % 1_000_000)
            let detail = #"{"orderId": "o-\#(n)", "region": "r\#(n % 13)", "total": \#(n % 1000), "status": "\#(statuses[n % 5])", "items": [{"sku": "a", "qty": 1}]}"#
            return PutEventsEntry(source: n % 7 == 0 ? "shop.inventory" : "shop.orders", detailType: "Type\(n % 23)", detail: detail, eventBusName: "orders")
        }
    }

    /// Puts `entries` in batches of 10 on a fresh runtime (virtual time), optionally settling:
    /// the seconds taken, the deliveries scheduled and the runtime.
    static func putPass(workspace: Workspace, entries: [PutEventsEntry], settle: Bool) async throws -> (Double, Int, RouterRuntime) {
        let clock = ManualClock()
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 1)
        let start = monotonicSeconds()
        var i = 0
        while i < entries.count {
            let end = min(i + 10, entries.count)
            _ = try runtime.router.putEvents(entries[i..<end])
            i = end
        }
        if settle { await runtime.router.scheduler.settle() }
        return (monotonicSeconds() - start, runtime.router.statistics.deliveriesScheduled, runtime)
    }

    static func settleRetries(events: Int) async throws -> (Double, DeliveryStatistics) {
        let clock = ManualClock()
        let targets = TargetRegistry()
        let failing = "arn:aws:sqs:us-east-1:123456789012:always-failing"
        targets.register(ClosureTarget { _ in .retriable(code: "THROTTLING", message: "rate exceeded") }, for: failing)
        let pattern = try EventPattern(parsing: #"{"source": ["shop"]}"#)
        let rule = RuleDefinition(name: "all", account: "123456789012", region: "us-east-1", pattern: pattern,
                                  targets: [TargetDefinition(id: "t", arn: failing)])
        let router = Router(workspace: Workspace(rules: [rule]), clock: .virtual(clock), random: SharedRandom(seed: 1), targets: targets)
        let entry = PutEventsEntry(source: "shop", detailType: "T", detail: "{}")
        let start = monotonicSeconds()
        for _ in 0..<(events / 10) { _ = try router.putEvents(Array(repeating: entry, count: 10)) }
        if events % 10 > 0 { _ = try router.putEvents(Array(repeating: entry, count: events % 10)) }
        await router.scheduler.settle()
        return (monotonicSeconds() - start, router.scheduler.statistics)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    static func format(_ value: Double) -> String {
        if value >= 100 { return String(Int(value.rounded())) }
        return String(Double(Int(value * 100)) / 100)
    }

    /// CPU time of the whole process (the benchmarks are single-threaded, so this is their
    /// own time even when other processes share the machine).
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
