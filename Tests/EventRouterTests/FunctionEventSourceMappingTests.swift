import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct FunctionSQSBatchResponseTests {
    static let batch = ["m1", "m2", "m3", "m4"]

    private static func ok(_ json: String) -> InvocationResult {
        (try? JSONValue(parsing: json)).map { .success($0) } ?? .functionError(.init(type: "bad", message: json))
    }

    @Test(arguments: [
        ("null", "success"),
        ("{}", "success"),
        (#"{"batchItemFailures": null}"#, "success"),
        (#"{"batchItemFailures": []}"#, "success"),
        (#"{"somethingElse": 1}"#, "success"),
        (#"{"batchItemFailures": [{"itemIdentifier": "m3"}]}"#, "m3"),
        (#"{"batchItemFailures": [{"itemIdentifier": "m4"}, {"itemIdentifier": "m2"}]}"#, "m2,m4"),
        (#"{"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m2"}]}"#, "m2"),
        (#"{"batchItemFailures": [{"itemIdentifier": ""}]}"#, "whole"),
        (#"{"batchItemFailures": [{"itemIdentifier": null}]}"#, "whole"),
        (#"{"batchItemFailures": [{"itemId": "m1"}]}"#, "whole"),
        (#"{"batchItemFailures": [{"itemIdentifier": "m9"}]}"#, "whole"),
        (#"{"batchItemFailures": [{"itemIdentifier": 3}]}"#, "whole"),
        (#"{"batchItemFailures": ["m1"]}"#, "whole"),
        (#"{"batchItemFailures": "m1"}"#, "whole"),
        (#"["m1"]"#, "whole"),
        (#""ok""#, "whole"),
    ])
    func reportBatchItemFailuresRules(response: String, expected: String) {
        let outcome = SQSBatchResponse.evaluate(messageIds: Self.batch, result: Self.ok(response), reportBatchItemFailures: true)
        switch expected {
        case "success": #expect(outcome == .allSucceeded)
        case "whole":
            guard case .batchFailed = outcome else {
                Issue.record("expected the whole batch to fail, got \(outcome)")
                return
            }
            #expect(outcome.failedIds(in: Self.batch) == Self.batch)
        default: #expect(outcome == .partialFailure(expected.split(separator: ",").map(String.init)))
        }
    }

    @Test func functionErrorsAndInvalidJSONFailTheWholeBatch() {
        let invalid = InvocationResult.functionError(.init(type: "Runtime.InvalidResponse", message: "the function's output is not valid JSON"))
        for result in [invalid, .functionError(.init(type: "Error", message: "boom")), .throttled] {
            for report in [true, false] {
                guard case .batchFailed = SQSBatchResponse.evaluate(messageIds: Self.batch, result: result, reportBatchItemFailures: report) else {
                    Issue.record("expected batch failure for \(result)")
                    continue
                }
            }
        }
    }

    @Test func withoutReportBatchItemFailuresAnySuccessDeletesTheBatch() {
        let outcome = SQSBatchResponse.evaluate(
            messageIds: Self.batch, result: Self.ok(#"{"batchItemFailures": [{"itemIdentifier": "m1"}]}"#), reportBatchItemFailures: false)
        #expect(outcome == .allSucceeded)
    }

    @Test(arguments: [
        (#"{"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}, {"itemIdentifier": "m4"}]}"#, ["m2", "m3", "m4"]),
        (#"{"batchItemFailures": [{"itemIdentifier": "m2"}]}"#, ["m2", "m3", "m4"]),
        (#"{"batchItemFailures": [{"itemIdentifier": "m4"}, {"itemIdentifier": "m3"}]}"#, ["m3", "m4"]),
    ])
    func fifoStopsAtTheFirstFailureAndReturnsTheRest(response: String, failed: [String]) {
        let outcome = SQSBatchResponse.evaluate(messageIds: Self.batch, result: Self.ok(response), reportBatchItemFailures: true, fifo: true)
        #expect(outcome == .partialFailure(failed))
    }
}

@Suite struct FunctionKinesisMappingTests {
    typealias SM = KinesisShardStateMachine
    let t0 = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)

    private func records(_ n: Int, from: Int = 1, at time: Timestamp? = nil) -> [SM.Record] {
        (from..<(from + n)).map { SM.Record(sequenceNumber: "4960000000000000000000000\(100 + $0)", approximateArrivalTimestamp: time ?? t0) }
    }

    private func machine(bisect: Bool = false, retries: Int = -1, maxAge: Int = -1, report: Bool = false) -> SM {
        var c = SM.Configuration(streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/orders", shardId: "shardId-000000000000",
                                 functionArn: "arn:aws:lambda:us-east-1:123456789012:function:fn")
        c.bisectBatchOnFunctionError = bisect
        c.maximumRetryAttempts = retries
        c.maximumRecordAgeInSeconds = maxAge
        c.reportBatchItemFailures = report
        return SM(configuration: c)
    }

    private let error = InvocationResult.functionError(.init(type: "Error", message: "boom"))

    @Test func successCheckpointsTheLastRecord() {
        var m = machine()
        let batch = records(3)
        #expect(m.start(batch, now: t0) == [.invoke(batch)])
        #expect(m.attemptEnded(.success(nil), requestId: "r", now: t0) == [.checkpoint(batch[2].sequenceNumber), .batchDone])
    }

    @Test func errorsRetryTheSameBatchUntilMaximumRetryAttemptsThenDiscard() throws {
        var m = machine(retries: 2)
        let batch = records(3)
        _ = m.start(batch, now: t0)
        #expect(m.attemptEnded(error, requestId: "r1", now: t0) == [.invoke(batch)])
        #expect(m.attemptEnded(error, requestId: "r2", now: t0) == [.invoke(batch)])
        let actions = m.attemptEnded(error, requestId: "r3", now: t0)
        try #require(actions.count == 3)
        #expect(actions[1] == .checkpoint(batch[2].sequenceNumber))
        #expect(actions[2] == .batchDone)
        guard case .discard(let record) = actions[0] else {
            Issue.record("expected a discard")
            return
        }
        #expect(record["requestContext"]?["condition"] == "RetryAttemptsExhausted")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 3)
        #expect(record["requestContext"]?["requestId"] == "r3")
        #expect(record["responseContext"]?["functionError"] == "Unhandled")
        #expect(record["KinesisBatchInfo"] == [
            "shardId": "shardId-000000000000",
            "startSequenceNumber": .string(batch[0].sequenceNumber), "endSequenceNumber": .string(batch[2].sequenceNumber),
            "approximateArrivalOfFirstRecord": .string(t0.iso8601Milliseconds), "approximateArrivalOfLastRecord": .string(t0.iso8601Milliseconds),
            "batchSize": 3, "streamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/orders",
        ])
        #expect(record["version"] == "1.0")
        #expect(record["Data"] == nil)
    }

    @Test func infiniteRetriesBlockTheShardUntilSuccess() {
        var m = machine()
        let batch = records(2)
        _ = m.start(batch, now: t0)
        for _ in 0..<50 { #expect(m.attemptEnded(error, requestId: "r", now: t0) == [.invoke(batch)]) }
        #expect(m.retries == 50)
        #expect(m.attemptEnded(.success(nil), requestId: "r", now: t0) == [.checkpoint(batch[1].sequenceNumber), .batchDone])
    }

    @Test func bisectSplitsWithoutCountingRetries() {
        var m = machine(bisect: true, retries: 0)
        let batch = records(4)
        _ = m.start(batch, now: t0)
        #expect(m.attemptEnded(error, requestId: "r", now: t0) == [.invoke(Array(batch[0..<2]))])
        #expect(m.retries == 0)
        #expect(m.attemptEnded(.success(nil), requestId: "r", now: t0) == [.checkpoint(batch[1].sequenceNumber), .invoke(Array(batch[2..<4]))])
        #expect(m.attemptEnded(error, requestId: "r", now: t0) == [.invoke([batch[2]])])
        let actions = m.attemptEnded(error, requestId: "r", now: t0)
        #expect(actions.count == 3)
        #expect(actions.dropFirst().first == .checkpoint(batch[2].sequenceNumber))
        #expect(actions.last == .invoke([batch[3]]))
        if case .discard(let record)? = actions.first {
            #expect(record["KinesisBatchInfo"]?["batchSize"] == 1)
            #expect(record["KinesisBatchInfo"]?["startSequenceNumber"] == .string(batch[2].sequenceNumber))
        } else {
            Issue.record("expected a discard of the failing record")
        }
        #expect(m.attemptEnded(.success(nil), requestId: "r", now: t0) == [.checkpoint(batch[3].sequenceNumber), .batchDone])
    }

    @Test(arguments: [
        (#"{"batchItemFailures": [{"itemIdentifier": "SEQ3"}, {"itemIdentifier": "SEQ2"}]}"#, 2),
        (#"{"batchItemFailures": [{"itemIdentifier": "SEQ1"}]}"#, 1),
        (#"{"batchItemFailures": [{"itemIdentifier": "SEQ4"}]}"#, 4),
    ])
    func partialFailuresCheckpointBeforeTheLowestFailedSequenceNumber(response: String, lowest: Int) throws {
        var m = machine(report: true)
        let batch = records(4)
        var text = response
        for (i, r) in batch.enumerated() { text = text.replacingOccurrences(of: "SEQ\(i + 1)", with: r.sequenceNumber) }
        _ = m.start(batch, now: t0)
        let actions = m.attemptEnded(.success(try JSONValue(parsing: text)), requestId: "r", now: t0)
        let rest = Array(batch[(lowest - 1)...])
        if lowest == 1 {
            #expect(actions == [.invoke(rest)])
        } else {
            #expect(actions == [.checkpoint(batch[lowest - 2].sequenceNumber), .invoke(rest)])
        }
        #expect(m.retries == 1)
    }

    @Test(arguments: [
        ("null", true), ("{}", true), (#"{"batchItemFailures": []}"#, true), (#"{"batchItemFailures": null}"#, true),
        (#"{"batchItemFailures": [{"itemIdentifier": ""}]}"#, false), (#"{"batchItemFailures": [{"itemIdentifier": "999"}]}"#, false),
        (#"{"batchItemFailures": [{"id": "x"}]}"#, false), (#"{"batchItemFailures": 5}"#, false), ("[1]", false),
    ])
    func batchItemFailureResponsesForStreams(response: String, success: Bool) throws {
        var m = machine(report: true)
        let batch = records(2)
        _ = m.start(batch, now: t0)
        let actions = m.attemptEnded(.success(try JSONValue(parsing: response)), requestId: "r", now: t0)
        #expect(actions == (success ? [.checkpoint(batch[1].sequenceNumber), .batchDone] : [.invoke(batch)]))
    }

    @Test func expiredRecordsAreDiscardedBeforeAnAttempt() throws {
        var m = machine(maxAge: 60)
        let old = records(2, from: 1, at: t0)
        let young = records(2, from: 3, at: t0 + .seconds(50))
        _ = m.start(old + young, now: t0 + .seconds(30))
        let actions = m.attemptEnded(error, requestId: "r", now: t0 + .seconds(61))
        try #require(actions.count == 3)
        guard case .discard(let record) = actions[0] else {
            Issue.record("expected a discard")
            return
        }
        #expect(record["KinesisBatchInfo"]?["batchSize"] == 2)
        #expect(record["KinesisBatchInfo"]?["endSequenceNumber"] == .string(old[1].sequenceNumber))
        #expect(actions[1] == .checkpoint(old[1].sequenceNumber))
        #expect(actions[2] == .invoke(young))
    }

    @Test func throttlesRetryWithoutCounting() {
        var m = machine(retries: 0)
        let batch = records(1)
        _ = m.start(batch, now: t0)
        #expect(m.attemptEnded(.throttled, requestId: "r", now: t0) == [.invoke(batch)])
        #expect(m.retries == 0)
    }
}
