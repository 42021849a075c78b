import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// Counts handlers running at once and the most ever running.
private final class ConcurrencyRecorder: Sendable {
    private let state = Mutex<(now: Int, max: Int, calls: Int)>((0, 0, 0))
    func begin() { state.withLock { s in s.now += 1; s.calls += 1; s.max = Swift.max(s.max, s.now) } }
    func end() { state.withLock { $0.now -= 1 } }
    var max: Int { state.withLock { $0.max } }
    var calls: Int { state.withLock { $0.calls } }
}

/// A flag handlers read: once open, they no longer park at the gate.
private final class OpenFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func open() { value.store(true, ordering: .releasing) }
    var isOpen: Bool { value.load(ordering: .acquiring) }
}

@Suite struct FunctionAccountConcurrencyTests {
    private static let account = FunctionManifest.defaultAccount

    /// A host whose function `busy` (no reservation) parks at `gate` until `open` is set, and whose
    /// optional `reserving` function reserves `reserved`. Timeouts run on a clock of their own, so
    /// the only sleepers on `clock` are the engine's retries.
    private func host(
        clock: ManualClock, gate: FunctionGate, open: OpenFlag, recorder: ConcurrencyRecorder,
        limits: [String: Int] = [:], reserved: Int? = nil, log: any LogSink = DiscardingLogSink()
    ) throws -> FunctionHost {
        let registry = SwiftFunctionRegistry()
        registry.register("busy") { event, _ in
            recorder.begin()
            if !open.isOpen { await gate.enter() }
            recorder.end()
            return event
        }
        registry.register("reserving") { event, _ in event }
        var manifests: [FunctionManifest] = [.swiftTest(name: "busy", timeout: 900)]
        if let reserved { manifests.append(.swiftTest(name: "reserving", reserved: reserved)) }
        return try FunctionHost(manifests: manifests, registry: registry, clock: clock, timeoutClock: ManualClock(),
                                sink: RecordingDestinationSink(), concurrencyLimits: limits, log: log)
    }

    /// 1,500 events, a limit of `limit` unreserved: the first `unreserved` run, the rest are
    /// throttled and retried 1 s later, after the first wave finished; every event succeeds.
    private func burst(limits: [String: Int], reserved: Int?, unreserved: Int) async throws {
        let clock = ManualClock(), gate = FunctionGate(), open = OpenFlag(), recorder = ConcurrencyRecorder()
        let log = RecordingLogSink()
        let h = try host(clock: clock, gate: gate, open: open, recorder: recorder, limits: limits, reserved: reserved, log: log)
        let engine = try #require(h.engine(for: "busy"))
        let total = 1_500
        for i in 0..<total { await engine.enqueue(.object(JSONObject([.init(key: "n", value: .number(JSONNumber(i)))]))) }
        await gate.waitForEntered(unreserved)
        await clock.waitForSleepers(total - unreserved)
        let pool = try #require(h.accountConcurrency[AccountConcurrency.key(account: Self.account, region: FunctionManifest.defaultRegion)])
        #expect(pool.unreserved == unreserved)
        #expect(pool.snapshot.inFlight == unreserved)
        #expect(recorder.max == unreserved)
        open.open()
        gate.releaseAll()
        await engine.settle(on: clock)
        let outcomes = await engine.outcomes
        #expect(outcomes.count == total)
        #expect(outcomes.allSatisfy { $0.condition == AsyncInvocationStateMachine.Condition.success })
        #expect(recorder.max == unreserved, "never more than the account's unreserved concurrency at once")
        #expect(pool.snapshot.maxConcurrent == unreserved)
        #expect(pool.snapshot.throttles >= total - unreserved)
        let m = engine.runtime.metrics.snapshot
        #expect(m.invocations == total)
        #expect(m.throttles == pool.snapshot.throttles)
        #expect(log.records(.invocation).filter { $0.message.hasSuffix("throttled") }.count == m.throttles)
        #expect(log.records(.retry).count == m.throttles)
    }

    @Test func fifteenHundredEventsNeverRunMoreThanTheDefaultLimitOfOneThousand() async throws {
        try await burst(limits: [:], reserved: nil, unreserved: 1_000)
    }

    @Test func aConfiguredLimitMinusReservationsBoundsTheUnreservedFunctions() async throws {
        try await burst(limits: [Self.account: 150], reserved: 50, unreserved: 100)
    }

    @Test func reservationsThatLeaveLessThanOneHundredUnreservedAreRefused() throws {
        let clock = ManualClock(), gate = FunctionGate(), open = OpenFlag(), recorder = ConcurrencyRecorder()
        let error = #expect(throws: EventRouterError.self) {
            _ = try host(clock: clock, gate: gate, open: open, recorder: recorder, limits: [Self.account: 300], reserved: 201)
        }
        #expect(error?.message == "the functions of account 123456789012 in us-east-1 reserve 201 of the account's concurrency limit of 300, leaving 99 unreserved; Lambda keeps at least 100 unreserved: lower ReservedConcurrentExecutions in function.json, or raise ConcurrentExecutions in the account's Accounts entry")
        #expect(error?.awsCode == "ValidationException")
    }

    @Test func theThrottleBackoffDoublesFromOneSecond() {
        let machine = AsyncInvocationStateMachine(policy: .init())
        #expect((1...4).map(machine.throttleDelay(afterThrottle:)) == [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
    }
}

