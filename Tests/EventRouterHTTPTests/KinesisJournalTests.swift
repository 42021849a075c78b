import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// Kinesis with a data directory: a change is answered only once its records are stored; a record
/// the journal cannot store fails the request with 503 ServiceUnavailable, and reads go on.
@Suite struct KinesisJournalTests {
    /// Keeps records, or refuses them (a full disk).
    final class Journal: StateJournal {
        let records = Mutex<[StateRecord]>([])
        let failure = Mutex<String?>(nil)
        func submit(_ records: [StateRecord]) -> StateJournalTicket {
            if let message = failure.withLock({ $0 }) { return StateJournalTicket(Failed(message: message)) }
            self.records.withLock { $0.append(contentsOf: records) }
            return .none
        }
        struct Failed: StateJournalPending {
            let message: String
            func stored() async throws(StateJournalFailure) { throw StateJournalFailure(message) }
            func whenStored(_ body: @escaping @Sendable (StateJournalFailure?) -> Void) { body(StateJournalFailure(message)) }
        }
    }

    @Test func aRecordNotStoredFailsPutRecordWith503AndReadsGoOn() async throws {
        let fixture = try KinesisFixture()
        let journal = Journal()
        fixture.runtime.attachJournal(journal)
        _ = try await fixture.ok("PutRecord", #"{"StreamName":"clicks","Data":"YQ==","PartitionKey":"k"}"#)
        _ = try await fixture.ok("CreateStream", #"{"StreamName":"more","ShardCount":1}"#)
        #expect(journal.records.withLock { $0.map(\.type) } == [StateRecordType.streamRecords.rawValue, StateRecordType.streamPut.rawValue])
        journal.failure.withLock { $0 = "cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored" }
        let response = await fixture.json("PutRecord", #"{"StreamName":"clicks","Data":"Yg==","PartitionKey":"k"}"#)
        #expect(response.status == 503)
        let body = try KinesisFixture.object(response)
        #expect(body["message"]?.stringValue ?? body["Message"]?.stringValue == "The request was not stored, so it did not take effect as far as any later start is concerned: cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored. Retry once the data directory has room again; reads keep being served.")
        _ = try await fixture.ok("DescribeStreamSummary", #"{"StreamName":"clicks"}"#)
    }
}
