import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct FunctionAsyncInvocationTests {
    /// Retries and backoff run on `clock`; timeouts on the system clock (handlers here finish at once
    /// or wait at a gate), so the only sleepers on the manual clock are the engine's.
    private func engine(
        _ manifest: FunctionManifest, clock: ManualClock, sink: RecordingDestinationSink,
        handler: @escaping @Sendable (JSONValue, FunctionContext) async throws -> JSONValue
    ) -> AsyncInvocationEngine {
        let runtime = FunctionRuntime(manifest: manifest, handler: ClosureFunctionHandler(handler), clock: ManualClock())
        return AsyncInvocationEngine(runtime: runtime, clock: clock, sink: sink, random: SharedRandom(seed: 7))
    }

    @Test func reservedConcurrencyIsNeverExceededUnderABurst() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink(), gate = FunctionGate()
        let e = engine(.swiftTest(reserved: 2, onSuccess: FunctionTestARNs.okQueue), clock: clock, sink: sink) { event, _ in
            await gate.enter()
            return event
        }
        let total = 10
        for i in 0..<total { await e.enqueue(["n": .number(JSONNumber(i))]) }
        var done = 0
        var rounds = 0
        while done < total {
            rounds += 1
            try #require(rounds <= total)
            let pending = total - done
            let running = min(2, pending)
            await gate.waitForEntered(done + running)
            await clock.waitForSleepers(pending - running)
            #expect(e.runtime.metrics.snapshot.inFlight == running)
            gate.releaseAll()
            done += running
            await sink.waitForMessages(done)
            if done < total {
                await clock.waitForSleepers(pending - running)
                let next = try #require(clock.nextDeadline)
                clock.advance(to: next)
            }
        }
        await e.waitUntilIdle()
        let m = e.runtime.metrics.snapshot
        #expect(m.maxConcurrent == 2)
        #expect(m.invocations == total)
        #expect(m.throttles == 8 + 6 + 4 + 2)
        #expect(sink.messages.count == total)
        #expect(sink.messages.allSatisfy { $0.body["requestContext"]?["condition"] == "Success" })
    }

    @Test func zeroReservedConcurrencyGoesToTheFailureDestinationWithoutAnInvocation() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let calls = Atomic<Int>(0)
        let e = engine(.swiftTest(reserved: 0, onFailure: FunctionTestARNs.queue), clock: clock, sink: sink) { event, _ in
            calls.add(1, ordering: .relaxed)
            return event
        }
        let id = await e.enqueue(["order": 1])
        await e.waitUntilIdle()
        #expect(calls.load(ordering: .relaxed) == 0)
        let message = try #require(sink.messages.first)
        #expect(message.kind == .invocationRecord)
        #expect(message.destinationArn == FunctionTestARNs.queue)
        #expect(message.body["requestContext"]?["condition"] == "ZeroReservedConcurrency")
        #expect(message.body["requestContext"]?["approximateInvokeCount"] == 0)
        #expect(message.body["requestContext"]?["requestId"] == .string(id))
        #expect(message.body["requestPayload"] == ["order": 1])
        #expect(e.runtime.metrics.snapshot.invocations == 0)
        #expect(e.runtime.metrics.snapshot.throttles == 1)
    }

    @Test func zeroReservedConcurrencyWithOnlyADeadLetterQueue() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let e = engine(.swiftTest(reserved: 0, dlq: FunctionTestARNs.dlq), clock: clock, sink: sink) { e, _ in e }
        let id = await e.enqueue(["order": 2])
        await e.waitUntilIdle()
        let message = try #require(sink.messages.first)
        #expect(message.kind == .deadLetter)
        #expect(message.body == ["order": 2])
        #expect(message.attributes["RequestID"] == .init(dataType: "String", stringValue: id))
        #expect(message.attributes["ErrorCode"] == .init(dataType: "Number", stringValue: "429"))
        #expect(message.attributes["ErrorMessage"]?.stringValue.contains("zero reserved concurrent executions") == true)
    }

    @Test func functionErrorsAreRetriedOneMinuteThenTwoMinutesLater() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let start = clock.now
        let times = Mutex<[Timestamp]>([])
        let attempts = Mutex<[Int]>([])
        let e = engine(.swiftTest(onFailure: FunctionTestARNs.queue), clock: clock, sink: sink) { _, context in
            times.withLock { $0.append(clock.now) }
            attempts.withLock { $0.append(context.attempt) }
            throw FunctionError(type: "OrderError", message: "no stock")
        }
        await e.enqueue(["sku": "x"])
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == start + .seconds(60))
        clock.advance(by: .milliseconds(59_999))
        #expect(times.withLock { $0.count } == 1)
        clock.advance(by: .milliseconds(1))
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == start + .seconds(180))
        clock.advance(to: start + .seconds(180))
        await sink.waitForMessages(1)
        #expect(times.withLock { $0 } == [start, start + .seconds(60), start + .seconds(180)])
        #expect(attempts.withLock { $0 } == [1, 2, 3])
        let record = try #require(sink.messages.first).body
        #expect(record["version"] == "1.0")
        #expect(record["timestamp"] == .string((start + .seconds(180)).iso8601Milliseconds))
        #expect(record["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 3)
        #expect(record["requestContext"]?["functionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST")
        #expect(record["requestPayload"] == ["sku": "x"])
        #expect(record["responseContext"] == ["statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"])
        #expect(record["responsePayload"] == ["errorType": "OrderError", "errorMessage": "no stock"])
        #expect(e.runtime.metrics.snapshot.errors == 3)
    }

    @Test func maximumRetryAttemptsZeroFailsAfterOneAttempt() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let e = engine(.swiftTest(retries: 0, dlq: FunctionTestARNs.dlq), clock: clock, sink: sink) { _, _ in
            throw FunctionError(type: "Boom", message: String(repeating: "x", count: 2000))
        }
        let id = await e.enqueue(["a": 1])
        await e.waitUntilIdle()
        let m = try #require(sink.messages.first)
        #expect(m.kind == .deadLetter)
        #expect(m.body == ["a": 1])
        #expect(m.attributes["RequestID"]?.stringValue == id)
        #expect(m.attributes["ErrorCode"] == .init(dataType: "Number", stringValue: "200"))
        #expect(m.attributes["ErrorMessage"]?.stringValue.utf8.count == 1024)
        #expect(e.runtime.metrics.snapshot.invocations == 1)
    }

    @Test func aRetryPastTheMaximumEventAgeEndsWithEventAgeExceeded() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let e = engine(.swiftTest(maxAge: 100, onFailure: FunctionTestARNs.queue), clock: clock, sink: sink) { _, _ in
            throw FunctionError(type: "Boom", message: "again")
        }
        await e.enqueue(["a": 1])
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(60))
        await sink.waitForMessages(1)
        let record = try #require(sink.messages.first).body
        #expect(record["requestContext"]?["condition"] == "EventAgeExceeded")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 2)
    }

    @Test func successGoesToAnEventBusAsALambdaEvent() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let e = engine(.swiftTest(onSuccess: FunctionTestARNs.bus), clock: clock, sink: sink) { event, _ in
            ["doubled": .number(JSONNumber((event["n"]?.intValue ?? 0) * 2))]
        }
        await e.enqueue(["n": 21])
        await e.waitUntilIdle()
        let m = try #require(sink.messages.first)
        #expect(m.destinationKind == .bus)
        #expect(m.eventSource == "lambda")
        #expect(m.detailType == "Lambda Function Invocation Result - Success")
        #expect(m.resources == ["arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST"])
        #expect(m.body["requestContext"]?["condition"] == "Success")
        #expect(m.body["requestContext"]?["approximateInvokeCount"] == 1)
        #expect(m.body["responseContext"] == ["statusCode": 200, "executedVersion": "$LATEST"])
        #expect(m.body["responsePayload"] == ["doubled": 42])
        #expect(m.body.objectValue?.keys == ["version", "timestamp", "requestContext", "requestPayload", "responseContext", "responsePayload"])
    }

    @Test func failureToABusUsesTheFailureDetailType() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let e = engine(.swiftTest(retries: 0, onFailure: FunctionTestARNs.bus), clock: clock, sink: sink) { _, _ in
            throw FunctionError(type: "Boom", message: "bad")
        }
        await e.enqueue(["n": 1])
        await e.waitUntilIdle()
        #expect(sink.messages.first?.detailType == "Lambda Function Invocation Result - Failure")
    }

    @Test func failuresWithoutADestinationAreDroppedAndCounted() async {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let e = engine(.swiftTest(retries: 0), clock: clock, sink: sink) { _, _ in throw FunctionError(type: "Boom", message: "bad") }
        await e.enqueue(["n": 1])
        await e.waitUntilIdle()
        #expect(sink.messages.isEmpty)
        #expect(e.runtime.metrics.snapshot.dropped == 1)
        #expect(e.runtime.metrics.stateJSON()["errors"] == 1)
    }

    @Test func runToCompletionSettlesEveryRetryOnVirtualTime() async {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let start = clock.now
        let e = engine(.swiftTest(onFailure: FunctionTestARNs.queue), clock: clock, sink: sink) { _, _ in
            throw FunctionError(type: "Boom", message: "bad")
        }
        for i in 0..<5 { await e.enqueue(["i": .number(JSONNumber(i))]) }
        await e.runToCompletion(on: clock)
        #expect(sink.messages.count == 5)
        #expect(clock.now == start + .seconds(180))
        #expect(await e.outcomes.allSatisfy { $0.condition == .retriesExhausted && $0.event.invokeCount == 3 })
    }
}

