import EventRouter
import EventRouterTesting
import Testing

/// A write that adds records to a stream signals its registry's `arrivals` (on a real clock the
/// runtime's wake, so an idle stream → function mapping polls at once instead of at its next
/// idle poll).
@Suite struct StreamArrivalsTests {
    @Test func writesThatAddRecordsSignalArrivalsAndThrottledOnesDoNot() throws {
        let clock = ManualClock()
        let arrivals = WakeSignal()
        let registry = StreamRegistry(clock: clock, arrivals: arrivals)
        let stream = try registry.create(StreamConfiguration(name: "s"), limits: StreamLimits(writeRecordsPerSecond: 2))
        let start = arrivals.generation
        _ = try stream.putRecord(data: "one", partitionKey: "k")
        #expect(arrivals.generation == start + 1)
        _ = try stream.putRecords([PutRecordsEntry(data: "two", partitionKey: "k"), PutRecordsEntry(data: "three", partitionKey: "k")])
        #expect(arrivals.generation == start + 2, "one signal per call; the second record of the call is throttled")
        _ = try stream.putRecords([PutRecordsEntry(data: "four", partitionKey: "k")])
        #expect(arrivals.generation == start + 2, "a call whose every record was throttled added nothing")
        let created = registry.makeStream(try StreamConfiguration(name: "later"))
        try registry.add(created)
        _ = try created.putRecord(data: "x", partitionKey: "k")
        #expect(arrivals.generation == start + 3, "a stream created at run time signals too")
    }

    @Test func theRuntimeWiresStreamArrivalsToItsWakeOnlyOnARealClock() throws {
        var workspace = Workspace()
        workspace.streams = [StreamDeclaration(configuration: try StreamConfiguration(name: "s"), json: JSONObject(), file: "a.json")]
        let real = try RouterRuntime(workspace: workspace, clock: .real(ManualClock()), seed: 1)
        let seen = real.driver.wake.generation
        _ = try real.streams.stream("s").putRecord(data: "hello", partitionKey: "k")
        #expect(real.driver.wake.generation > seen, "a record for an idle mapping wakes the driver")
        let virtual = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1)
        let before = virtual.driver.wake.generation
        _ = try virtual.streams.stream("s").putRecord(data: "hello", partitionKey: "k")
        #expect(virtual.driver.wake.generation == before, "virtual time polls at every clock jump")
    }

    @Test func recordsKeepTheirExactBytesThroughTheStateFile() throws {
        let clock = ManualClock()
        let registry = StreamRegistry(clock: clock)
        let stream = try registry.create(StreamConfiguration(name: "s"))
        _ = try stream.putRecord(PutRecordsEntry(bytes: [0, 0xff, 0xfe], partitionKey: "k"))
        _ = try stream.putRecord(data: "text", partitionKey: "k")
        let state = registry.stateJSON()
        let records = state["arn:aws:kinesis:us-east-1:123456789012:stream/s"]?["shards"]?.arrayValue?.first?["records"]?.arrayValue ?? []
        #expect(records.first?["DataBase64"] == "AP/+")
        #expect(records.last?["Data"] == "text")
        let restored = StreamRegistry(clock: clock)
        try restored.restore(from: state)
        let read = try restored.stream("s").snapshot.shards[0].records
        #expect(read.map(\.bytes) == [[0, 0xff, 0xfe], Array("text".utf8)])
    }
}
