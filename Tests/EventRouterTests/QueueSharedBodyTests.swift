import Testing
@testable import EventRouter

/// Messages whose body is made of shared parts (``QueueMessageBody``: a topic's envelope head
/// and tail around a subscription's ARN) behave, byte for byte, as messages with the same body
/// as one String: received, MD5, moved to a dead-letter queue and back, journaled, recovered and
/// snapshotted; validated on the parts' total.
@Suite struct QueueSharedBodyTests {
    static let head = #"{"Type":"Notification","Message":"héllo 🎉","UnsubscribeURL":"https://x/?SubscriptionArn="#
    static let middle = "arn:aws:sns:us-east-1:123456789012:t:sub-1"
    static let tail = #""}"#
    static var whole: String { head + middle + tail }
    static func shared(_ head: String = head, _ middle: String = middle, _ tail: String = tail) -> QueueMessageBody {
        QueueMessageBody(QueueMessageBody.Shared(head: head, tail: tail), middle: middle)
    }

    static let bodies: [(String, String, String)] = [
        (head, middle, tail), ("", "", "x"), ("", "", ""), ("a", "", "b"), ("é", "🎉", "\u{FFFD}"),
        ("tab\t", "\u{1F}", "ok"), ("\u{FFFE}", "a", "b"), ("a", "b", "\u{0}"), (String(repeating: "long ", count: 300), "m", "t"),
    ]

    @Test(arguments: bodies.indices)
    func aBodyOfPartsCountsChecksAndJoinsAsItsString(_ index: Int) {
        let (h, m, t) = Self.bodies[index]
        let body = Self.shared(h, m, t), text = h + m + t
        #expect(body.isShared && !QueueMessageBody(text).isShared)
        #expect(body.string == text)
        #expect(body.utf8Count == text.utf8.count)
        #expect(body.isEmpty == text.isEmpty)
        #expect(body.isPlainText == QueueStateMachine.bodyIsPlainText(text))
        var bytes: [UInt8] = []
        body.forEachPart { bytes.append(contentsOf: $0) }
        #expect(bytes == Array(text.utf8))
        var w1 = BinaryRecordWriter(), w2 = BinaryRecordWriter()
        w1.string(body)
        w2.string(text)
        #expect(w1.bytes == w2.bytes)
    }

    @Test func aMessageStaysAsSmallAsWithAOneStringBody() {
        #expect(MemoryLayout<QueueMessageBody>.size == 24, "a String and one reference")
        // 128 bytes as before the parts: the state and receive count fill padding after receivedAt.
        #expect(MemoryLayout<QueueMessage>.stride == 128)
    }

    /// Two registries alike (same clock, same seed, journals attached): one receives one-String
    /// bodies, the other the same bodies as shared parts.
    struct Pair {
        let clock = ManualClock()
        let plain: QueueRegistry, parts: QueueRegistry
        let plainJournal = RecordingStateJournal(), partsJournal = RecordingStateJournal()

        init(_ configurations: [QueueConfiguration] = [QueueConfiguration(name: "q")]) throws {
            plain = QueueRegistry(clock: clock, seed: 5)
            parts = QueueRegistry(clock: clock, seed: 5)
            plain.attachJournal(plainJournal)
            parts.attachJournal(partsJournal)
            _ = try plain.createQueues(configurations)
            _ = try parts.createQueues(configurations)
        }

        /// Sends `body` to queue `name` of both registries, as one String and as parts.
        func send(_ body: QueueMessageBody, to name: String, groupId: String? = nil) throws {
            _ = try plain.queue(named: name).sendNow(body: QueueMessageBody(body.string), attributes: [:], groupId: groupId, deduplicationId: nil,
                                                     bodyKnownPlain: false)
            _ = try parts.queue(named: name).sendNow(body: body, attributes: [:], groupId: groupId, deduplicationId: nil, bodyKnownPlain: false)
        }

        /// Whether the messages of queue `name` in the parts registry still hold shared parts.
        func storesParts(_ name: String) throws -> [Bool] {
            try parts.queue(named: name).withMachine { $0.messages.valuesInIdOrder.map(\.storedBody.isShared) }
        }

