import Testing
@testable import EventRouter

/// A router over in-memory rule files, on a virtual clock (deliveries settle instantly).
struct AccountFixture {
    let runtime: RouterRuntime
    let clock: ManualClock
    var router: Router { runtime.router }

    init(_ files: String...) throws {
        let result = WorkspaceLoader.validate(files: files.enumerated().map { (name: "Rules/f\($0.offset).json", text: $0.element) })
        guard let workspace = result.workspace else {
            Issue.record("workspace errors: \(result.problems)")
            throw EventRouterError(.validation, "bad fixture")
        }
        let clock = ManualClock()
        self.clock = clock
        runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 7)
    }

    /// The messages of a queue in the state JSON.
    func messages(_ queueArn: String) -> [JSONValue] {
        runtime.stateJSON()["queues"]?[queueArn]?["messages"]?.arrayValue ?? []
    }

    /// The parsed bodies of a queue's messages.
    func bodies(_ queueArn: String) -> [JSONValue] {
        messages(queueArn).compactMap { $0["Body"]?.stringValue }.compactMap { try? JSONParser.parse($0) }
    }

    /// Puts one entry as `account` and settles every delivery.
    @discardableResult
    func put(_ entry: PutEventsEntry, as account: String? = nil) async throws -> PutEventsResult.Entry {
        let result = try router.putEvents([entry], account: account)
        await router.scheduler.settle()
        return result.entries[0]
    }
}

/// The validation problems of in-memory rule files.
func problems(_ files: String...) -> [ValidationProblem] {
    WorkspaceLoader.validate(files: files.enumerated().map { (name: "Rules/f\($0.offset).json", text: $0.element) }).problems
}