@Suite struct FunctionAsyncStateMachineTests {
    let t0 = Timestamp(nanosecondsSinceEpoch: 1_000_000_000_000)

    @Test func throttleBackoffDoublesFromOneSecondToFiveMinutes() {
        let m = AsyncInvocationStateMachine(policy: .init())
        let delays = (1...11).map { m.throttleDelay(afterThrottle: $0) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map { Duration.seconds($0) })
    }

    @Test func throttledEventsRetryUntilTheMaximumAge() {
        let m = AsyncInvocationStateMachine(policy: .init(maximumEventAge: .seconds(60)))
        var e = AsyncInvocationStateMachine.Event(requestId: "r", payload: nil, enqueuedAt: t0)
        var now = t0
        var waits: [Duration] = []
        while case .retry(let at) = m.attemptEnded(&e, result: .throttled, now: now) {
            waits.append(at - now)
            now = at
            #expect(m.attemptDue(e, now: now) == .invoke)
        }
        #expect(waits == [1, 2, 4, 8, 16].map { Duration.seconds($0) })
        #expect(m.attemptEnded(&e, result: .throttled, now: now) == .finish(.eventAgeExceeded))
        #expect(e.invokeCount == 0)
    }

    @Test(arguments: [(0, 1), (1, 2), (2, 3)])
    func functionErrorsAreRetriedMaximumRetryAttemptsTimes(retries: Int, attempts: Int) {
        let m = AsyncInvocationStateMachine(policy: .init(maximumRetryAttempts: retries))
        var e = AsyncInvocationStateMachine.Event(requestId: "r", payload: nil, enqueuedAt: t0)
        var now = t0
        var count = 0
        while true {
            count += 1
            let action = m.attemptEnded(&e, result: .functionError(.init(type: "E", message: "m")), now: now)
            guard case .retry(let at) = action else {
                #expect(action == .finish(.retriesExhausted))
                break
            }
            #expect(at - now == (count == 1 ? .seconds(60) : .seconds(120)))
            now = at
        }
        #expect(count == attempts)
        #expect(e.invokeCount == attempts)
    }

