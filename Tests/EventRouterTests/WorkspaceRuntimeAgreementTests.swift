import Testing
@testable import EventRouter
import EventRouterTesting

/// `validate` and the runtime share their checks: a workspace `validate` accepts always builds
/// a runtime (queues, streams, topics, functions and event source mappings), on either clock.
@Suite struct WorkspaceRuntimeAgreementTests {
    static let account = "123456789012"
    static let other = "210987654321"

    static let cases: [(String, [(String, String)])] = [
        ("a FIFO queue mapping with the largest FIFO batch and a function ARN with :$LATEST", [("Rules/a.json", """
            {"Queues": [{"QueueName": "jobs.fifo", "FifoQueue": true}],
             "EventSourceMappings": [{"EventSourceArn": "arn:aws:sqs:us-east-1:\(account):jobs.fifo",
                                      "FunctionName": "arn:aws:lambda:us-east-1:\(account):function:total:$LATEST", "BatchSize": 10}]}
            """)]),
        ("a stream mapping at an ISO-8601 time whose failures go to a declared topic", [("Rules/a.json", """
            {"Streams": [{"Name": "clicks", "ShardCount": 2}], "Topics": [{"TopicName": "failed"}],
             "EventSourceMappings": [{"EventSourceArn": "arn:aws:kinesis:us-east-1:\(account):stream/clicks", "FunctionName": "count",
                                      "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": "2024-01-01T00:00:00Z",
                                      "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sns:us-east-1:\(account):failed"}}}]}
            """)]),
        ("a topic whose redrive policy is a JSON string, with a lambda subscription", [("Rules/a.json", #"""
            {"Queues": [{"QueueName": "q"}, {"QueueName": "dlq"}],
             "Topics": [{"TopicName": "t", "Subscription": [
                {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "RawMessageDelivery": "true",
                 "RedrivePolicy": "{\"deadLetterTargetArn\": \"arn:aws:sqs:us-east-1:123456789012:dlq\"}"},
                {"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:f"}]}]}
            """#)]),
        ("a FIFO topic with content-based deduplication written as a string", [("Rules/a.json", """
            {"Queues": [{"QueueName": "q.fifo", "FifoQueue": true}],
             "Topics": [{"TopicName": "t.fifo", "FifoTopic": true, "ContentBasedDeduplication": "true",
                         "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:\(account):q.fifo"}]}]}
            """)]),
        ("a queue whose dead-letter queue is declared after it, in another file", [
            ("Rules/a.json", #"{"Queues": [{"QueueName": "work", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:work-dlq", "maxReceiveCount": 3}}]}"#),
            ("Rules/b.json", #"{"Queues": [{"QueueName": "work-dlq"}]}"#),
        ]),
        ("a mapping in one account reading a queue another account's file declares", [
            ("Rules/a.json", """
                {"EventSourceMappings": [{"EventSourceArn": "arn:aws:sqs:us-east-1:\(other):shared", "FunctionName": "total"}]}
                """),
            ("Rules/b.json", #"{"Account": "\#(other)", "Queues": [{"QueueName": "shared"}]}"#),
        ]),
    ]

    @Test(arguments: cases)
    func whatValidateAcceptsTheRuntimeBuilds(_ what: String, _ files: [(String, String)]) async throws {
        let result = WorkspaceLoader.validate(files: files.map { (name: $0.0, text: $0.1) },
                                              functions: ["total", "count", "f"].map { FunctionManifest.swiftTest(name: $0) })
        let errors = result.problems.filter { $0.severity == .error }.map(\.description)
        #expect(errors.isEmpty, "\(what): \(errors)")
        let workspace = try #require(result.workspace)
        let registry = SwiftFunctionRegistry()
        for name in ["total", "count", "f"] { registry.register(name) { event, _ in event } }
        for clock in [DriveClock.virtual(ManualClock()), .real(ManualClock())] {
            do {
                let runtime = try RouterRuntime(workspace: workspace, clock: clock, seed: 1, functionRegistry: registry)
                await runtime.shutdown()
            } catch {
                Issue.record("\(what): validate accepted the workspace, but the runtime refused it: \(error)")
            }
        }
    }
}
