import EventRouter
import Testing
@testable import EventRouterHTTP

/// SNS state through the journal, in process (docs/durability.md, "Topics and subscriptions"):
/// a fixture's records (and its snapshot) rebuild a fresh runtime, which answers the API as
/// the first one did — topics created through the API, attributes, tags, subscriptions (to the
/// rule file's topic too) with their ARNs and pending confirmations, retrying deliveries with
/// their attempt counts, FIFO deduplication windows.
@Suite struct TopicRecoveryTests {
    enum Mode: String, CaseIterable, Sendable {
        /// The records only.
        case records
        /// The snapshot only.
        case snapshot
        /// The snapshot and every record again (a snapshot captured after later records were applied).
        case snapshotAndRecords
    }

    /// A fresh fixture rebuilt from `fixture`'s journal as `mode` says, with a journal attached.
    static func restart(_ fixture: SNSFixture, _ journal: KinesisJournalTests.Journal, _ mode: Mode) throws -> (SNSFixture, KinesisJournalTests.Journal, StateRecovery.Counts) {
        var state = StateRecovery()
        if mode != .records { try state.applySnapshot(fixture.runtime.journalSnapshot()) }
        if mode != .snapshot { for record in journal.records.withLock({ $0 }) { try state.apply(record) } }
        let next = try SNSFixture(seed: 4)
        let nextJournal = KinesisJournalTests.Journal()
        let counts = try state.restore(into: next.runtime, attaching: nextJournal)
        return (next, nextJournal, counts)
    }

    static func journaled() throws -> (SNSFixture, KinesisJournalTests.Journal) {
        let fixture = try SNSFixture()
        let journal = KinesisJournalTests.Journal()
        fixture.runtime.attachJournal(journal)
        return (fixture, journal)
    }

    /// The value of attribute `key` in a `<Attributes>` or `<Tags>` answer (XML-escaped as sent).
    static func value(_ key: String, in response: HTTPResponse) -> String? {
        let text = SNSFixture.text(response)
        for marker in ["<key>\(key)</key><value>", "<Key>\(key)</Key><Value>"] {
            guard let start = text.range(of: marker), let end = text.range(of: "</", range: start.upperBound..<text.endIndex) else { continue }
            return String(text[start.upperBound..<end.lowerBound])
        }
        return nil
    }