    @Test func staleEventsFailWhenTheirAttemptComesDue() {
        let m = AsyncInvocationStateMachine(policy: .init(maximumEventAge: .seconds(60)))
        let e = AsyncInvocationStateMachine.Event(requestId: "r", payload: nil, enqueuedAt: t0)
        #expect(m.attemptDue(e, now: t0 + .seconds(60)) == .invoke)
        #expect(m.attemptDue(e, now: t0 + .seconds(61)) == .finish(.eventAgeExceeded))
    }

    @Test func reservedZeroFinishesAtAdmission() {
        let e = AsyncInvocationStateMachine.Event(requestId: "r", payload: nil, enqueuedAt: t0)
        #expect(AsyncInvocationStateMachine(policy: .init(reservedConcurrency: 0)).admit(e, now: t0) == .finish(.zeroReservedConcurrency))
        #expect(AsyncInvocationStateMachine(policy: .init(reservedConcurrency: 1)).admit(e, now: t0) == .invoke)
        #expect(AsyncInvocationStateMachine(policy: .init()).admit(e, now: t0) == .invoke)
    }
}

@Suite struct FunctionHostTests {
    @Test func recordsForAHostedFunctionAreQueuedToIt() async throws {
        let registry = SwiftFunctionRegistry()
        let received = Mutex<[JSONValue]>([])
        registry.register("First") { event, _ in ["seen": event] }
        registry.register("Second") { record, _ in
            received.withLock { $0.append(record) }
            return nil
        }
        let first = FunctionManifest(name: "first", runtime: .swift, handler: "First",
                                     onSuccessDestination: "arn:aws:lambda:us-east-1:123456789012:function:second")
        let second = FunctionManifest(name: "second", runtime: .swift, handler: "Second",
                                      onSuccessDestination: FunctionTestARNs.okQueue)
        let sink = RecordingDestinationSink()
        let targets = TargetRegistry()
        targets.registerProvider(forService: "sqs") { _ in sink }
        let host = try FunctionHost(manifests: [first, second], registry: registry, clock: ManualClock(), sink: targets)
        targets.registerProvider(forService: "lambda") { [target = FunctionTarget(functions: host)] _ in target }
        #expect(await host.invokeAsync("first", payload: ["n": 1]) != nil)
        #expect(await host.invokeAsync("missing", payload: nil) == nil)
        await host.waitUntilIdle()
        let record = try #require(received.withLock { $0 }.first)
        #expect(record["requestContext"]?["condition"] == "Success")
        #expect(record["responsePayload"] == ["seen": ["n": 1]])
        #expect(sink.messages.map(\.destinationArn) == [FunctionTestARNs.okQueue])
        #expect(host.stateJSON()["arn:aws:lambda:us-east-1:123456789012:function:second"]?["invocations"] == 1)
        await host.shutdown()
    }
}
