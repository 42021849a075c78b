import Synchronization

/// The delivery streams of a runtime, by ARN, and the ``TimedComponent`` that delivers them on
/// the runtime's one clock: a stream whose buffer is due (full, or its oldest record waited the
/// interval) is taken, transformed by its function if it has one (the Firehose contract, see
/// ``RecordTransformation``; a failed invocation is retried `NumberOfRetries` times), and
/// written as one object under the prefix and one under the error prefix for failed records
/// (``DeliveryStreamObjectKey``) to the ``DeliveryObjectStore``. A `KinesisStreamAsSource`
/// stream reads its Kinesis stream's new records at every run.
///
/// Buffered records are pending work, so `replay` settles only once every record is written.
public final class DeliveryStreamRegistry: TimedComponent {
    let byArn = Mutex<[String: DeliveryStream]>([:])
    let functions: FunctionHost
    let streams: StreamRegistry
    /// Where objects go.
    public let store: any DeliveryObjectStore
    let clock: any EventClock
    let random: SharedRandom
    let wake: WakeSignal?
    let log: any LogSink
    /// Whether buffered records count as pending work (see ``init(functions:streams:store:clock:random:wake:log:bufferIsPending:)``).
    let bufferIsPending: Bool

    /// - Parameter bufferIsPending: whether buffered records count as pending work (virtual
    ///   time: settling writes them; on the real clock they wait for their interval, and
    ///   ``flushAll()`` writes what is left).
    public init(functions: FunctionHost, streams: StreamRegistry, store: any DeliveryObjectStore, clock: any EventClock,
                random: SharedRandom, wake: WakeSignal? = nil, log: any LogSink = DiscardingLogSink(), bufferIsPending: Bool = true) {
        self.bufferIsPending = bufferIsPending
        self.functions = functions
        self.streams = streams
        self.store = store
        self.clock = clock
        self.random = random
        self.wake = wake
        self.log = log
    }

    // MARK: - Streams

    /// Creates a stream (a `KinesisStreamAsSource` stream starts reading at its source's newest record, as Firehose does).
    /// - Throws: ``DeliveryStreamError`` `ResourceInUseException` when it exists,
    ///   `InvalidArgumentException` when its source stream does not.
    @discardableResult
    public func create(_ configuration: DeliveryStreamConfiguration) throws(DeliveryStreamError) -> DeliveryStream {
        var cursor: UInt64 = 0
        if let source = configuration.sourceStreamArn {
            let stream: DataStream
            do { stream = try streams.stream(source) } catch {
                throw .invalid("KinesisStreamSourceConfiguration.KinesisStreamARN: \(error.message)")
            }
            cursor = stream.snapshot.nextCounter &- 1
        }
        let stream = DeliveryStream(configuration: configuration, createdAt: clock.now, sourceCursor: cursor)
        try byArn.withLock { (all: inout [String: DeliveryStream]) throws(DeliveryStreamError) in
            guard all[configuration.arn] == nil else {
                throw DeliveryStreamError("ResourceInUseException", "Firehose \(configuration.name) under account \(configuration.account) already exists.")
            }
            all[configuration.arn] = stream
        }
        return stream
    }

    /// Deletes a stream; its buffered records are dropped.
    /// - Throws: ``DeliveryStreamError`` `ResourceNotFoundException`.
    public func delete(name: String, account: String, region: String) throws(DeliveryStreamError) {
        let arn = DeliveryStreamConfiguration.arn(name, account: account, region: region)
        guard byArn.withLock({ $0.removeValue(forKey: arn) }) != nil else { throw .notFound(name, account: account) }
    }

    /// The stream named `name` in `account` and `region`.
    /// - Throws: ``DeliveryStreamError`` `ResourceNotFoundException`.
    public func stream(name: String, account: String, region: String) throws(DeliveryStreamError) -> DeliveryStream {
        guard let s = stream(arn: DeliveryStreamConfiguration.arn(name, account: account, region: region)) else { throw .notFound(name, account: account) }
        return s
    }

    /// The stream with `arn`, if any.
    public func stream(arn: String) -> DeliveryStream? { byArn.withLock { $0[arn] } }

    /// Every stream, by name.
    public var all: [DeliveryStream] { byArn.withLock { Array($0.values) }.sorted { $0.arn < $1.arn } }

    /// PutRecord/PutRecordBatch/a rule target: buffers `records` in `stream` now.
    /// - Throws: ``DeliveryStreamError`` for a stream that reads a Kinesis stream or an oversized record.
    public func put(_ records: [[UInt8]], to stream: DeliveryStream) throws(DeliveryStreamError) -> [String] {
        if stream.configuration.sourceStreamArn != nil {
            throw .invalid("This operation is not permitted on KinesisStreamAsSource delivery stream type.")
        }
        let ids = try stream.put(records, at: clock.now, random: random)
        wake?.signal()
        return ids
    }