        func records() -> ([[UInt8]], [[UInt8]]) {
            (plainJournal.records.withLock { $0.map(\.payload) }, partsJournal.records.withLock { $0.map(\.payload) })
        }
    }

    @Test func receivedDeadLetteredRedrivenJournaledAndRecoveredAsTheSameBytes() async throws {
        let dlq = "arn:aws:sqs:us-east-1:123456789012:dlq"
        let pair = try Pair([QueueConfiguration(name: "dlq"),
                             QueueConfiguration(name: "q", redrivePolicy: .init(deadLetterTargetArn: dlq, maxReceiveCount: 1))])
        try pair.send(Self.shared(), to: "q")
        #expect(try pair.storesParts("q") == [true])
        func receive(_ registry: QueueRegistry, _ name: String) async throws -> [ReceivedMessage] {
            try await registry.queue(named: name).receiveMessages(maxNumberOfMessages: 10)
        }
        // Received: the same body, MD5 and attributes.
        let (a, b) = (try await receive(pair.plain, "q"), try await receive(pair.parts, "q"))
        #expect(a == b && b.map(\.body) == [Self.whole])
        #expect(b.map { MD5.hexDigest($0.body) } == [MD5.hexDigest(Self.whole)])
        // Received once: the next receive moves it to the dead-letter queue, parts and all.
        pair.clock.advance(by: .seconds(30))
        let (e1, e2) = (try await receive(pair.plain, "q"), try await receive(pair.parts, "q"))
        #expect(e1.isEmpty && e2.isEmpty)
        #expect(try pair.storesParts("dlq") == [true])
        // Redriven back to its source by a move task.
        _ = try await pair.plain.startMessageMoveTask(sourceArn: dlq)
        _ = try await pair.parts.startMessageMoveTask(sourceArn: dlq)
        #expect(try pair.storesParts("q") == [true])
        let (c, d) = (try await receive(pair.plain, "q"), try await receive(pair.parts, "q"))
        #expect(c == d && d.map(\.body) == [Self.whole])
        // Every journal record is the same bytes; recovery gives the same state.
        let (plainRecords, partsRecords) = pair.records()
        #expect(plainRecords.count > 4 && plainRecords == partsRecords)
        let (recovered, counts) = try pair.partsJournal.recover(clock: pair.clock)
        #expect(counts.messages == 1)
        #expect(try QueueJournalTests.bodies(recovered, "q") == [Self.whole])
        #expect(recovered.stateJSON() == (try pair.plainJournal.recover(clock: pair.clock)).0.stateJSON())
    }

    @Test func snapshottedAsTheSameBytesAndRecovered() async throws {
        let pair = try Pair([QueueConfiguration(name: "q"), QueueConfiguration(name: "f.fifo", contentBasedDeduplication: true)])
        for i in 0..<3 { try pair.send(Self.shared(Self.head, "sub-\(i)", Self.tail), to: "q") }
        try pair.send(Self.shared(), to: "f.fifo", groupId: "G")
        // Content-based deduplication reads the joined bytes: the one-String body is a duplicate.
        let again = try pair.parts.queue(named: "f.fifo").sendNow(body: QueueMessageBody(Self.whole), attributes: [:], groupId: "G",
                                                                  deduplicationId: nil, bodyKnownPlain: false)
        #expect(again.deduplicated)
        _ = try await pair.plain.queue(named: "q").receiveMessages()
        _ = try await pair.parts.queue(named: "q").receiveMessages()
        let plainSnapshot = StateSnapshotSections.encode(queues: QueueSnapshotSection.capture(pair.plain), json: ["deliveries": []])
        let partsSnapshot = StateSnapshotSections.encode(queues: QueueSnapshotSection.capture(pair.parts), json: ["deliveries": []])
        #expect(partsSnapshot == plainSnapshot)
        var recovery = StateRecovery()
        try recovery.applySnapshot(partsSnapshot)
        let recovered = QueueRegistry(clock: pair.clock, seed: 9)
        #expect(try recovery.restore(queues: recovered).messages == 4)
        #expect(try QueueJournalTests.bodies(recovered, "q") == (0..<3).map { Self.head + "sub-\($0)" + Self.tail })
        #expect(try QueueJournalTests.bodies(recovered, "f.fifo") == [Self.whole])
    }

