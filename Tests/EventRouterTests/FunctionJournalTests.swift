import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// The function side's records (docs/durability.md, "Functions") on a manual clock: an
/// asynchronous invocation is journaled when accepted, its retry state when an attempt fails,
/// its end after the destination; recovered, it resumes at its next-attempt time with its counts.
@Suite struct FunctionJournalTests {
    /// Keeps every record submitted.
    final class Recorder: StateJournal {
        let records = Mutex<[StateRecord]>([])
        func submit(_ records: [StateRecord]) -> StateJournalTicket {
            self.records.withLock { $0.append(contentsOf: records) }
            return .none
        }
        var all: [(type: UInt8, json: JSONValue)] {
            records.withLock { $0 }.map { ($0.type, (try? JSONParser.parse(bytes: $0.payload)) ?? .null) }
        }
    }

    struct Failure: Error {}

    /// How often the handler ran.
    final class Runs: Sendable {
        private let n = Atomic<Int>(0)
        func add() { n.add(1, ordering: .relaxed) }
        var count: Int { n.load(ordering: .relaxed) }
    }

    private func engine(clock: ManualClock, sink: RecordingDestinationSink, journal: FunctionJournal, runs: Runs) -> AsyncInvocationEngine {
        let manifest = FunctionManifest.swiftTest(retries: 1, onFailure: FunctionTestARNs.queue)
        let runtime = FunctionRuntime(manifest: manifest, handler: ClosureFunctionHandler { _, _ in
            runs.add()
            throw Failure()
        }, clock: ManualClock())
        return AsyncInvocationEngine(runtime: runtime, clock: clock, sink: sink, random: SharedRandom(seed: 7), journal: journal)
    }

    @Test func aFailedAttemptKeepsItsCountAndNextAttemptTimeThroughRecovery() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink(), recorder = Recorder(), runs = Runs()
        let journal = FunctionJournal()
        journal.attach(recorder)
        let first = engine(clock: clock, sink: sink, journal: journal, runs: runs)
        let accepted = clock.now
        let id = await first.enqueue(["order": 7])
        await clock.waitForSleepers(1)
        let written = recorder.all
        #expect(written.map(\.type) == [StateRecordType.invokeQueued.rawValue, StateRecordType.invokeAttempt.rawValue])
        #expect(written.first?.json["id"] == .string(id))
        #expect(written.first?.json["p"] == ["order": 7])
        #expect(written.last?.json["n"] == 1)
        let retryAt = accepted + .seconds(60)
        #expect(written.last?.json["at"] == .number(JSONNumber(Int(retryAt.millisecondsSinceEpoch))))
        #expect(written.last?.json["r"]?["e"]?["type"] != nil)
        // The process ends here (kill -9): the parked retry never runs.
        await first.shutdown()
        #expect(runs.count == 1)

        var recovery = StateRecovery()
        for record in recorder.records.withLock({ $0 }) { try recovery.apply(record) }
        let pending = recovery.functions.pendingInvocations()
        try #require(pending.count == 1)
        #expect(pending[0].event.invokeCount == 1)
        #expect(pending[0].retryAt == retryAt)

