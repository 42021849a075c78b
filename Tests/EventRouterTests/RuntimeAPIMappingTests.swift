import Foundation
import Testing
@testable import EventRouter
import EventRouterTesting

/// Unmodified Lambda handlers (Python, Node.js, a `provided` bootstrap) as event source mapping
/// consumers of an SQS queue: each receives Lambda's SQS event (`Records[].body`).
@Suite struct RuntimeAPIMappingTests {
    @Test func pythonNodeAndProvidedHandlersConsumeAQueue() async throws {
        let dir = try FunctionTempFolder()
        try dir.write("py/app.py", """
            import os
            def lambda_handler(event, context):
                with open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "..", "py.out"), "a") as f:
                    for r in event["Records"]:
                        f.write(r["body"] + "\\n")
                return {"batchItemFailures": []}
            """)
        try dir.write("node/index.js", """
            const fs = require('fs'); const path = require('path');
            exports.handler = async (event) => {
              for (const r of event.Records) fs.appendFileSync(path.join(process.env.LAMBDA_TASK_ROOT, '..', 'node.out'), r.body + '\\n');
              return { batchItemFailures: [] };
            };
            """)
        try dir.write("custom/bootstrap", providedBootstrap, executable: true)
        let manifests = [
            try FunctionManifest(json: #"{"Runtime": "python3.12", "Handler": "app.lambda_handler", "Timeout": 60}"#, folder: dir.path + "/py"),
            try FunctionManifest(json: #"{"Runtime": "nodejs20.x", "Handler": "index.handler", "Timeout": 60}"#, folder: dir.path + "/node"),
            try FunctionManifest(json: #"{"Runtime": "provided", "Timeout": 60, "Environment": {"Variables": {"MODE": "echo"}}}"#, folder: dir.path + "/custom"),
        ]
        let text = """
            {"Queues": [{"QueueName": "a"}, {"QueueName": "b"}, {"QueueName": "c"}],
             "EventSourceMappings": [
               {"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:a", "FunctionName": "py", "BatchSize": 5},
               {"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:b", "FunctionName": "node", "BatchSize": 5},
               {"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:c", "FunctionName": "custom", "BatchSize": 5}]}
            """
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)], functions: manifests).workspace)
        let clock = ManualClock()
        let queues = QueueRegistry(clock: clock)
        try queues.createQueues(workspace.queues.map(\.configuration))
        let host = try FunctionHost(manifests: manifests, registry: SwiftFunctionRegistry(), clock: clock, timeoutClock: SystemClock(), sink: DiscardingTarget())
        let runner = try EventSourceMappingRunner(workspace: workspace, queues: queues, streams: StreamRegistry(clock: clock), functions: host,
                                                  sink: DiscardingTarget(), clock: clock)
        for name in ["a", "b", "c"] {
            let queue = try queues.queue(named: name)
            for i in 0..<7 { _ = try queue.sendNow(body: "\(name)\(i)") }
        }
        let summary = await runner.runUntilIdle(on: clock)
        #expect(summary.reason == .drained)
        let py = try String(contentsOfFile: dir.path + "/py.out", encoding: .utf8)
        let node = try String(contentsOfFile: dir.path + "/node.out", encoding: .utf8)
        #expect(py == (0..<7).map { "a\($0)\n" }.joined())
        #expect(node == (0..<7).map { "b\($0)\n" }.joined())
        for runtime in host.runtimes.values {
            #expect(runtime.metrics.snapshot.errors == 0, "\(runtime.manifest.name) failed")
            #expect(runtime.metrics.snapshot.invocations == 2, "\(runtime.manifest.name): 7 messages in batches of at most 5")
            await runtime.shutdown()
        }
    }
}
