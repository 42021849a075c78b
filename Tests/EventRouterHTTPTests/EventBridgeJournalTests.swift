import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// The EventBridge API with a data directory (records 30–39): each change submits its resource's
/// whole state, failed calls and changes to resources of the files submit nothing, and a record
/// the journal cannot store fails the call with 503 ServiceUnavailable.
@Suite struct EventBridgeJournalTests {
    static let files = #"{"Queues": [{"QueueName": "orders"}], "Rules": [{"Name": "file-rule", "EventPattern": {"source": ["f"]}, "#
        + #""Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders"}]}]}"#

    @Test func everyChangeIsJournaledAndResourcesOfTheFilesAreLeftToThem() async throws {
        let fixture = try EventBridgeFixture(Self.files)
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/f0.json", text: Self.files)]).workspace)
        fixture.runtime.resourceMetadata.useOrigins(ResourceOrigins(workspace: workspace))
        let journal = KinesisJournalTests.Journal()
        fixture.runtime.attachJournal(journal)
        let queue = "arn:aws:sqs:us-east-1:123456789012:orders"
        let steps: [(String, String, [UInt8])] = [
            ("CreateEventBus", #"{"Name": "b", "Tags": [{"Key": "k", "Value": "v"}]}"#, [30, 39]),
            ("PutRule", #"{"Name": "r", "EventBusName": "b", "EventPattern": "{\"source\": [\"s\"]}"}"#, [32]),
            ("PutRule", #"{"Name": "bad", "EventPattern": "{\"source\": \"s\"}"}"#, []),
            ("PutTargets", #"{"Rule": "r", "EventBusName": "b", "Targets": [{"Id": "q", "Arn": "\#(queue)"}]}"#, [32]),
            ("DisableRule", #"{"Name": "r", "EventBusName": "b"}"#, [32]),
            ("RemoveTargets", #"{"Rule": "r", "EventBusName": "b", "Ids": ["q"]}"#, [32]),
            ("DeleteRule", #"{"Name": "r", "EventBusName": "b"}"#, [33]),
            ("PutPermission", #"{"Action": "events:PutEvents", "Principal": "210987654321", "StatementId": "s"}"#, [34]),
            ("RemovePermission", #"{"StatementId": "s"}"#, [34]),
            ("TagResource", #"{"ResourceARN": "arn:aws:events:us-east-1:123456789012:event-bus/b", "Tags": [{"Key": "a", "Value": "b"}]}"#, [39]),
            ("UntagResource", #"{"ResourceARN": "arn:aws:events:us-east-1:123456789012:event-bus/b", "TagKeys": ["a"]}"#, [39]),
            ("DisableRule", #"{"Name": "file-rule"}"#, []),
            ("PutTargets", #"{"Rule": "file-rule", "Targets": [{"Id": "q2", "Arn": "\#(queue)"}]}"#, []),
            ("DeleteEventBus", #"{"Name": "b"}"#, [31]),
            ("CreateConnection", #"{"Name": "c", "AuthorizationType": "BASIC", "AuthParameters": {"BasicAuthParameters": {"Username": "u", "Password": "p"}}}"#, [35]),
            ("UpdateConnection", #"{"Name": "c", "Description": "d"}"#, [35]),
            ("CreateApiDestination", #"{"Name": "d", "ConnectionArn": "c", "InvocationEndpoint": "https://127.0.0.1:9/", "HttpMethod": "GET"}"#, [37]),
            ("UpdateApiDestination", #"{"Name": "d", "HttpMethod": "POST"}"#, [37]),
            ("DeleteApiDestination", #"{"Name": "d"}"#, [38]),
            ("DeleteConnection", #"{"Name": "c"}"#, [36]),
        ]
        for (operation, body, types) in steps {
            let before = journal.records.withLock { $0.count }
            let (status, json) = await fixture.call(operation, body)
            #expect(status == (types.isEmpty && operation == "PutRule" ? 400 : 200), "\(operation) \(body): \(json)")
            #expect(journal.records.withLock { $0[before...].map(\.type) } == types, "\(operation) \(body)")
        }
        journal.failure.withLock { $0 = "cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored" }
        let (status, json) = await fixture.call("PutRule", #"{"Name": "r2", "EventPattern": "{\"source\": [\"s\"]}"}"#)
        #expect(status == 503)
        #expect(json["message"]?.stringValue ?? json["Message"]?.stringValue == "The request was not stored, so it did not take effect as far as any later start is concerned: cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored. Retry once the data directory has room again; reads keep being served.")
        #expect(await fixture.call("ListRules", "{}").status == 200, "reads go on")
    }

    /// PutEvents is answered from its ticket (``AWSReply/whenStored(_:_:notStored:)``): events
    /// whose `event.accepted` record the journal could not store are not acknowledged, and the
    /// error says so and what to do; events stored are answered as usual.
    @Test func putEventsWhoseRecordsAreNotStoredIsAnsweredWithAnErrorSayingSo() async throws {
        let fixture = try EventBridgeFixture(Self.files)
        let journal = KinesisJournalTests.Journal()
        fixture.runtime.attachJournal(journal)
        let entries = #"{"Entries": [{"Source": "f", "DetailType": "t", "Detail": "{}"}]}"#
        let (okStatus, okJSON) = await fixture.call("PutEvents", entries)
        #expect(okStatus == 200 && okJSON["FailedEntryCount"]?.intValue == 0, "\(okJSON)")
        #expect(journal.records.withLock { $0.map(\.type) } == [StateRecordType.eventAccepted.rawValue])
        journal.failure.withLock { $0 = "cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored" }
        let (status, json) = await fixture.call("PutEvents", entries)
        #expect(status == 500)
        #expect(json["__type"]?.stringValue == "InternalFailure")
        #expect(json["message"]?.stringValue ?? json["Message"]?.stringValue == "The events were not stored, so none of them is acknowledged: cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored. Retry once the data directory has room again.")
    }
}
