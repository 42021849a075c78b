import Testing
@testable import EventRouter

@Suite struct QueueStateFileOperationsTests {
    func run(_ action: QueueStateFileOperations.Action, _ queue: String, _ state: JSONValue, at clock: ManualClock) async throws -> QueueStateFileOperations.Outcome {
        try await QueueStateFileOperations.run(action, queue: queue, state: state, clock: clock)
    }

    @Test func sendReceiveDeleteAcrossSavedStates() async throws {
        let clock = ManualClock()
        var state = try QueueStateFileOperations.parseState(nil, file: "x")
        state = try await run(.create(attributes: JSONObject()), "jobs", state, at: clock).state
        state = try await run(.send(body: "b", attributes: ["k": .string("v")], delaySeconds: nil, groupId: nil, deduplicationId: nil), "jobs", state, at: clock).state
        // Each call starts from text, as the command does.
        state = try JSONParser.parse(state.jsonText)
        let received = try await run(.receive(maxNumberOfMessages: 10, visibilityTimeout: nil, waitTimeSeconds: nil), "jobs", state, at: clock)
        let message = try #require(received.output["Messages"]?.arrayValue?.first)
        #expect(message["Body"] == "b")
        #expect(message["MessageAttributes"]?["k"]?["StringValue"] == "v")
        let handle = try #require(message["ReceiptHandle"]?.stringValue)
        state = try JSONParser.parse(received.state.jsonText)
        let stats = try await run(.stats, "jobs", state, at: clock).output
        #expect(stats["Attributes"]?["ApproximateNumberOfMessagesNotVisible"] == "1")
        let deleted = try await run(.delete(receiptHandle: handle), "arn:aws:sqs:us-east-1:123456789012:jobs", state, at: clock)
        #expect(deleted.output == ["Deleted": true])
        #expect(deleted.state["queues"]?["arn:aws:sqs:us-east-1:123456789012:jobs"]?["messages"] == [])
    }

    @Test func longPollJumpsAManualClockToTheNextVisibilityChange() async throws {
        let clock = ManualClock()
        var state = try await run(.create(attributes: JSONObject()), "jobs", ["queues": [:], "streams": [:]], at: clock).state
        state = try await run(.send(body: "later", attributes: [:], delaySeconds: 7, groupId: nil, deduplicationId: nil), "jobs", state, at: clock).state
        let start = clock.now
        let got = try await run(.receive(maxNumberOfMessages: 1, visibilityTimeout: nil, waitTimeSeconds: 20), "jobs", state, at: clock)
        #expect(got.output["Messages"]?.arrayValue?.first?["Body"] == "later")
        #expect(clock.now == start + .seconds(7))
        #expect(got.state["streams"] == [:]) // other keys are kept
    }

    @Test func attributeArguments() throws {
        #expect(try QueueStateFileOperations.parseAttribute("a=b=c") == ("a", .string("b=c")))
        #expect(try QueueStateFileOperations.parseAttribute("n:Number=4") == ("n", .number("4")))
        #expect(try QueueStateFileOperations.parseAttribute("bin:Binary=AP8H") == ("bin", .binary([0, 255, 7])))
        let error = #expect(throws: QueueError.self) { try QueueStateFileOperations.parseAttribute("novalue") }
        #expect(error?.message == "--attribute 'novalue' has no '=': write NAME=VALUE, NAME:Number=VALUE or NAME:Binary=BASE64.")
    }

    @Test func badStateFile() throws {
        let error = #expect(throws: QueueError.self) { _ = try QueueStateFileOperations.parseState("[1]", file: "s.json") }
        #expect(error?.message == "State file s.json holds a JSON array: it must be a JSON object with a \"queues\" key.")
    }
}
