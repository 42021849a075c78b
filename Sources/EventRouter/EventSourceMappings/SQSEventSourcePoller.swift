/// Runs a queue → function mapping as Lambda does: gathers a batch (`BatchSize`, the batching
/// window, 6 MB), invokes the function synchronously with the SQS event, then deletes what
/// succeeded.
///
/// - Success deletes the whole batch.
/// - With `ReportBatchItemFailures` the messages the function reports stay; the rest are deleted
///   (``SQSBatchResponse/evaluate(messageIds:result:reportBatchItemFailures:fifo:)`` decides,
///   including the whole-batch-failure cases and FIFO stop-at-first-failure).
/// - A function error, timeout or throttle deletes nothing.
///
/// Messages that stay become visible again after the queue's visibility timeout; the queue
/// moves them to its dead-letter queue after `maxReceiveCount` receives.
actor SQSEventSourcePoller: EventSourcePoller {
    nonisolated let cell: MappingConfigurationCell
    let queue: MessageQueue
    var runtime: FunctionRuntime { cell.runtime }
    let clock: any EventClock
    let random: SharedRandom
    let options: EventSourceMappingOptions
    private(set) var counters = EventSourceMappingCounters()
    private var stepping = false
    /// Told just before the current step invokes the function.
    private var invoking: (@Sendable () -> Void)?
    private var buffer: [ReceivedMessage] = []
    private var bufferBytes = 0
    private var windowEnds: Timestamp?
    private var lastOutcome: String?
    /// Failures that count as progress (see ``PollStep/progress``), reported by the next step.
    private var boundedFailures = 0

    init(configuration: EventSourceMappingConfiguration, queue: MessageQueue, runtime: FunctionRuntime, clock: any EventClock,
         random: SharedRandom, options: EventSourceMappingOptions) {
        self.cell = MappingConfigurationCell(configuration, runtime: runtime)
        self.queue = queue
        self.clock = clock
        self.random = random
        self.options = options
    }

    private var fifo: Bool { queue.fifo }

    func reconfigure(_ configuration: EventSourceMappingConfiguration, runtime: FunctionRuntime) {
        cell.set(configuration, runtime: runtime)
    }

    func step(invoking: @escaping @Sendable () -> Void) async -> PollStep {
        // The actor is reentrant across the invocation's await: one step at a time keeps batches in order.
        guard !stepping else { return PollStep(didWork: false, pending: true) }
        stepping = true
        self.invoking = invoking
        defer {
            stepping = false
            self.invoking = nil
        }
        let now = clock.now
        let before = (try? await queue.statistics())?.total ?? 0
        var received = false
        while buffer.count < configuration.batchSize && bufferBytes < options.maximumPayloadBytes {
            let messages: [ReceivedMessage]
            do {
                messages = try await queue.receiveMessages(maxNumberOfMessages: min(10, configuration.batchSize - buffer.count), waitTimeSeconds: 0)
            } catch {
                counters.sourceErrors += 1
                lastOutcome = "receive failed: \(error)"
                return PollStep(didWork: false, wakeAt: now + options.retryDelay, pending: true)
            }
            if messages.isEmpty { break }
            received = true
            counters.records += messages.count
            buffer += messages
            bufferBytes += messages.reduce(0) { $0 + $1.body.utf8.count }
            if windowEnds == nil { windowEnds = now + .seconds(configuration.maximumBatchingWindowInSeconds) }
            if configuration.maximumBatchingWindowInSeconds == 0 { break }
        }
        let full = buffer.count >= configuration.batchSize || bufferBytes >= options.maximumPayloadBytes
        if !buffer.isEmpty, full || windowEnds.map({ now >= $0 }) == true {
            await invoke()
        } else if !buffer.isEmpty {
            return PollStep(didWork: received, wakeAt: windowEnds, pending: true, progress: 0)
        } else if !received {
            let stats = try? await queue.statistics()
            let after = stats?.total ?? 0
            // Only messages that are delayed or in flight will become visible later.
            let waiting = (stats?.notVisible ?? 0) + (stats?.delayed ?? 0) > 0
            return PollStep(didWork: false, wakeAt: waiting ? queue.nextVisibilityDeadline : nil, pending: after > 0, progress: max(0, before - after))
        }
        let after = (try? await queue.statistics())?.total ?? 0
        defer { boundedFailures = 0 }
        return PollStep(didWork: true, wakeAt: nil, pending: after > 0, progress: max(0, before - after) + boundedFailures)
    }

    /// Invokes the function with the gathered batch and settles it. Messages that match none of
    /// the mapping's `FilterCriteria` are deleted without invoking the function, as Lambda does.
    private func invoke() async {
        var batch = buffer
        buffer = []
        bufferBytes = 0
        windowEnds = nil
        let filter = MappingFilter.compiled(configuration.filterPatterns)
        if !filter.isEmpty {
            let region = ARN(queue: queue.arn)?.region ?? ""
            let dropped = batch.filter { !filter.matches(LambdaSourceEvent.sqsRecord($0, queueArn: queue.arn, region: region), bodyKey: "body") }
            for message in dropped {
                if (try? queue.deleteNow(receiptHandle: message.receiptHandle)) == true { counters.discarded += 1 }
            }
            let droppedIds = Set(dropped.map(\.messageId))
            batch.removeAll { droppedIds.contains($0.messageId) }
            if batch.isEmpty {
                lastOutcome = "filtered out (\(dropped.count) messages matched no filter and were deleted)"
                return
            }
        }
        let ids = batch.map(\.messageId)
        counters.batches += 1
        let requestId = random.uuid()
        invoking?()
        let result = await runtime.invoke(LambdaSourceEvent.sqs(batch, queueArn: queue.arn), requestId: requestId)
        runtime.logBatch(of: batch.count, from: queue.arn, requestId: requestId, result: result)
        if case .throttled = result { counters.throttles += 1 }
        let outcome = SQSBatchResponse.evaluate(
            messageIds: ids, result: result, reportBatchItemFailures: configuration.reportBatchItemFailures, fifo: fifo)
        let failed = Set(outcome.failedIds(in: ids))
        if !failed.isEmpty {
            counters.failures += 1
            counters.failedRecords += failed.count
            // With a dead-letter queue every failure brings the messages closer to leaving.
            if queue.resolveDeadLetterQueue() != nil { boundedFailures += failed.count }
        }
        switch outcome {
        case .allSucceeded: lastOutcome = "succeeded (\(batch.count) messages)"
        case .partialFailure(let ids): lastOutcome = "partial failure: \(ids.joined(separator: ", ")) stay in the queue"
        case .batchFailed(let reason): lastOutcome = "batch failed: \(reason)"
        }
        for message in batch where !failed.contains(message.messageId) {
            do {
                if try queue.deleteNow(receiptHandle: message.receiptHandle) { counters.deleted += 1 }
            } catch {
                counters.sourceErrors += 1
                lastOutcome = "delete of \(message.messageId) failed: \(error)"
            }
        }
    }

    var detailJSON: JSONValue {
        var o = JSONObject()
        o["gathered"] = .number(JSONNumber(buffer.count))
        if let lastOutcome { o["lastOutcome"] = .string(lastOutcome) }
        return .object(o)
    }
}
