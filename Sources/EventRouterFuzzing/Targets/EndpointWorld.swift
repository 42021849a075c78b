import EventRouter
import EventRouterHTTP
import Synchronization

/// The router behind the `endpoint` fuzz target: a ``RouterRuntime`` in memory on a
/// ``ManualClock`` with every service `eventrouter run` serves behind one ``AWSEndpoint``, the
/// network replaced by clients that fail at once, and a Swift function `echo` run in process.
///
/// The workspace: buses `default` and `orders` (rule `to-work` sends `shop` events to queue
/// `work`), queues `work`, `work-dlq`, `jobs.fifo` and `inbox`, topic `alerts` subscribed to
/// `work`, stream `clicks`, function `echo`. The probe's own queue, topic and stream
/// (`probe-*`) are named nowhere in the seeds or the dictionary, so no input touches them.
final class EndpointWorld: Sendable {
    static let account = "123456789012"
    /// The longest a request (with its after-sending work and settling) may take in wall time.
    static let wallLimit: Duration = .seconds(10)
    static let rules = #"""
        {"EventBuses": [{"Name": "orders"}],
         "Queues": [{"QueueName": "work", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:work-dlq", "maxReceiveCount": 2}},
                    {"QueueName": "work-dlq"}, {"QueueName": "jobs.fifo", "FifoQueue": true, "ContentBasedDeduplication": true},
                    {"QueueName": "inbox"}, {"QueueName": "probe-q"}],
         "Topics": [{"TopicName": "alerts", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:work"}]},
                    {"TopicName": "probe-t"}],
         "Streams": [{"Name": "clicks", "ShardCount": 2}, {"Name": "probe-s", "ShardCount": 1}],
         "Rules": [{"Name": "to-work", "EventBusName": "orders", "EventPattern": {"source": ["shop"]},
                    "Targets": [{"Id": "work", "Arn": "arn:aws:sqs:us-east-1:123456789012:work", "InputPath": "$.detail"}]}]}
        """#

    let clock: ManualClock
    let runtime: RouterRuntime
    let endpoint: AWSEndpoint
    let authenticator = Authenticator(keys: AccessKeyTable(), strict: false, defaultRegion: "us-east-1")

    init() throws(FuzzFailure) {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/fuzz.json", text: Self.rules)])
        guard var workspace = result.workspace else { throw FuzzFailure("the endpoint target's workspace does not validate: \(result.problems)") }
        workspace.functions = [FunctionManifest(name: "echo", handler: "Echo")]
        let registry = SwiftFunctionRegistry()
        registry.register("Echo") { event, _ in event }
        let start = Timestamp(secondsSinceEpoch: 1_767_225_600)
        clock = ManualClock(start: start)
        do {
            // Function timeouts on a clock of their own that nothing moves (echo answers at once).
            runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 1, functionRegistry: registry,
                                        functionTimeoutClock: ManualClock(start: start))
        } catch {
            throw FuzzFailure("the endpoint target's runtime cannot be built: \(error)")
        }
        runtime.apiDestinations.useHTTPClient(OfflineHTTPClient())
        let runtime = runtime
        let services: [any AWSService] = [STSService(), EventBridgeService(runtime: runtime), SQSService(runtime: runtime),
                                          SNSService(runtime: runtime, httpClient: OfflineHTTPClient(), seed: 1), KinesisService(runtime: runtime),
                                          LambdaService(runtime: runtime), LogsService(runtime: runtime), FirehoseService(runtime: runtime)]
        let origins = ResourceOrigins(workspace: workspace)
        runtime.resourceMetadata.useOrigins(origins)
        let admin = AdminEndpoint(state: { await runtime.completeStateJSON() }, export: { runtime.exportAPIResources(origins: origins) },
                                  workspace: workspace)
        endpoint = AWSEndpoint(services: services, authenticator: authenticator, admin: admin, requestIds: SharedRandom(seed: 2))
    }

    /// What one request came to.
    struct Answer {
        var response: HTTPResponse
        /// Whether ``AWSEndpoint/answerAtOnce(_:)`` answered it.
        var atOnce: Bool
    }

    /// Serves `request` as the server does (``AWSEndpoint/answerAtOnce(_:)`` first, else
    /// ``AWSEndpoint/handle(_:)``), runs its after-sending work, then lets the runtime settle for
    /// a bounded number of clock jumps. While it runs, each time a task parks on the clock beyond
    /// those parked before (an SQS long poll), the clock jumps to the next deadline.
    /// - Throws: ``FuzzFailure`` when it takes longer than ``wallLimit`` (a hang).
    func serve(_ request: HTTPRequest) async throws(FuzzFailure) -> Answer {
        let atOnce = endpoint.answerAtOnce(request)
        let endpoint = endpoint, runtime = runtime, clock = clock
        let outcome = OneShot<HTTPResponse>()
        let baseline = clock.sleeperCount
        let work = Task {
            var response: HTTPResponse
            if let atOnce { response = atOnce } else { response = await endpoint.handle(request) }
            if let after = response.afterSending { await after() }
            response.afterSending = nil
            _ = await runtime.settle(limits: SettleLimits(maximumClockJumps: 64, maximumVirtualTime: .seconds(3_600), maximumStalledPolls: 4))
            outcome.finish(response)
        }
        let pump = Task {
            while !Task.isCancelled {
                await clock.waitForSleepers(baseline + 1)
                if Task.isCancelled { return }
                if let next = clock.nextDeadline { clock.advance(to: next) }
                await Task.yield()
            }
        }
        let watchdog = Task {
            try? await Task.sleep(for: Self.wallLimit)
            outcome.finish(nil)
        }
        let response = await outcome.value()
        pump.cancel()
        watchdog.cancel()
        guard let response else {
            work.cancel()
            throw FuzzFailure("hang: no answer within \(Self.wallLimit) of wall time (\(request.method) \(request.target); "
                              + "\(clock.sleeperCount) tasks sleep on the clock, next deadline \(clock.nextDeadline?.iso8601Milliseconds ?? "none"))")
        }
        return Answer(response: response, atOnce: atOnce != nil)
    }

    /// The requests of the probe: an SQS send, receive and delete on `probe-q` (JSON 1.0), SNS
    /// GetTopicAttributes of `probe-t` (query), Kinesis DescribeStreamSummary of `probe-s` and an
    /// EventBridge DescribeEventBus: all answer 200 with what they should.
    func probe() async throws(FuzzFailure) {
        let url = "http://localhost:4566/\(Self.account)/probe-q"
        let body = "probe \(clock.now.nanosecondsSinceEpoch)"
        try await probeCall(EndpointRequests.json("AmazonSQS.SendMessage", #"{"QueueUrl":"\#(url)","MessageBody":"\#(body)"}"#, version: "1.0"))
        let received = try await probeCall(EndpointRequests.json("AmazonSQS.ReceiveMessage", #"{"QueueUrl":"\#(url)","MaxNumberOfMessages":10}"#, version: "1.0"))
        let messages = (try? JSONParser.parse(bytes: received.body))?["Messages"]?.arrayValue ?? []
        guard messages.count == 1, messages[0]["Body"]?.stringValue == body, let handle = messages[0]["ReceiptHandle"]?.stringValue else {
            throw FuzzFailure("probe: probe-q should hold the one message just sent, ReceiveMessage answered \(String(decoding: received.body, as: UTF8.self))")
        }
        try await probeCall(EndpointRequests.json("AmazonSQS.DeleteMessage", #"{"QueueUrl":"\#(url)","ReceiptHandle":"\#(handle)"}"#, version: "1.0"))
        try await probeCall(EndpointRequests.form("Action=GetTopicAttributes&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A\(Self.account)%3Aprobe-t&Version=2010-03-31", service: "sns"))
        try await probeCall(EndpointRequests.json("Kinesis_20131202.DescribeStreamSummary", #"{"StreamName":"probe-s"}"#, version: "1.1"))
        try await probeCall(EndpointRequests.json("AWSEvents.DescribeEventBus", #"{"Name":"default"}"#, version: "1.1"))
    }

    @discardableResult
    private func probeCall(_ bytes: [UInt8]) async throws(FuzzFailure) -> HTTPResponse {
        var parser = HTTPRequestParser()
        parser.append(bytes)
        guard case .request(let request) = parser.next() else { throw FuzzFailure("probe: the request does not parse") }
        let answer = try await serve(request)
        guard answer.response.status == 200 else {
            throw FuzzFailure("probe: \(request.headers["X-Amz-Target"] ?? String(decoding: request.body, as: UTF8.self)) answered "
                              + "\(answer.response.status) \(String(decoding: answer.response.body, as: UTF8.self))")
        }
        return answer.response
    }
}