    static let refused: [(String, QueueMessageBody, QueueError.Code, String)] = [
        ("over the limit by one byte", shared(String(repeating: "h", count: 500), String(repeating: "m", count: 25), String(repeating: "t", count: 500)),
         .invalidParameterValue,
         "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes (this one is 1025 bytes with its attributes); shrink the body or raise MaximumMessageSize of q."),
        ("empty parts", shared("", "", ""), .missingParameter, "The request must contain the parameter MessageBody: send a non-empty body."),
        ("a control character in the middle", shared("a", "\u{7}", "b"), .invalidMessageContents,
         "Invalid binary character '#x7' was found in the message body: use only #x9, #xA, #xD and #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF (encode binary data, e.g. as base64)."),
        ("U+FFFF in the tail", shared("a", "b", "c\u{FFFF}"), .invalidMessageContents,
         "Invalid binary character '#xFFFF' was found in the message body: use only #x9, #xA, #xD and #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF (encode binary data, e.g. as base64)."),
    ]

    @Test(arguments: refused.indices)
    func partsAreValidatedOnTheirTotal(_ index: Int) throws {
        let (name, body, code, message) = Self.refused[index]
        let f = try QueueFixture(QueueConfiguration(name: "q", maximumMessageSize: 1024))
        let error = #expect(throws: QueueError.self, "\(name)") {
            _ = try f.queue.sendNow(body: body, attributes: [:], groupId: nil, deduplicationId: nil, bodyKnownPlain: false)
        }
        #expect(error?.code == code, "\(name)")
        #expect(error?.message == message, "\(name)")
        // At the limit exactly: accepted.
        _ = try f.queue.sendNow(body: Self.shared(String(repeating: "h", count: 500), String(repeating: "m", count: 24), String(repeating: "t", count: 500)),
                                attributes: [:], groupId: nil, deduplicationId: nil, bodyKnownPlain: false)
        #expect(try f.queue.withMachine { $0.statistics.visible } == 1)
    }

    static let topic = """
        {"TopicName": "orders", "Subscription": [
          {"Protocol": "sqs", "Endpoint": "\(queueArn("a"))"}, {"Protocol": "sqs", "Endpoint": "\(queueArn("b"))"},
          {"Protocol": "sqs", "Endpoint": "\(queueArn("c"))"}, {"Protocol": "sqs", "Endpoint": "\(queueArn("r"))", "RawMessageDelivery": true}]}
        """

    @Test func aPublishStoresOneEnvelopeHeadAndTailForEverySubscribedQueue() async throws {
        let f = try TopicFixture(queues: ["a", "b", "c", "r"], topics: [Self.topic])
        let result = try await f.topic("orders").publish(message: "hello", subject: nil, messageAttributes: ["k": .string("v")])
        let subscriptions = try f.topic("orders").configuration.subscriptions
        func stored(_ name: String) throws -> QueueMessageBody {
            try #require(try f.queues.queue(named: name).withMachine { $0.messages.valuesInIdOrder.first?.storedBody })
        }
        let bodies = try ["a", "b", "c"].map(stored)
        let first = try #require(bodies[0].shared)
        #expect(bodies.allSatisfy { $0.shared === first }, "one head and tail for the three queues")
        #expect(try stored("r").shared == nil, "a raw delivery is the message itself")
        for (i, body) in bodies.enumerated() {
            let n = TopicEnvelope.Notification(messageId: result.messageId, topicArn: try f.topic("orders").arn, subject: nil, message: "hello",
                                               timestamp: f.clock.now, attributes: ["k": .string("v")], sequenceNumber: nil,
                                               subscriptionArn: subscriptions[i].arn)
            #expect(body.string == TopicEnvelope.sqsBody(n))
            #expect(try f.bodies(["a", "b", "c"][i]) == [TopicEnvelope.sqsBody(n)])
        }
    }
}