@Suite struct AccountConcurrencyConfigurationTests {
    private func validate(accounts: String, reserved: Int? = nil) -> LoaderResult {
        let rules = """
        {"Accounts": [\(accounts)], "Rules": []}
        """
        var functions: [FunctionManifest] = []
        if let reserved { functions.append(.swiftTest(name: "hog", reserved: reserved)) }
        return WorkspaceLoader.validate(files: [("a.json", rules)], functions: functions)
    }
    typealias LoaderResult = WorkspaceLoader.Result

    @Test func concurrentExecutionsIsReadFromTheAccountsEntry() throws {
        let result = validate(accounts: #"{"Id": "123456789012", "ConcurrentExecutions": 250}"#, reserved: 150)
        let workspace = try #require(result.workspace, "\(result.problems)")
        #expect(workspace.concurrencyLimits == ["123456789012": 250])
    }

    @Test(arguments: [
        (#"{"Id": "123456789012", "ConcurrentExecutions": 99}"#, "$.Accounts[0].ConcurrentExecutions",
         "'ConcurrentExecutions' must be between 100 and 1000000, got 99"),
        (#"{"Id": "123456789012", "ConcurrentExecutions": "500"}"#, "$.Accounts[0].ConcurrentExecutions",
         "'ConcurrentExecutions' must be a whole number, not string"),
        (#"{"Id": "123456789012", "ConcurrentExecutions": 2.5}"#, "$.Accounts[0].ConcurrentExecutions",
         "'ConcurrentExecutions' must be a whole number, not 2.5"),
    ])
    func badLimitsAreReportedWithTheirPath(accounts: String, path: String, message: String) {
        let result = validate(accounts: accounts)
        #expect(result.workspace == nil)
        #expect(result.problems.contains { $0.path == path && $0.message == message }, "\(result.problems)")
    }

    @Test func reservationsMustLeaveOneHundredUnreserved() {
        let result = validate(accounts: #"{"Id": "123456789012", "ConcurrentExecutions": 200}"#, reserved: 101)
        #expect(result.workspace == nil)
        let problem = result.problems.first { $0.file == "Functions/hog/function.json" }
        #expect(problem?.path == "$.ReservedConcurrentExecutions")
        #expect(problem?.message == "the functions of account 123456789012 in us-east-1 reserve 101 of the account's concurrency limit of 200, leaving 99 unreserved; Lambda keeps at least 100 unreserved: lower ReservedConcurrentExecutions in function.json, or raise ConcurrentExecutions in the account's Accounts entry")
    }

    @Test func theDefaultLimitAllowsNineHundredReserved() {
        #expect(validate(accounts: #"{"Id": "123456789012"}"#, reserved: 900).workspace != nil)
        #expect(validate(accounts: #"{"Id": "123456789012"}"#, reserved: 901).workspace == nil)
    }
}

@Suite struct AWSErrorConvertibleTests {
    @Test(arguments: [
        (QueueError(.queueDoesNotExist, "no queue q") as any AWSErrorConvertible, "QueueDoesNotExist", 404),
        (QueueError(.invalidParameterValue, "bad") as any AWSErrorConvertible, "InvalidParameterValue", 400),
        (TopicError(.notFound, "no topic") as any AWSErrorConvertible, "NotFound", 404),
        (StreamError(.provisionedThroughputExceeded, "slow down") as any AWSErrorConvertible, "ProvisionedThroughputExceededException", 429),
        (StreamError(.resourceNotFound, "no stream") as any AWSErrorConvertible, "ResourceNotFoundException", 404),
        (PatternError(path: "detail", reason: "bad") as any AWSErrorConvertible, "InvalidEventPatternException", 400),
        (FunctionError.requestTooLarge(size: 2, limit: 1) as any AWSErrorConvertible, "RequestEntityTooLargeException", 413),
        (FunctionError.timeout(seconds: 3) as any AWSErrorConvertible, "Sandbox.Timedout", 200),
        (EventRouterError(.notFound, "no function") as any AWSErrorConvertible, "ResourceNotFoundException", 404),
        (EventRouterError(.io, "disk") as any AWSErrorConvertible, "InternalFailure", 500),
        (EventRouterError(.validation, "bad file") as any AWSErrorConvertible, "ValidationException", 400),
    ] as [(any AWSErrorConvertible, String, Int)])
    func errorsMapToAnAWSCodeAndStatus(error: any AWSErrorConvertible, code: String, status: Int) {
        #expect(error.awsCode == code)
        #expect(error.httpStatus == status)
    }

    @Test func aWrappedErrorKeepsItsCauseAndReportsItsCode() throws {
        let cause = QueueError(.queueDoesNotExist, "no queue q")
        let wrapped = EventRouterError(.validation, "cannot create the workspace's queues: \(cause)", underlying: cause)
        #expect((wrapped.underlying as? QueueError) == cause)
        #expect(wrapped.awsCode == "QueueDoesNotExist")
        #expect(wrapped.httpStatus == 404)
        #expect((wrapped.rootAWSError as? QueueError) == cause)
    }

    @Test func theRuntimeKeepsTheQueueErrorItCouldNotCreateAQueueWith() throws {
        var workspace = Workspace()
        let dlq = QueueConfiguration.RedrivePolicy(deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:missing", maxReceiveCount: 3)
        workspace.queues = [QueueDeclaration(configuration: QueueConfiguration(name: "q", redrivePolicy: dlq), json: JSONObject(), file: "a.json")]
        let error = #expect(throws: EventRouterError.self) { _ = try RouterRuntime(workspace: workspace, clock: ManualClock(), seed: 1) }
        #expect(error?.underlying is QueueError, "\(String(describing: error))")
        #expect(error?.awsCode == "InvalidParameterValue")
    }
}
