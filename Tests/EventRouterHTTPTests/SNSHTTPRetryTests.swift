import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// On a real clock, HTTP/S retries run beside the driver: a slow endpoint holds up neither the
/// driver's step nor other deliveries, and a further retry wakes the driver.
@Suite struct SNSHTTPRetryTests {
    /// Answers 500 to the first post and holds every later one until ``release()``, then answers 500 again.
    final class HoldingClient: HTTPSubscriptionClient {
        private let state = Mutex((posts: 0, released: false))
        let changed = WakeSignal()

        var posts: Int { state.withLock { $0.posts } }

        func release() {
            state.withLock { $0.released = true }
            changed.signal()
        }

        func post(url: String, headers: [(String, String)], body: String) async -> HTTPPostResult {
            let first = state.withLock { s in
                s.posts += 1
                return s.posts == 1
            }
            changed.signal()
            if first { return .status(500) }
            while true {
                let seen = changed.generation
                if state.withLock({ $0.released }) { return .status(500) }
                await changed.wait(changedFrom: seen)
            }
        }

        /// Returns once `count` posts have started.
        func waitForPosts(_ count: Int) async {
            while true {
                let seen = changed.generation
                if posts >= count { return }
                await changed.wait(changedFrom: seen)
            }
        }
    }

    @Test func aRetryToAnEndpointThatHoldsItsAnswerDoesNotHoldTheDriversStep() async throws {
        let clock = ManualClock()
        let registry = TopicRegistry(clock: clock, targets: DiscardingTarget(), retryTimer: false)
        let client = HoldingClient()
        let wake = WakeSignal()
        registry.http.use(client, retriesWake: wake)
        let arn = ARN.topic("t", account: "123456789012", region: "us-east-1").description
        let sub = SubscriptionConfiguration(endpointProtocol: .http, endpoint: "http://127.0.0.1:9/", arn: arn + ":1")
        let topic = try registry.createTopic(TopicConfiguration(name: "t", subscriptions: [sub]))

        let result = try await topic.publish(message: "m")
        #expect(result.deliveries.map(\.status) == [.retrying])
        clock.advance(by: .seconds(20))
        let seen = wake.generation
        await topic.runDueRetries()          // returns although the endpoint has not answered
        await client.waitForPosts(2)
        #expect(await topic.pendingRetries == 0)
        client.release()
        await wake.wait(changedFrom: seen)   // the answer (500) scheduled the next retry and woke the driver
        #expect(await topic.pendingRetries == 1)
        #expect(await topic.nextRetryTime == clock.now + .seconds(20))
    }
}