    @Test(arguments: Mode.allCases)
    func topicsSubscriptionsTagsAndAttributesComeBack(mode: Mode) async throws {
        let (fixture, journal) = try Self.journaled()
        let api = try await fixture.createTopic("api", [("DisplayName", "Orders")])
        _ = await fixture.call("SetTopicAttributes", [("TopicArn", api), ("AttributeName", "Policy"), ("AttributeValue", #"{"Version":"2012-10-17"}"#)])
        _ = await fixture.call("TagResource", [("ResourceArn", api), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "billing"),
                                               ("Tags.member.2.Key", "gone"), ("Tags.member.2.Value", "x")])
        _ = await fixture.call("UntagResource", [("ResourceArn", api), ("TagKeys.member.1", "gone")])
        let queueSub = try await fixture.subscribe(api, "sqs", SNSFixture.queueArn("inbox"), [("RawMessageDelivery", "true")])
        _ = await fixture.call("SetSubscriptionAttributes", [("SubscriptionArn", queueSub), ("AttributeName", "FilterPolicy"), ("AttributeValue", #"{"kind":["order"]}"#)])
        // An API subscription to the rule file's topic, pending confirmation.
        let declared = SNSFixture.topicArn("declared")
        let hookSub = try await fixture.subscribe(declared, "http", "http://hooks.test/in")
        let confirmation = await fixture.http.waitForPosts(1)[0].body
        let token = try #require(try JSONParser.parse(confirmation)["Token"]?.stringValue)
        // Created and removed again: not recovered.
        let gone = try await fixture.createTopic("gone")
        let removed = try await fixture.subscribe(api, "sqs", SNSFixture.queueArn("inbox-dlq"))
        _ = await fixture.call("Unsubscribe", [("SubscriptionArn", removed)])
        _ = await fixture.call("DeleteTopic", [("TopicArn", gone)])

        let (next, _, counts) = try Self.restart(fixture, journal, mode)
        #expect((counts.topics, counts.subscriptions, counts.topicRetries) == (1, 2, 0), "\(counts)")
        let topics = SNSFixture.text(await next.call("ListTopics"))
        #expect(topics.contains(api) && topics.contains(declared) && !topics.contains(gone), "\(topics)")
        let attributes = await next.call("GetTopicAttributes", [("TopicArn", api)])
        #expect(Self.value("DisplayName", in: attributes) == "Orders")
        #expect(Self.value("Policy", in: attributes) == "{&quot;Version&quot;:&quot;2012-10-17&quot;}")
        let tags = await next.call("ListTagsForResource", [("ResourceArn", api)])
        #expect(Self.value("team", in: tags) == "billing" && Self.value("gone", in: tags) == nil, "\(SNSFixture.text(tags))")
        let sub = await next.call("GetSubscriptionAttributes", [("SubscriptionArn", queueSub)])
        #expect(Self.value("RawMessageDelivery", in: sub) == "true")
        #expect(Self.value("FilterPolicy", in: sub) == "{&quot;kind&quot;:[&quot;order&quot;]}", "\(SNSFixture.text(sub))")
        #expect(await next.call("GetSubscriptionAttributes", [("SubscriptionArn", removed)]).status == 404)
        #expect(Self.value("PendingConfirmation", in: await next.call("GetSubscriptionAttributes", [("SubscriptionArn", hookSub)])) == "true")
        // The token sent before the restart confirms the subscription after it.
        let confirmed = await next.call("ConfirmSubscription", [("TopicArn", declared), ("Token", token)])
        #expect(SNSFixture.element("SubscriptionArn", in: confirmed) == hookSub, "\(SNSFixture.text(confirmed))")
        // The recovered subscription delivers, filter and raw delivery included.
        for kind in ["order", "refund"] {
            _ = await next.call("Publish", [("TopicArn", api), ("Message", kind), ("MessageAttributes.entry.1.Name", "kind"),
                                            ("MessageAttributes.entry.1.Value.DataType", "String"), ("MessageAttributes.entry.1.Value.StringValue", kind)])
        }
        #expect(try await next.drain("inbox").map(\.body) == ["order"])
    }

    @Test(arguments: Mode.allCases)
    func aRetryingHTTPDeliveryResumesWithItsAttemptCountAfterARestart(mode: Mode) async throws {
        let (fixture, journal) = try Self.journaled()
        let api = try await fixture.createTopic("hooks")
        let policy = #"{"healthyRetryPolicy":{"numRetries":3,"minDelayTarget":5,"maxDelayTarget":5}}"#
        let sub = try await fixture.subscribe(api, "https", "https://hooks.test/in", [("DeliveryPolicy", policy)])
        let token = try #require(try JSONParser.parse(await fixture.http.waitForPosts(1)[0].body)["Token"]?.stringValue)
        _ = await fixture.call("ConfirmSubscription", [("TopicArn", api), ("Token", token)])
        fixture.http.script([.status(500)])
        let published = await fixture.call("Publish", [("TopicArn", api), ("Message", "hello")])
        let messageId = try #require(SNSFixture.element("MessageId", in: published))
        #expect(fixture.http.posts.count == 2)

        let (next, nextJournal, counts) = try Self.restart(fixture, journal, mode)
        #expect(counts.topicRetries == 1, "\(counts)")
        // 1 attempt made before the restart; 3 retries allowed: 3 more, then it is given up.
        next.http.script([.status(500), .status(500), .status(500), .status(500)])
        await next.runtime.topics.settle(advancing: next.clock)
        let posts = next.http.posts
        #expect(posts.count == 3, "\(posts.map(\.body))")
        #expect(posts.allSatisfy { $0.body.contains(messageId) })
        let undelivered = try #require(await next.runtime.topics.topic(arn: api)?.undelivered)
        #expect(undelivered.map(\.attempts) == [4])
        #expect(undelivered.map(\.subscriptionArn) == [sub])
        // Its settling is journaled, so a further restart has nothing left to retry.
        #expect(nextJournal.records.withLock { $0.contains { $0.type == StateRecordType.topicDeliveryDone.rawValue } })
    }

    @Test(arguments: Mode.allCases)
    func aFIFODuplicateWithinFiveMinutesOfARestartIsStillDeduplicated(mode: Mode) async throws {
        let (fixture, journal) = try Self.journaled()
        let fifo = try await fixture.createTopic("api.fifo", [("FifoTopic", "true"), ("ContentBasedDeduplication", "true")])
        _ = try await fixture.subscribe(fifo, "sqs", SNSFixture.queueArn("ordered.fifo"))
        let first = await fixture.call("Publish", [("TopicArn", fifo), ("Message", "x"), ("MessageGroupId", "g")])
        let id = try #require(SNSFixture.element("MessageId", in: first))
        let sequence = try #require(SNSFixture.element("SequenceNumber", in: first))

        let (next, _, _) = try Self.restart(fixture, journal, mode)
        next.clock.advance(by: .seconds(240))
        let again = await next.call("Publish", [("TopicArn", fifo), ("Message", "x"), ("MessageGroupId", "g")])
        #expect(SNSFixture.element("MessageId", in: again) == id)
        #expect(SNSFixture.element("SequenceNumber", in: again) == sequence)
        #expect(await next.runtime.topics.topic(arn: fifo)?.statistics.deduplicated == 1)
        let other = await next.call("Publish", [("TopicArn", fifo), ("Message", "y"), ("MessageGroupId", "g")])
        #expect(try #require(SNSFixture.element("SequenceNumber", in: other)) > sequence)
        // "x" was delivered before the restart (its queue record recovered), "y" after it.
        #expect(try await next.drain("ordered.fifo").map(\.body).count == 2)
        // After the window the same message is a new one.
        next.clock.advance(by: .seconds(61))
        let late = await next.call("Publish", [("TopicArn", fifo), ("Message", "x"), ("MessageGroupId", "g")])
        #expect(SNSFixture.element("MessageId", in: late) != id)
    }

    @Test(arguments: [
        (UInt8(20), #"{"arn":"arn:aws:sns:us-east-1:123456789012:t"}"#, #"a topicPut record for arn:aws:sns:us-east-1:123456789012:t has no topic "t""#),
        (UInt8(20), #"{"arn":"arn:aws:sns:us-east-1:123456789012:t","t":{}}"#, #"a topicPut record for arn:aws:sns:us-east-1:123456789012:t has a topic "t" without a TopicName string"#),
        (UInt8(22), #"{"arn":"arn:aws:sns:us-east-1:123456789012:t:1","s":{}}"#, #"a subscriptionPut record for arn:aws:sns:us-east-1:123456789012:t:1 has no "topic" string that its ARN starts with"#),
        (UInt8(24), #"{"arn":"arn:aws:sns:us-east-1:123456789012:t","tags":[]}"#, #"a topicTags record for arn:aws:sns:us-east-1:123456789012:t has "tags" that is not an object (a JSON array)"#),
        (UInt8(25), #"{"arn":"arn:aws:sns:us-east-1:123456789012:t","k":"m|s"}"#, #"a topicDeliveryPut record for arn:aws:sns:us-east-1:123456789012:t needs the strings "k" (key), "s" (SubscriptionArn), "m" (MessageId) and "b" (body)"#),
        (UInt8(27), #"{"arn":"arn:aws:sns:us-east-1:123456789012:t.fifo","d":{}}"#, #"a topicDeduplication record for arn:aws:sns:us-east-1:123456789012:t.fifo needs "d" with a MessageDeduplicationId and "n" (the sequence, a decimal string)"#),
        (UInt8(21), #"{}"#, #"a topicDelete record has no "arn""#),
    ])
    func aCorruptTopicRecordSaysWhichAndWhatIsWrong(type: UInt8, payload: String, message: String) {
        var state = StateRecovery()
        #expect(throws: StateJournalFailure.self) { try state.apply(StateRecord(type: type, payload: Array(payload.utf8))) }
        do { try state.apply(StateRecord(type: type, payload: Array(payload.utf8))) } catch { #expect(error.message == message) }
    }

    @Test func aRecoveredSubscriptionThatDoesNotReadStopsTheStartNamingIt() throws {
        var state = StateRecovery()
        let arn = "arn:aws:sns:us-east-1:123456789012:declared:1"
        try state.apply(StateRecord(type: 22, payload: Array(#"{"arn":"\#(arn)","topic":"arn:aws:sns:us-east-1:123456789012:declared","s":{"Protocol":"smtp","Endpoint":"x"}}"#.utf8)))
        let fixture = try SNSFixture()
        #expect(throws: StateJournalFailure.self) { _ = try state.restore(into: fixture.runtime) }
        do { _ = try state.restore(into: fixture.runtime) } catch {
            #expect(error.message == "the recovered subscription \(arn) needs a Protocol (sqs, lambda, http or https) and an Endpoint string")
        }
    }
}
