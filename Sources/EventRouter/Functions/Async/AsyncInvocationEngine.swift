/// Lambda's asynchronous invocation for one function: an internal event queue, reserved
/// concurrency, retries and destinations, all on an injected clock.
///
/// ``enqueue(_:requestId:)`` accepts an event at once (Lambda's 202) and processes it in the
/// background: decisions come from ``AsyncInvocationStateMachine``, attempts from the
/// ``FunctionRuntime``, records and dead-letter messages go to the destination target (the router's ``TargetRegistry``).
/// ``waitUntilIdle()`` waits until every event has settled. As a ``TimedComponent`` (role
/// ``TimedRole/handlers``) a ``TimeDriver`` settles it on a virtual clock: it waits until every
/// pending event is parked on the clock for a retry, then jumps to the next deadline.
public actor AsyncInvocationEngine: TimedComponent {
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
    /// The decisions, built from the function's settings as they are now (see ``FunctionSettings``).
    public nonisolated var machine: AsyncInvocationStateMachine { AsyncInvocationStateMachine(policy: runtime.settings.policy) }
    private let clock: any EventClock
    private let sink: any EventTarget
    private let random: SharedRandom
    private var outstanding = 0 { didSet { handlerStatus.set(TimedStatus(pending: outstanding, nextDeadline: nil, parked: waiting)) } }
    private var waiting = 0 { didSet { handlerStatus.set(TimedStatus(pending: outstanding, nextDeadline: nil, parked: waiting)) } }
    /// The status as ``timedStatusNow(at:)`` reads it (set by the two counters above).
    nonisolated let handlerStatus = TimedStatusMirror()
    private var quiescenceWaiters: [CheckedContinuation<Void, Never>] = []
    /// The events' tasks: children of one group the engine owns.
    private let work = OwnedTaskGroup()
    private var nextSequence: UInt64 = 0
    /// Events waiting for a retry, by arrival sequence: when it is due, and the event.
    private var parked: [UInt64: (at: Timestamp, event: AsyncInvocationStateMachine.Event)] = [:]
    /// What ``admitDue(at:)`` decided for events whose retry came due, by arrival sequence.
    private var decided: [UInt64: Step] = [:]

    /// The next step of an event, decided synchronously on the engine.
    private enum Step: Sendable {
        /// An attempt, admitted (a slot is held) or refused (throttled) when it came due.
        case attempt(FunctionRuntime.Admission)
        case finish(AsyncInvocationStateMachine.Condition)
    }
    /// The settled events, in the order they settled (the latest ``outcomeHistoryLimit``).
    public private(set) var outcomes: [Outcome] = []
    /// How many outcomes ``outcomes`` keeps.
    public let outcomeHistoryLimit: Int
    /// Told (synchronously, on the engine) whenever an event starts waiting for a retry or settles.
    private let onChange: (@Sendable () -> Void)?
    /// Where attempts, retries and destination sends are logged (the runtime's sink).
    private let log: any LogSink
    /// Signalled whenever an event starts waiting for a retry or settles (``settle(on:)`` waits on it).
    private let changes = WakeSignal()
    /// Where accepted events, their retry state and their ends are journaled (with a data directory).
    public nonisolated let journal: FunctionJournal

    /// - Parameters:
    ///   - runtime: the function (its clock enforces timeouts).
    ///   - clock: the clock of retries, backoff and event age (usually the runtime's).
    ///   - sink: where records and dead-letter messages go.
    ///   - random: the source of request ids.
    ///   - outcomeHistoryLimit: how many settled outcomes to keep for inspection.
    ///   - onChange: told whenever an event starts waiting for a retry or settles (a driver that
    ///     settles several engines on one virtual clock waits on it).
    ///   - journal: where events are journaled once a journal is attached (shared by a host's engines).
    public init(
        runtime: FunctionRuntime, clock: any EventClock, sink: any EventTarget, random: SharedRandom = SharedRandom(seed: 1),
        outcomeHistoryLimit: Int = 10_000, onChange: (@Sendable () -> Void)? = nil, journal: FunctionJournal = FunctionJournal()
    ) {
        self.journal = journal
        self.runtime = runtime
        self.log = runtime.log
        self.onChange = onChange
        self.outcomeHistoryLimit = outcomeHistoryLimit
        self.clock = clock
        self.sink = sink
        self.random = random
    }

    /// Queues an event and returns its request id at once.
    @discardableResult
    public func enqueue(_ payload: JSONValue, requestId: String? = nil, qualifier: String? = nil) -> String {
        let id = requestId ?? random.uuid()
        var queued = AsyncInvocationStateMachine.Event(requestId: id, payload: payload, enqueuedAt: clock.now)
        queued.qualifier = qualifier
        let event = queued
        runtime.metrics.countQueued()
        let sequence = nextSequence
        nextSequence += 1
        // Journaled before it is answered (the caller awaits the noted ticket) and before it runs.
        let key = journal.queued(runtime.arn, event)
        let first = step(machine.admit(event, now: clock.now), event)
        outstanding += 1
        if !work.add({ await self.process(event, sequence: sequence, key: key, first: first) }) {
            // The engine was shut down: the event is dropped like the pending ones were.
            if case .attempt(.admitted(let admitted)) = first { runtime.abandon(admitted) }
            outstanding -= 1
        }
        return id
    }

    /// Queues an event as Lambda's asynchronous `Invoke` accepts it: a payload over
    /// ``PayloadLimits/asynchronousRequest`` bytes is refused with `RequestEntityTooLargeException`.
    @discardableResult
    public func accept(_ payload: JSONValue, requestId: String? = nil, qualifier: String? = nil) throws(FunctionError) -> String {
        var bytes: [UInt8] = []
        JSONSerializer.write(payload, into: &bytes)
        guard bytes.count <= PayloadLimits.asynchronousRequest else {
            throw .requestTooLarge(size: bytes.count, limit: PayloadLimits.asynchronousRequest)
        }
        return enqueue(payload, requestId: requestId, qualifier: qualifier)
    }

    /// Events accepted but not yet settled.
    public var pendingCount: Int { outstanding }

    /// Waits until every queued event has settled.
    public func waitUntilIdle() async {
        while outstanding > 0 { await waitForChange() }
    }

    public nonisolated var timedRole: TimedRole { .handlers }

    /// Events run in tasks of their own: nothing to start here.
    public func runDue(at now: Timestamp) async -> Int { 0 }

    /// Events accepted but not yet settled, and how many of them wait for a retry; their retry
    /// deadlines are on the clock they park on.
    public func timedStatus(at now: Timestamp) async -> TimedStatus {
        TimedStatus(pending: outstanding, nextDeadline: nil, parked: waiting)
    }

    /// Settles every event on `clock` (which must be this engine's clock): a ``TimeDriver``
    /// jumps the clock to the next deadline whenever every pending event waits for a retry.
    public func settle(on clock: ManualClock) async {
        _ = await TimeDriver(clock: .virtual(clock), wake: changes, components: [self]).settle()
    }

    /// Cancels every pending event (they are dropped) and stops the handler's processes.
    public func shutdown() async {
        work.cancelAll()
        await runtime.shutdown()
    }

    private func waitForChange() async {
        await withCheckedContinuation { quiescenceWaiters.append($0) }
    }

    private func changed() {
        onChange?()
        changes.signal()
        let waiters = quiescenceWaiters
        quiescenceWaiters.removeAll()
        for w in waiters { w.resume() }
    }

    /// Takes up an event a data directory kept (``FunctionRecovery``): attempted at once, or
    /// parked until `retryAt` with its attempt counts and last result, as if it had never stopped.
    /// It is not journaled again (its entry is already in ``journal`` under `key`).
    func resume(_ event: AsyncInvocationStateMachine.Event, key: Int, retryAt: Timestamp?) {
        let sequence = nextSequence
        nextSequence += 1
        outstanding += 1
        if !work.add({ await self.resumed(event, sequence: sequence, key: key, retryAt: retryAt) }) { outstanding -= 1 }
    }

    private func resumed(_ event: AsyncInvocationStateMachine.Event, sequence: UInt64, key: Int, retryAt: Timestamp?) async {
        guard let retryAt else {
            await process(event, sequence: sequence, key: key, first: step(machine.attemptDue(event, now: clock.now), event))
            return
        }
        guard let next = await park(event, sequence: sequence, until: retryAt) else {
            outstanding -= 1
            changed()
            return
        }
        await process(event, sequence: sequence, key: key, first: next)
    }

    /// Parks `event` on the clock until `at`; returns its next step, or nil when the wait was cancelled.
    private func park(_ event: AsyncInvocationStateMachine.Event, sequence: UInt64, until at: Timestamp) async -> Step? {
        waiting += 1
        parked[sequence] = (at, event)
        changed()
        let slept: Bool
        do {
            try await clock.sleep(until: at)
            slept = true
        } catch {
            slept = false
        }
        waiting -= 1
        if slept { admitDue(at: clock.now) }
        parked[sequence] = nil
        let next = decided.removeValue(forKey: sequence)
        guard slept, let next else {
            if case .attempt(.admitted(let admitted))? = next { runtime.abandon(admitted) }
            return nil
        }
        return next
    }

    /// Carries an event from its first step to its end: attempts (admitted when they came
    /// due), retries parked on the clock, and the destination. `key`: its journal entry.
    private func process(_ initial: AsyncInvocationStateMachine.Event, sequence: UInt64, key: Int?, first: Step) async {
        var event = initial
        var step = first
        loop: while true {
            switch step {
            case .finish(let condition):
                await finish(event, condition)
                // After the destination: a kill before this line sends it again (at-least-once).
                journal.done(runtime.arn, key: key)
                break loop
            case .attempt(let admission):
                let attempt = event.invokeCount + 1
                let result: InvocationResult
                switch admission {
                case .refused(let refused): result = refused
                case .admitted(let admitted): result = await runtime.run(admitted, requestId: event.requestId, attempt: attempt)
                }
                logAttempt(event, attempt: attempt, result: result)
                let action = machine.attemptEnded(&event, result: result, now: clock.now)
                guard case .retry(let at) = action else {
                    step = self.step(action, event)
                    continue
                }
                log.log(LogRecord(level: .info, message: "retry at \(at.iso8601Milliseconds)", metadata: metadata(event), category: .retry))
                journal.attempted(runtime.arn, key: key, event, retryAt: at)
                guard let next = await park(event, sequence: sequence, until: at) else { break loop }
                step = next
            }
        }
        outstanding -= 1
        changed()
    }

    /// Decides, in (due time, arrival) order, the next step of every parked event whose retry
    /// is due at `now`, before any of them runs: the first woken event does it for all, so
    /// which attempts get a concurrency slot does not depend on how fast the woken tasks reach
    /// the engine or how fast the handlers that got one finish.
    private func admitDue(at now: Timestamp) {
        let due = parked.filter { $0.value.at <= now }.sorted { ($0.value.at, $0.key) < ($1.value.at, $1.key) }
        for (sequence, entry) in due {
            parked[sequence] = nil
            decided[sequence] = step(machine.attemptDue(entry.event, now: now), entry.event)
        }
    }

    /// The step for `action` (``AsyncInvocationStateMachine/admit(_:now:)`` and
    /// ``AsyncInvocationStateMachine/attemptDue(_:now:)`` answer invoke or finish): an attempt
    /// is admitted at once.
    private func step(_ action: AsyncInvocationStateMachine.Action, _ event: AsyncInvocationStateMachine.Event) -> Step {
        switch action {
        case .invoke, .retry: .attempt(runtime.admit(event.payload))
        case .finish(let condition): .finish(condition)
        }
    }

    private func finish(_ event: AsyncInvocationStateMachine.Event, _ condition: AsyncInvocationStateMachine.Condition) async {
        let manifest = runtime.manifest
        let settings = runtime.settings.values
        let now = clock.now
        var message: DestinationMessage?
        if condition == .success {
            if let arn = settings.onSuccessDestination {
                let record = InvocationRecord.make(event: event, condition: condition, functionArn: manifest.arn, timestamp: now,
                                                   executedVersion: manifest.executedVersion(for: event.qualifier) ?? "$LATEST")
                message = InvocationRecord.message(record: record, success: true, to: arn, functionArn: manifest.arn, qualifier: event.qualifier)
            }
        } else {
            if condition == .zeroReservedConcurrency { runtime.metrics.countThrottle() }
            if let arn = settings.onFailureDestination {
                let record = InvocationRecord.make(event: event, condition: condition, functionArn: manifest.arn, timestamp: now,
                                                   executedVersion: manifest.executedVersion(for: event.qualifier) ?? "$LATEST")
                message = InvocationRecord.message(record: record, success: false, to: arn, functionArn: manifest.arn, qualifier: event.qualifier)
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
        logOutcome(event, condition, message: message, delivered: delivered)
        outcomes.append(Outcome(event: event, condition: condition, finishedAt: now, message: message, delivered: delivered))
        if outcomes.count > outcomeHistoryLimit { outcomes.removeFirst(outcomes.count - outcomeHistoryLimit) }
    }

    private func metadata(_ event: AsyncInvocationStateMachine.Event, target: String? = nil) -> LogMetadata {
        LogMetadata(eventId: event.payload["id"]?.stringValue, target: target, function: runtime.manifest.arn, requestId: event.requestId)
    }

    /// One record per settled event (category ``LogRecord/Category/outcome``): info on success,
    /// warning otherwise; the metadata carries the condition, the attempt and throttle counts and
    /// where the record went.
    private func logOutcome(_ event: AsyncInvocationStateMachine.Event, _ condition: AsyncInvocationStateMachine.Condition,
                            message: DestinationMessage?, delivered: Bool) {
        var meta = metadata(event, target: message?.destinationArn)
        meta.extra["condition"] = condition.rawValue
        meta.extra["invocations"] = String(event.invokeCount)
        meta.extra["throttles"] = String(event.throttleCount)
        if message != nil { meta.extra["delivered"] = String(delivered) }
        let sent = message.map { delivered ? ", record sent to \($0.destinationArn)" : ", record NOT delivered to \($0.destinationArn)" } ?? ""
        log.log(LogRecord(level: condition == .success ? .info : .warning,
                          message: "\(condition.rawValue) after \(event.invokeCount) invocations and \(event.throttleCount) throttles\(sent)",
                          metadata: meta, category: .outcome))
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