        let again = Recorder(), restored = FunctionJournal()
        restored.attach(again)
        restored.restore(configs: [:], mappings: [], invocations: [pending[0].key: written[0].json], nextKey: 2)
        // The restarted process: a new clock, a little later than the failure.
        let later = ManualClock(start: accepted + .seconds(5))
        let second = engine(clock: later, sink: sink, journal: restored, runs: runs)
        await second.resume(pending[0].event, key: pending[0].key, retryAt: pending[0].retryAt)
        await later.waitForSleepers(1)
        #expect(later.nextDeadline == retryAt, "the retry waits for its stored time, not a fresh delay")
        later.advance(to: retryAt)
        await second.waitUntilIdle()
        #expect(runs.count == 2, "one attempt after the restart: MaximumRetryAttempts 1 counts the one before it")
        let message = try #require(sink.messages.first)
        #expect(message.body["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(message.body["requestContext"]?["approximateInvokeCount"] == 2)
        #expect(message.body["requestContext"]?["requestId"] == .string(id))
        #expect(again.all.map(\.type) == [StateRecordType.invokeDone.rawValue])
        #expect(restored.journalJSON()["invocations"] == [])
    }

    @Test func aSnapshotPlusTheReplayedTailHoldsEachInvocationOnceWithItsLatestState() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink(), recorder = Recorder(), runs = Runs()
        let journal = FunctionJournal()
        journal.attach(recorder)
        let e = engine(clock: clock, sink: sink, journal: journal, runs: runs)
        await e.enqueue(["order": 1])
        await clock.waitForSleepers(1)
        // The snapshot is captured after both records; replaying them (the tail after its roll) changes nothing.
        let snapshot: JSONValue = ["format": 1, "functions": journal.journalJSON()]
        var recovery = StateRecovery()
        try recovery.applySnapshot(Array(snapshot.jsonText.utf8))
        for record in recorder.records.withLock({ $0 }) { try recovery.apply(record) }
        let pending = recovery.functions.pendingInvocations()
        #expect(pending.count == 1)
        #expect(pending.first?.event.invokeCount == 1)
        #expect(pending.first?.retryAt == clock.now + .seconds(60))
        #expect(journal.journalJSON()["nextKey"] == 2)
        await e.shutdown()
    }

    @Test func aSucceededInvocationIsDoneAndNotRecovered() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink(), recorder = Recorder()
        let journal = FunctionJournal()
        journal.attach(recorder)
        let runtime = FunctionRuntime(manifest: .swiftTest(onSuccess: FunctionTestARNs.okQueue), handler: ClosureFunctionHandler { e, _ in e }, clock: ManualClock())
        let engine = AsyncInvocationEngine(runtime: runtime, clock: clock, sink: sink, journal: journal)
        await engine.enqueue(["a": 1])
        await engine.waitUntilIdle()
        #expect(sink.messages.count == 1)
        #expect(recorder.all.map(\.type) == [StateRecordType.invokeQueued.rawValue, StateRecordType.invokeDone.rawValue])
        var recovery = StateRecovery()
        for record in recorder.records.withLock({ $0 }) { try recovery.apply(record) }
        #expect(recovery.functions.pendingInvocations().isEmpty)
    }

    @Test func inMemoryNothingIsRecorded() async throws {
        let journal = FunctionJournal()
        #expect(!journal.isJournaled)
        #expect(journal.queued("arn:aws:lambda:us-east-1:123456789012:function:fn",
                               AsyncInvocationStateMachine.Event(requestId: "r", payload: [:], enqueuedAt: .epoch)) == nil)
        #expect(journal.journalJSON()["invocations"] == [])
    }

    static let fn = "arn:aws:lambda:us-east-1:123456789012:function:fn"

    @Test(arguments: [
        (UInt8(50), #"{"c":{}}"#, #"a functionConfig record has no function "arn""#),
        (UInt8(50), #"{"arn":"\#(fn)","c":{"MaximumRetryAttempts":7,"MaximumEventAgeInSeconds":60}}"#,
         "a functionConfig record for \(fn) has MaximumRetryAttempts 7; it must be a whole number from 0 to 2"),
        (UInt8(51), #"{"arn":"\#(fn)","k":1,"t":0,"n":0,"th":0}"#, #"an invokeQueued record for \#(fn) has no request id "id" or payload "p""#),
        (UInt8(51), #"{"arn":"\#(fn)","k":1,"id":"r","p":{},"t":"soon","n":0,"th":0}"#,
         #"an invokeQueued record for \#(fn) needs "t" as milliseconds since the epoch (a whole number)"#),
        (UInt8(52), #"{"arn":"\#(fn)","k":-3}"#, #"an invokeAttempt record for \#(fn) has no invocation key "k" (a whole number > 0)"#),
        (UInt8(60), #"{"arn":"\#(fn)","u":"u-1"}"#, #"a mappingPut record for \#(fn) has no settings object "c""#),
        (UInt8(61), #"{"arn":"\#(fn)"}"#, #"a mappingDelete record for \#(fn) has no mapping UUID "u""#),
    ])
    func aCorruptFunctionRecordSaysWhichAndWhatIsWrong(type: UInt8, payload: String, message: String) throws {
        var recovery = StateRecovery()
        #expect(throws: StateJournalFailure.self) { try recovery.apply(StateRecord(type: type, payload: Array(payload.utf8))) }
        do {
            try recovery.apply(StateRecord(type: type, payload: Array(payload.utf8)))
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func aMappingPutWithBadSettingsNamesTheProblem() throws {
        var recovery = StateRecovery()
        let payload = #"{"arn":"\#(Self.fn)","u":"u-1","t":0,"c":{"EventSourceArn":"arn:aws:sqs:us-east-1:123456789012:q","BatchSize":0}}"#
        do {
            try recovery.apply(StateRecord(type: 60, payload: Array(payload.utf8)))
            Issue.record("a BatchSize of 0 was accepted")
        } catch {
            #expect(error.message.hasPrefix("a mappingPut record for \(Self.fn) has settings that are not a valid mapping: "), "\(error.message)")
            #expect(error.message.contains("BatchSize"), "\(error.message)")
        }
    }
}
