import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// Queues, streams, a closure function and a runner on one manual clock.
final class EventSourceMappingFixture: Sendable {
    struct Call: Sendable {
        var at: Timestamp
        var event: JSONValue
    }

    let clock = ManualClock()
    let queues: QueueRegistry
    let streams: StreamRegistry
    let sink = RecordingDestinationSink()
    private let recorded = Mutex<[Call]>([])

    init() {
        queues = QueueRegistry(clock: clock, seed: 42)
        streams = StreamRegistry(clock: clock)
    }

    /// Every invocation so far.
    var calls: [Call] { recorded.withLock { $0 } }

    /// The `Records` of every invocation.
    var batches: [[JSONValue]] { calls.map { $0.event["Records"]?.arrayValue ?? [] } }

    /// SQS bodies per invocation.
    var bodies: [[String]] { batches.map { $0.map { $0["body"]?.stringValue ?? "?" } } }

    /// Decoded Kinesis data per invocation.
    var kinesisData: [[String]] {
        batches.map { $0.map { String(decoding: Base64.decode($0["kinesis"]?["data"]?.stringValue ?? "") ?? [], as: UTF8.self) } }
    }

    /// A function `fn` whose handler records each event and answers with `body`.
    func function(name: String = "fn", reserved: Int? = nil, timeout: Int = 3, _ body: @escaping @Sendable (JSONValue) async throws -> JSONValue) -> FunctionRuntime {
        let clock = self.clock
        let handler = ClosureFunctionHandler { [self] event, _ in
            self.recorded.withLock { $0.append(Call(at: clock.now, event: event)) }
            return try await body(event)
        }
        let manifest = FunctionManifest(name: name, runtime: .swift, handler: name, timeoutSeconds: timeout, reservedConcurrentExecutions: reserved)
        return FunctionRuntime(manifest: manifest, handler: handler, clock: clock)
    }

    /// A runner for `mappings` (given as rule-file JSON) invoking `function`.
    func runner(_ mappings: [String], function: FunctionRuntime, options: EventSourceMappingOptions = EventSourceMappingOptions()) throws -> EventSourceMappingRunner {
        let configs = try mappings.map { text in
            try EventSourceMappingConfiguration(json: #require(JSONValue(parsing: text).objectValue), account: "123456789012", region: "us-east-1")
        }
        return try EventSourceMappingRunner(mappings: configs, queues: queues, streams: streams, functions: [function],
                                            sink: sink, clock: clock, random: SharedRandom(seed: 3), options: options)
    }

    @discardableResult
    func queue(_ name: String, visibilityTimeout: Int = 30, redriveTo dlq: String? = nil, maxReceiveCount: Int = 3) throws -> MessageQueue {
        let policy = dlq.map { QueueConfiguration.RedrivePolicy(deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:\($0)", maxReceiveCount: maxReceiveCount) }
        return try queues.createQueue(QueueConfiguration(name: name, contentBasedDeduplication: name.hasSuffix(".fifo"), visibilityTimeout: visibilityTimeout, redrivePolicy: policy))
    }

    /// Bodies of the messages a queue holds, visible or not, in no particular order.
    func remainingBodies(_ name: String) throws -> [String] {
        let q = try queues.queue(named: name)
        return q.core.withLock { c in c.machine.messages.values.sorted { $0.id < $1.id }.map(\.body) }
    }

    @discardableResult
    func stream(_ name: String = "s", shards: Int = 1) throws -> DataStream {
        try streams.create(StreamConfiguration(name: name, shardCount: shards), limits: .unlimited)
    }
}

/// A handler that prints something other than JSON.
struct NotJSONHandler: FunctionHandler {
    func handle(_ payload: [UInt8], context: FunctionContext) async throws -> [UInt8] { Array("not json {".utf8) }
}

extension JSONValue {
    /// `Records[i].messageId` of an SQS event.
    func messageId(_ i: Int) -> String { self["Records"]?.arrayValue?[i]["messageId"]?.stringValue ?? "" }
}
