import Testing
@testable import EventRouter

/// A finished router is freed: nothing it made keeps it alive (a replay, a scenario run or the
/// fuzz targets make one per run).
@Suite struct RuntimeReleaseTests {
    static let rules = #"""
    {"Queues": [{"QueueName": "all"}],
     "Rules": [{"Name": "all", "EventPattern": {"source": [{"prefix": ""}]},
                "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:all"}]}]}
    """#

    @Test("a replayed runtime is freed once the caller lets go of it")
    func replayFreesItsRuntime() async throws {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules)]).workspace)
        weak var router: Router?
        weak var queues: QueueRegistry?
        weak var topics: TopicRegistry?
        weak var streams: StreamRegistry?
        weak var functions: FunctionHost?
        weak var driver: TimeDriver?
        weak var mappings: EventSourceMappingRunner?
        do {
            let (summary, runtime) = try await ReplayRunner.run(
                text: #"{"Source":"s","DetailType":"t","Detail":"{}"}"#, workspace: workspace, options: .init(virtualTime: true, seed: 1))
            #expect(summary.accepted == 1)
            (router, queues, topics, streams) = (runtime.router, runtime.queues, runtime.topics, runtime.streams)
            (functions, driver, mappings) = (runtime.functions, runtime.driver, runtime.eventSourceMappings)
        }
        #expect(router == nil)
        #expect(queues == nil)
        #expect(topics == nil)
        #expect(streams == nil)
        #expect(functions == nil)
        #expect(driver == nil)
        #expect(mappings == nil)
    }
}