    // MARK: - Time

    public var timedRole: TimedRole { .scheduled }

    public func timedStatus(at now: Timestamp) async -> TimedStatus {
        var pending = 0
        var deadline: Timestamp?
        for stream in all {
            let s = stream.status(countingBuffer: bufferIsPending)
            pending += s.pending
            if let d = s.deadline { deadline = deadline.map { min($0, d) } ?? d }
            if unreadSourceRecords(stream) {
                pending += 1
                deadline = now
            }
        }
        return TimedStatus(pending: pending, nextDeadline: deadline)
    }

    public func runDue(at now: Timestamp) async -> Int {
        var progress = 0
        for stream in all {
            progress += readSource(stream, at: now)
            for object in stream.takePendingObjects(at: now) {
                await write(object, to: stream, at: now)
                progress += 1
            }
            if let records = stream.takeForFlush(at: now) {
                await flush(records, of: stream, at: now)
                progress += 1
            }
        }
        return progress
    }

    /// Delivers every buffered record now, due or not (shutdown, tests).
    public func flushAll() async {
        let now = clock.now
        for stream in all {
            _ = readSource(stream, at: now)
            if let records = stream.takeForFlush(at: now, all: true) { await flush(records, of: stream, at: now) }
        }
    }

    // MARK: - Delivery

    func flush(_ records: [DeliveryStreamRecord], of stream: DeliveryStream, at now: Timestamp) async {
        let configuration = stream.configuration
        var delivered = records
        var failed: [FailedDeliveryStreamRecord] = []
        var dropped = 0
        if let transform = configuration.transform {
            delivered = []
            for chunk in Self.chunks(records, maximumBytes: transform.bufferSizeBytes) {
                let outcome = await self.transform(chunk, with: transform, of: configuration)
                delivered += outcome.delivered
                failed += outcome.failed
                dropped += outcome.dropped
            }
        }
        var objects: [DeliveryStream.PendingObject] = []
        if let oldest = delivered.map(\.arrival).min() {
            var bytes: [UInt8] = []
            for r in delivered { bytes += r.data }
            let key = DeliveryStreamObjectKey.key(configuration, errorOutputType: nil, time: oldest, uuid: random.uuid())
            objects.append(.init(key: key, bytes: bytes, records: delivered.count, failed: false, notBefore: now))
        }
        if let oldest = failed.map(\.record.arrival).min() {
            let ending = clock.now
            var bytes: [UInt8] = []
            for f in failed { bytes += Array((f.line(ending: ending) + "\n").utf8) }
            let key = DeliveryStreamObjectKey.key(configuration, errorOutputType: DeliveryStreamObjectKey.processingFailed, time: oldest, uuid: random.uuid())
            objects.append(.init(key: key, bytes: bytes, records: failed.count, failed: true, notBefore: now))
        }
        for object in objects { await write(object, to: stream, at: now) }
        stream.finishFlush(dropped: dropped)
    }

    func write(_ object: DeliveryStream.PendingObject, to stream: DeliveryStream, at now: Timestamp) async {
        let error = await store.put(bucket: stream.configuration.bucket, key: object.key, bytes: object.bytes)
        if let error {
            log.log(LogRecord(level: .error, message: "delivery stream \(stream.name): cannot write s3://\(stream.configuration.bucket)/\(object.key) (\(object.records) records): \(error); trying again in \(DeliveryStream.retryDelay)"))
        }
        stream.objectWritten(object, error: error, at: clock.now)
    }

    /// One transform invocation (and its retries) for `records`.
    func transform(_ records: [DeliveryStreamRecord], with transform: DeliveryStreamConfiguration.Transform,
                   of configuration: DeliveryStreamConfiguration) async -> RecordTransformation.Outcome {
        guard let runtime = functions.runtime(for: transform.functionArn) else {
            return RecordTransformation.failAll(records, code: "Lambda.InvokeAccessDenied",
                                                message: "the transform function \(transform.functionArn) is not in Functions/", attempts: 1,
                                                lambdaArn: transform.functionArn)
        }
        let event = RecordTransformation.event(invocationId: random.uuid(), deliveryStreamArn: configuration.arn, region: configuration.region, records: records)
        let lambdaArn = transform.functionArn.contains(":function:") && transform.functionArn.split(separator: ":").count == 7
            ? transform.functionArn + ":$LATEST" : transform.functionArn
        var lastError = ""
        let attempts = 1 + transform.numberOfRetries
        for attempt in 1...attempts {
            switch await runtime.invoke(event, requestId: random.uuid(), attempt: attempt) {
            case .success(let response):
                return RecordTransformation.interpret(response, records: records, lambdaArn: lambdaArn, attempts: attempt)
            case .functionError(let error):
                lastError = "The Lambda function was successfully invoked but it returned an error result (\(error.type): \(error.message))"
            case .throttled:
                lastError = "The Lambda function was throttled (TooManyRequestsException)"
            }
        }
        log.log(LogRecord(level: .warning, message: "delivery stream \(configuration.name): transform \(transform.functionArn) failed \(attempts) time(s): \(lastError); \(records.count) records go under the error prefix"))
        return RecordTransformation.failAll(records, code: "Lambda.FunctionError", message: lastError, attempts: attempts, lambdaArn: lambdaArn)
    }

