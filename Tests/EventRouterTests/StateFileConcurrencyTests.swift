import Foundation
import Synchronization
import Testing
@testable import EventRouter

/// Item 5 of issue 10: state-file commands run at the same time on one file keep every
/// acknowledged write, never hand a message to two receivers, and give unique ids.
@Suite struct StateFileConcurrencyTests {
    static let queue = "arn:aws:sqs:us-east-1:123456789012:jobs"

    static func messageIds(in file: StateFileStore, queue: String = queue) throws -> [String] {
        let state = try JSONParser.parse(try #require(try TextFile.read(file.path)))
        return (state["queues"]?[queue]?["messages"]?.arrayValue ?? []).compactMap { $0["MessageId"]?.stringValue }
    }

    static func send(_ body: String, _ file: StateFileStore, queue: String = "jobs", group: String? = nil, dedup: String? = nil) async throws -> String {
        let out = try await QueueStateFileOperations.run(
            .send(body: body, attributes: [:], delaySeconds: nil, groupId: group, deduplicationId: dedup), queue: queue, file: file)
        return try #require(out["MessageId"]?.stringValue)
    }

    @Test func concurrentSendersKeepEveryAcknowledgedMessageExactlyOnce() async throws {
        let folder = try FunctionTempFolder()
        let file = StateFileStore(path: folder.path + "/state.json")
        _ = try await QueueStateFileOperations.run(.create(attributes: JSONObject()), queue: "jobs", file: file)
        // 8 senders × 25 sends; each acquires the lock through its own descriptor on its own thread.
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for sender in 0..<8 {
                group.addTask {
                    var ids: [String] = []
                    for n in 0..<25 { ids.append(try await Self.send("sender \(sender) message \(n)", file)) }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(acknowledged.count == 200)
        #expect(Set(acknowledged).count == 200)
        let stored = try Self.messageIds(in: file)
        #expect(stored.count == 200)
        #expect(Set(stored) == Set(acknowledged))
    }

    @Test func concurrentReceiversNeverGetTheSameMessage() async throws {
        let folder = try FunctionTempFolder()
        let file = StateFileStore(path: folder.path + "/state.json")
        _ = try await QueueStateFileOperations.run(.create(attributes: JSONObject()), queue: "jobs", file: file)
        for n in 0..<30 { _ = try await Self.send("job \(n)", file) }
        let received = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<6 {
                group.addTask {
                    var ids: [String] = []
                    while true {
                        let out = try await QueueStateFileOperations.run(
                            .receive(maxNumberOfMessages: 2, visibilityTimeout: 600, waitTimeSeconds: 0), queue: "jobs", file: file)
                        let got = (out["Messages"]?.arrayValue ?? []).compactMap { $0["MessageId"]?.stringValue }
                        if got.isEmpty { return ids }
                        ids += got
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(received.count == 30)
        #expect(Set(received).count == 30)
    }

    @Test func concurrentStreamPutsKeepEveryRecord() async throws {
        let folder = try FunctionTempFolder()
        let file = StateFileStore(path: folder.path + "/state.json")
        _ = try await StreamStateFileOperations.run(.create(shardCount: 2, retentionPeriodHours: 24), stream: "clicks", file: file)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for n in 0..<10 {
                        _ = try await StreamStateFileOperations.run(.put([PutRecordsEntry(data: "w\(writer)-\(n)", partitionKey: "k\(n)")]), stream: "clicks", file: file)
                    }
                }
            }
            try await group.waitForAll()
        }
        let state = try JSONParser.parse(try #require(try TextFile.read(file.path)))
        let shards = state["streams"]?["arn:aws:kinesis:us-east-1:123456789012:stream/clicks"]?["shards"]?.arrayValue ?? []
        let data = shards.flatMap { $0["records"]?.arrayValue ?? [] }.compactMap { $0["Data"]?.stringValue }
        #expect(data.count == 40)
        #expect(Set(data).count == 40)
    }

    @Test func aWaitingCommandSaysSoAndGoesOnWhenTheLockIsReleased() async throws {
        let folder = try FunctionTempFolder()
        let file = StateFileStore(path: folder.path + "/state.json")
        _ = try await QueueStateFileOperations.run(.create(attributes: JSONObject()), queue: "jobs", file: file)
        // Another "process": a descriptor of our own holding the lock.
        let holder = open(file.lockPath, O_RDWR)
        #expect(holder >= 0)
        #expect(flock(holder, LOCK_EX) == 0)
        let (told, tell) = AsyncStream.makeStream(of: String.self)
        let send = Task {
            defer { tell.finish() }  // a send that never waited ends the stream: the test fails, not hangs
            return try await QueueStateFileOperations.run(
                .send(body: "waits", attributes: [:], delaySeconds: nil, groupId: nil, deduplicationId: nil), queue: "jobs", file: file,
                whileWaiting: { tell.yield($0) })
        }
        var iterator = told.makeAsyncIterator()
        let message = await iterator.next()
        #expect(message == "waiting for another eventrouter command to finish with \(file.path) (it holds \(file.lockPath))")
        #expect(try Self.messageIds(in: file).isEmpty)
        close(holder)
        let out = try await send.value
        #expect(try Self.messageIds(in: file) == [out["MessageId"]?.stringValue ?? "?"])
    }

    @Test func idsAreUniqueAcrossCommandsOnTheSameSnapshot() async throws {
        let folder = try FunctionTempFolder()
        let file = StateFileStore(path: folder.path + "/state.json")
        _ = try await QueueStateFileOperations.run(.create(attributes: JSONObject()), queue: "jobs", file: file, now: Timestamp(iso8601: "2024-01-01T00:00:00Z"))
        let first = try await Self.send("a", file)
        let second = try await Self.send("a", file)
        #expect(first != second)
        // A given seed still fixes the ids.
        let state: JSONValue = ["queues": [:]]
        let clock = ManualClock()
        let a = try await QueueStateFileOperations.run(.create(attributes: JSONObject()), queue: "q", state: state, clock: clock, seed: 7)
        let s1 = try await QueueStateFileOperations.run(.send(body: "x", attributes: [:], delaySeconds: nil, groupId: nil, deduplicationId: nil),
                                                queue: "q", state: a.state, clock: clock, seed: 7)
        let s2 = try await QueueStateFileOperations.run(.send(body: "x", attributes: [:], delaySeconds: nil, groupId: nil, deduplicationId: nil),
                                                queue: "q", state: a.state, clock: clock, seed: 7)
        #expect(s1.output["MessageId"] == s2.output["MessageId"])
    }

    @Test func fifoDeduplicationHoldsAcrossCommands() async throws {
        let folder = try FunctionTempFolder()
        let file = StateFileStore(path: folder.path + "/state.json")
        let start = Timestamp(iso8601: "2024-01-01T00:00:00Z")
        _ = try await QueueStateFileOperations.run(.create(attributes: JSONObject([.init(key: "FifoQueue", value: true)])), queue: "jobs.fifo", file: file, now: start)
        let first = try await Self.send("a", file, queue: "jobs.fifo", group: "g", dedup: "d1")
        let again = try await Self.send("b", file, queue: "jobs.fifo", group: "g", dedup: "d1")
        #expect(again == first)
        let fifo = "arn:aws:sqs:us-east-1:123456789012:jobs.fifo"
        #expect(try Self.messageIds(in: file, queue: fifo) == [first])
        // Five minutes later the id is forgotten; sequence numbers keep increasing after the messages are gone.
        let later = try #require(start) + .seconds(301)
        _ = try await QueueStateFileOperations.run(.purge, queue: "jobs.fifo", file: file, now: later)
        let out = try await QueueStateFileOperations.run(
            .send(body: "c", attributes: [:], delaySeconds: nil, groupId: "g", deduplicationId: "d1"), queue: "jobs.fifo", file: file, now: later)
        #expect(out["MessageId"]?.stringValue != first)
        #expect(out["SequenceNumber"] == "00000000000000000002")
        #expect(try Self.messageIds(in: file, queue: fifo).count == 1)
    }

    @Test func snsFifoDeduplicationHoldsAcrossCommands() async throws {
        let rules = TopicStateFileOperations.RuleFile(path: "Rules/t.json", text: """
            {"Queues": [{"QueueName": "out.fifo", "FifoQueue": true}],
             "Topics": [{"TopicName": "orders.fifo", "FifoTopic": true, "Subscription": [
                {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:out.fifo", "RawMessageDelivery": true}]}]}
            """)
        let d = try TopicStateFileOperations.declarations(in: [rules])
        let folder = try FunctionTempFolder()
        let file = StateFileStore(path: folder.path + "/state.json")
        let message = TopicMessage(message: "m", groupId: "g", deduplicationId: "d1")
        let first = try await TopicStateFileOperations.publish(message, topic: "orders.fifo", declarations: d, file: file)
        let second = try await TopicStateFileOperations.publish(TopicMessage(message: "other", groupId: "g", deduplicationId: "d1"),
                                                        topic: "orders.fifo", declarations: d, file: file)
        #expect(first["Deduplicated"] == nil)
        #expect(second["Deduplicated"] == true)
        #expect(second["MessageId"] == first["MessageId"])
        #expect(try Self.messageIds(in: file, queue: "arn:aws:sqs:us-east-1:123456789012:out.fifo").count == 1)
        let third = try await TopicStateFileOperations.publish(TopicMessage(message: "new", groupId: "g", deduplicationId: "d2"),
                                                       topic: "orders.fifo", declarations: d, file: file)
        #expect(third["MessageId"] != first["MessageId"])
        #expect(third["SequenceNumber"] != first["SequenceNumber"])
    }
}
