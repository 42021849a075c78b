@testable import EventRouter

/// A registry on a manual clock with one queue, for queue tests.
struct QueueFixture {
    let clock = ManualClock()
    let registry: QueueRegistry
    let queue: MessageQueue

    init(_ configuration: QueueConfiguration = QueueConfiguration(name: "orders")) throws {
        registry = QueueRegistry(clock: clock, seed: 7)
        queue = try registry.createQueue(configuration)
    }

    func advance(seconds: Int) { clock.advance(by: .seconds(seconds)) }
}

/// Runs `body` and returns the ``QueueError`` it threw, or `nil`.
func queueError(_ body: () async throws(QueueError) -> Void) async -> QueueError? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}