    /// `records` in runs of at most `maximumBytes` of data (each run at least one record).
    static func chunks(_ records: [DeliveryStreamRecord], maximumBytes: Int) -> [[DeliveryStreamRecord]] {
        var out: [[DeliveryStreamRecord]] = []
        var current: [DeliveryStreamRecord] = []
        var bytes = 0
        for r in records {
            if !current.isEmpty, bytes + r.data.count > maximumBytes {
                out.append(current)
                current = []
                bytes = 0
            }
            current.append(r)
            bytes += r.data.count
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    // MARK: - Kinesis source

    func sourceStream(of stream: DeliveryStream) -> DataStream? {
        guard let arn = stream.configuration.sourceStreamArn else { return nil }
        return try? streams.stream(arn)
    }

    func unreadSourceRecords(_ stream: DeliveryStream) -> Bool {
        guard let source = sourceStream(of: stream) else { return false }
        let cursor = stream.state.withLock { $0.sourceCursor }
        return source.snapshot.nextCounter &- 1 > cursor
    }

    /// Buffers the source stream's records written since the last read (their arrival is the
    /// stream's); returns how many.
    func readSource(_ stream: DeliveryStream, at now: Timestamp) -> Int {
        guard let source = sourceStream(of: stream) else { return 0 }
        let cursor = stream.state.withLock { $0.sourceCursor }
        let (records, last) = source.readSince(counter: cursor)
        guard !records.isEmpty else { return 0 }
        stream.state.withLock { s in
            for r in records {
                s.buffer.append(DeliveryStreamRecord(recordId: DeliveryStream.recordId(random), data: r.bytes, arrival: r.approximateArrivalTimestamp))
                s.counters.incomingRecords += 1
                s.counters.incomingBytes += r.bytes.count
            }
            s.sourceCursor = last
        }
        return records.count
    }

    /// `{"ARN": {counters…}}`.
    public func stateJSON() -> JSONValue {
        var o = JSONObject()
        for s in all { o[s.arn] = s.stateJSON() }
        return .object(o)
    }
}

extension DataStream {
    /// Every record written after the stream-wide counter `counter`, oldest first, and the
    /// newest counter (a delivery stream's read position on its source).
    func readSince(counter: UInt64) -> ([StreamRecord], UInt64) {
        let s = snapshot
        let last = s.nextCounter &- 1
        guard last > counter else { return ([], counter) }
        var out: [StreamRecord] = []
        for shard in s.shards {
            for r in shard.records.reversed() {
                guard r.sequenceNumber.counter > counter else { break }
                out.append(r)
            }
        }
        out.sort { $0.sequenceNumber.counter < $1.sequenceNumber.counter }
        return (out, last)
    }
}

extension DeliveryStreamRegistry {
    /// The registry of `workspace`'s delivery streams, writing to its ``Workspace/objectStoreDirectory``
    /// (in memory without one).
    /// - Throws: ``EventRouterError`` when a stream cannot be created (the validator normally catches it first).
    convenience init(workspace: Workspace, functions: FunctionHost, streams: StreamRegistry, clock: any EventClock, random: SharedRandom,
                     wake: WakeSignal?, log: any LogSink, bufferIsPending: Bool) throws(EventRouterError) {
        let store: any DeliveryObjectStore = workspace.objectStoreDirectory.map { FolderObjectStore(root: $0) } ?? MemoryObjectStore()
        self.init(functions: functions, streams: streams, store: store, clock: clock, random: random, wake: wake, log: log,
                  bufferIsPending: bufferIsPending)
        for declaration in workspace.deliveryStreams {
            do { try create(declaration.configuration) } catch {
                throw EventRouterError(.validation, "cannot create delivery stream \(declaration.arn): \(error.message)", underlying: error)
            }
        }
    }
}
