/// Lambda's asynchronous invocation for one function: an internal event queue, reserved
/// concurrency, retries and destinations, all on an injected clock.
///
/// ``enqueue(_:requestId:)`` accepts an event at once (Lambda's 202) and processes it in the
/// background: decisions come from ``AsyncInvocationStateMachine``, attempts from the
/// ``FunctionRuntime``, records and dead-letter messages go to the destination target (the router's ``TargetRegistry``).
/// ``waitUntilIdle()`` waits until every event has settled; ``runToCompletion(on:)`` settles
/// everything on a ``ManualClock`` by jumping to each next deadline.
public actor AsyncInvocationEngine {
    /// How one event ended.
    public struct Outcome: Sendable, Equatable {
        /// The event with its request id, payload, attempt counts and last result.
        public var event: AsyncInvocationStateMachine.Event
        /// Why it ended (the record's `condition`).
        public var condition: AsyncInvocationStateMachine.Condition
        /// When it ended, on the engine's clock.
        public var finishedAt: Timestamp
        /// What was sent, if anything (nil: no destination, the event was dropped or succeeded silently).
        public var message: DestinationMessage?
        /// Whether the destination accepted ``message``.
        public var delivered: Bool
    }

    /// The function the events go to.
    public nonisolated let runtime: FunctionRuntime
    /// The decisions (built from the manifest's settings).
    public nonisolated let machine: AsyncInvocationStateMachine
    private let clock: any EventClock
    private let sink: any EventTarget
    private let random: SharedRandom
    private var outstanding = 0
    private var waiting = 0
    private var quiescenceWaiters: [CheckedContinuation<Void, Never>] = []
    private var tasks: [String: Task<Void, Never>] = [:]
    /// The settled events, in the order they settled (the latest ``outcomeHistoryLimit``).
    public private(set) var outcomes: [Outcome] = []
    /// How many outcomes ``outcomes`` keeps.
    public let outcomeHistoryLimit: Int
    /// Told (synchronously, on the engine) whenever an event starts waiting for a retry or settles.
    private let onChange: (@Sendable () -> Void)?
    /// Where attempts, retries and destination sends are logged (the runtime's sink).
    private let log: any LogSink

    /// - Parameters:
    ///   - runtime: the function (its clock enforces timeouts).
    ///   - clock: the clock of retries, backoff and event age (usually the runtime's).
    ///   - sink: where records and dead-letter messages go.
    ///   - random: the source of request ids.
    ///   - outcomeHistoryLimit: how many settled outcomes to keep for inspection.
    ///   - onChange: told whenever an event starts waiting for a retry or settles (a driver that
    ///     settles several engines on one virtual clock waits on it).
    public init(
        runtime: FunctionRuntime, clock: any EventClock, sink: any EventTarget, random: SharedRandom = SharedRandom(seed: 1),
        outcomeHistoryLimit: Int = 10_000, onChange: (@Sendable () -> Void)? = nil
    ) {
        self.runtime = runtime
        self.log = runtime.log
        self.onChange = onChange
        self.outcomeHistoryLimit = outcomeHistoryLimit
        self.machine = AsyncInvocationStateMachine(policy: .init(manifest: runtime.manifest))
        self.clock = clock
        self.sink = sink
        self.random = random
    }

    /// Queues an event and returns its request id at once.
    @discardableResult
    public func enqueue(_ payload: JSONValue, requestId: String? = nil) -> String {
        let id = requestId ?? random.uuid()
        let event = AsyncInvocationStateMachine.Event(requestId: id, payload: payload, enqueuedAt: clock.now)
        runtime.metrics.countQueued()
        outstanding += 1
        tasks[id] = Task { await self.process(event) }
        return id
    }

    /// Queues an event as Lambda's asynchronous `Invoke` accepts it: a payload over
    /// ``PayloadLimits/asynchronousRequest`` bytes is refused with `RequestEntityTooLargeException`.
    @discardableResult
    public func accept(_ payload: JSONValue, requestId: String? = nil) throws(FunctionError) -> String {
        var bytes: [UInt8] = []
        JSONSerializer.write(payload, into: &bytes)
        guard bytes.count <= PayloadLimits.asynchronousRequest else {
            throw .requestTooLarge(size: bytes.count, limit: PayloadLimits.asynchronousRequest)
        }
        return enqueue(payload, requestId: requestId)
    }

    /// Events accepted but not yet settled.
    public var pendingCount: Int { outstanding }

    /// Waits until every queued event has settled.
    public func waitUntilIdle() async {
        while outstanding > 0 { await waitForChange() }
    }

    /// Settles every event on `clock` (which must be this engine's clock): whenever every
    /// pending event is waiting for a retry, jumps the clock to the next deadline.
    public func runToCompletion(on clock: ManualClock) async {
        while outstanding > 0 {
            if waiting < outstanding {
                await waitForChange()
                continue
            }
            let sleepers = waiting
            await clock.waitForSleepers(sleepers)
            if let next = clock.nextDeadline { clock.advance(to: next) }
            await waitForChange()
        }
    }

    /// Cancels every pending event (they are dropped) and stops the handler's processes.
    public func shutdown() async {
        for task in tasks.values { task.cancel() }
        tasks.removeAll()
        await runtime.shutdown()
    }

    private func waitForChange() async {
        await withCheckedContinuation { quiescenceWaiters.append($0) }
    }

    private func changed() {
        onChange?()
        let waiters = quiescenceWaiters
        quiescenceWaiters.removeAll()
        for w in waiters { w.resume() }
    }

    private func process(_ initial: AsyncInvocationStateMachine.Event) async {
        var event = initial
        var action = machine.admit(event, now: clock.now)
        loop: while true {
            switch action {
            case .invoke:
                let attempt = event.invokeCount + 1
                let result = await runtime.invoke(event.payload, requestId: event.requestId, attempt: attempt)
                logAttempt(event, attempt: attempt, result: result)
                action = machine.attemptEnded(&event, result: result, now: clock.now)
            case .retry(let at):
                log.log(LogRecord(level: .info, message: "retry at \(at.iso8601Milliseconds)", metadata: metadata(event), category: .retry))
                waiting += 1
                changed()
                let slept: Bool
                do {
                    try await clock.sleep(until: at)
                    slept = true
                } catch {
                    slept = false
                }
                waiting -= 1
                guard slept else { break loop }
                action = machine.attemptDue(event, now: clock.now)
            case .finish(let condition):
                await finish(event, condition)
                break loop
            }
        }
        outstanding -= 1
        tasks[event.requestId] = nil
        changed()
    }

    private func finish(_ event: AsyncInvocationStateMachine.Event, _ condition: AsyncInvocationStateMachine.Condition) async {
        let manifest = runtime.manifest
        let now = clock.now
        var message: DestinationMessage?
        if condition == .success {
            if let arn = manifest.onSuccessDestination {
                let record = InvocationRecord.make(event: event, condition: condition, functionArn: manifest.arn, timestamp: now)
                message = InvocationRecord.message(record: record, success: true, to: arn, functionArn: manifest.arn)
            }
        } else {
            if condition == .zeroReservedConcurrency { runtime.metrics.countThrottle() }
            if let arn = manifest.onFailureDestination {
                let record = InvocationRecord.make(event: event, condition: condition, functionArn: manifest.arn, timestamp: now)
                message = InvocationRecord.message(record: record, success: false, to: arn, functionArn: manifest.arn)
            } else if let arn = manifest.deadLetterTargetArn {
                message = InvocationRecord.deadLetter(event: event, condition: condition, to: arn)
            } else {
                runtime.metrics.countDropped()
            }
        }
        var delivered = false
        if let message {
            delivered = await sink.send(message)
            runtime.metrics.countDestination(delivered: delivered)
            let what = message.kind == .deadLetter ? "dead-letter message" : "invocation record"
            log.log(LogRecord(level: delivered ? .info : .warning,
                              message: "\(condition.rawValue): \(what) \(delivered ? "sent" : "NOT delivered") to \(message.destinationArn)",
                              metadata: metadata(event, target: message.destinationArn), category: .destination))
        } else if condition != .success {
            log.log(LogRecord(level: .warning, message: "\(condition.rawValue): dropped, no failure destination or dead-letter queue",
                              metadata: metadata(event), category: .destination))
        }
        outcomes.append(Outcome(event: event, condition: condition, finishedAt: now, message: message, delivered: delivered))
        if outcomes.count > outcomeHistoryLimit { outcomes.removeFirst(outcomes.count - outcomeHistoryLimit) }
    }

    private func metadata(_ event: AsyncInvocationStateMachine.Event, target: String? = nil) -> LogMetadata {
        LogMetadata(eventId: event.payload["id"]?.stringValue, target: target, function: runtime.manifest.arn, requestId: event.requestId)
    }

    private func logAttempt(_ event: AsyncInvocationStateMachine.Event, attempt: Int, result: InvocationResult) {
        var meta = metadata(event)
        meta.extra["attempt"] = String(attempt)
        switch result {
        case .success:
            log.log(LogRecord(level: .info, message: "invocation \(attempt): success", metadata: meta, category: .invocation))
        case .throttled:
            meta.extra["code"] = "TooManyRequestsException"
            log.log(LogRecord(level: .notice, message: "invocation \(attempt): throttled", metadata: meta, category: .invocation))
        case .functionError(let e):
            meta.extra["code"] = e.type
            log.log(LogRecord(level: .warning, message: "invocation \(attempt): \(e.type): \(e.message)", metadata: meta, category: .invocation))
        }
    }
}
