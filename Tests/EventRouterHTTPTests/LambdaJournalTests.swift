import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// Lambda with a data directory: the calls that change durable function state submit their
/// records before they answer; a record the journal cannot store fails the call with 503
/// ServiceUnavailable, and reads go on.
@Suite struct LambdaJournalTests {
    @Test func eachChangingCallSubmitsItsRecordAndARecordNotStoredIs503() async throws {
        let fixture = try LambdaFixture()
        let journal = KinesisJournalTests.Journal()
        fixture.runtime.attachJournal(journal)
        let put = await fixture.call("PUT", "/2019-09-25/functions/echo/event-invoke-config", #"{"MaximumRetryAttempts": 0}"#)
        #expect(put.response.status == 200)
        let concurrency = await fixture.call("PUT", "/2017-10-31/functions/echo/concurrency", #"{"ReservedConcurrentExecutions": 3}"#)
        #expect(concurrency.response.status == 200)
        let created = await fixture.call("POST", "/2015-03-31/event-source-mappings/",
                                         #"{"FunctionName": "echo", "EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:inbox", "Enabled": false}"#)
        #expect(created.response.status == 202)
        let uuid = try #require(created.json["UUID"]?.stringValue)
        let deleted = await fixture.call("DELETE", "/2015-03-31/event-source-mappings/\(uuid)")
        #expect(deleted.response.status == 202)
        let invoked = await fixture.call("POST", "/2015-03-31/functions/closed/invocations", #"{"n": 1}"#, headers: [("X-Amz-Invocation-Type", "Event")])
        #expect(invoked.response.status == 202)
        await fixture.runtime.functions.waitUntilIdle()
        let types = journal.records.withLock { $0.map(\.type) }.filter { $0 >= 50 }
        #expect(types == [50, 50, 60, 61, 51, 53].map { UInt8($0) }, "\(types)")
        let config = journal.records.withLock { $0 }.first { $0.type == 50 }.flatMap { try? JSONParser.parse(bytes: $0.payload) }
        #expect(config?["c"]?["MaximumRetryAttempts"] == 0)

        journal.failure.withLock { $0 = "cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored" }
        let refused = await fixture.call("POST", "/2015-03-31/functions/echo/invocations", #"{"n": 2}"#, headers: [("X-Amz-Invocation-Type", "Event")])
        #expect(refused.response.status == 503)
        #expect(refused.json["message"]?.stringValue ?? refused.json["Message"]?.stringValue == "The request was not stored, so it did not take effect as far as any later start is concerned: cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored. Retry once the data directory has room again; reads keep being served.")
        let read = await fixture.call("GET", "/2019-09-25/functions/echo/event-invoke-config")
        #expect(read.response.status == 200)
    }
}
