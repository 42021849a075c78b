import Testing
@testable import EventRouterHTTP

/// The socket thread's hand-off of jobs (``HTTPJobQueue``): in order, to a consumer waiting or
/// not, `nil` after `finish` or on cancellation, nothing taken after `finish`.
@Suite struct HTTPJobQueueTests {
    static func job(_ n: UInt64) -> HTTPJob {
        .request(connection: n, request: HTTPRequest(method: "GET", target: "/\(n)", headers: HTTPHeaders(), body: []), onSocketThread: false)
    }

    static func connection(_ job: HTTPJob?) -> UInt64? {
        guard case .request(let connection, _, _)? = job else { return nil }
        return connection
    }

    @Test func jobsQueuedBeforeTheConsumerAsksComeInOrderThenNilAfterFinish() async {
        let queue = HTTPJobQueue()
        for n: UInt64 in 1...3 { queue.yield(Self.job(n)) }
        queue.finish()
        queue.yield(Self.job(4))  // after finish: dropped
        var got: [UInt64] = []
        while let job = await queue.next() { got.append(Self.connection(job) ?? 0) }
        #expect(got == [1, 2, 3])
    }

    @Test func aConsumerWaitingOrNotGetsEachJobOnceAndFinishWakesIt() async {
        let queue = HTTPJobQueue()
        for n: UInt64 in 1...50 {
            let consumer = Task { await queue.next() }  // waiting already, or not yet: either way it gets job n
            if n % 2 == 0 { await Task.yield() }
            queue.yield(Self.job(n))
            #expect(Self.connection(await consumer.value) == n)
        }
        let last = Task { await queue.next() }
        await Task.yield()
        queue.finish()
        #expect(await last.value == nil)
    }

    @Test func aCancelledConsumerGetsNil() async {
        let queue = HTTPJobQueue()
        let consumer = Task { await queue.next() }
        consumer.cancel()
        #expect(await consumer.value == nil)
        queue.yield(Self.job(7))  // still there for the next consumer
        #expect(Self.connection(await queue.next()) == 7)
    }
}
