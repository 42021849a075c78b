import Testing
@testable import EventRouter

/// Issue 10 item 2: times and numbers outside what EventRouter holds are refused with a message
/// naming the value and the range, never an arithmetic trap.
@Suite struct TimeRangeTests {
    static let range = "1970-01-01T00:00:00Z to 2199-12-31T23:59:59.999Z"

    @Test(arguments: [
        ("9999-12-31T23:59:59Z", "'9999-12-31T23:59:59Z' is outside the supported times (\(range))"),
        ("0001-01-01T00:00:00Z", "'0001-01-01T00:00:00Z' is outside the supported times (\(range))"),
        ("2200-01-01T00:00:00Z", "'2200-01-01T00:00:00Z' is outside the supported times (\(range))"),
        ("1969-12-31T23:59:59Z", "'1969-12-31T23:59:59Z' is outside the supported times (\(range))"),
        ("2024-02-31T00:00:00Z", "'2024-02-31T00:00:00Z' is not a date: 2024-02 has 29 days"),
        ("2023-02-29T00:00:00Z", "'2023-02-29T00:00:00Z' is not a date: 2023-02 has 28 days"),
        ("2024-04-31T00:00:00Z", "'2024-04-31T00:00:00Z' is not a date: 2024-04 has 30 days"),
        ("2024-13-01T00:00:00Z", "'2024-13-01T00:00:00Z' has month 13: use 01 to 12"),
        ("2024-05-01T24:00:00Z", "'2024-05-01T24:00:00Z' has time of day 24:00:00: use hours 00-23, minutes 00-59, seconds 00-60"),
        ("2024-05-01T12:60:00Z", "'2024-05-01T12:60:00Z' has time of day 12:60:00: use hours 00-23, minutes 00-59, seconds 00-60"),
        ("2024-05-01T12:00:00+99:99", "'2024-05-01T12:00:00+99:99' has UTC offset +99:99: use -23:59 to +23:59"),
        ("2024-05-01T12:00:00-24:00", "'2024-05-01T12:00:00-24:00' has UTC offset -24:00: use -23:59 to +23:59"),
        ("noon", "'noon' is not an ISO-8601 time like 2024-01-01T00:00:00Z"),
    ])
    func isoTimesOutsideTheRangeOrCalendarAreRejected(text: String, message: String) {
        #expect(Timestamp(iso8601: text) == nil)
        let error = #expect(throws: TimestampError.self) { try Timestamp.parse(iso8601: text) }
        #expect(error?.description == message)
    }

    @Test(arguments: [
        ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"),
        ("2000-02-29T12:00:00Z", "2000-02-29T12:00:00.000Z"),
        ("2199-12-31T23:59:59.999Z", "2199-12-31T23:59:59.999Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"),
        ("2024-05-01T01:00:00+23:59", "2024-04-30T01:01:00.000Z"),
    ])
    func theEdgesOfTheRangeAndCalendarAreAccepted(text: String, normalized: String) throws {
        #expect(try Timestamp.parse(iso8601: text).iso8601Milliseconds == normalized)
    }

    @Test func milliSecondsAndSecondsAreChecked() {
        #expect(throws: TimestampError("99999999999999 milliseconds since the epoch is outside the supported times (\(Self.range), 0 to 7258118399999 ms)")) {
            try Timestamp(millisecondsSinceEpoch: 99_999_999_999_999)
        }
        #expect(throws: TimestampError.self) { try Timestamp(millisecondsSinceEpoch: .max) }
        #expect(throws: TimestampError.self) { try Timestamp(millisecondsSinceEpoch: -1) }
        #expect(throws: TimestampError.self) { try Timestamp(checkedSecondsSinceEpoch: 1e300) }
        #expect(throws: TimestampError.self) { try Timestamp(checkedSecondsSinceEpoch: .nan) }
        #expect(throws: TimestampError.self) { try Timestamp(checkedNanosecondsSinceEpoch: .max) }
        #expect((try? Timestamp(millisecondsSinceEpoch: 7_258_118_399_999)) == Timestamp(iso8601: "2199-12-31T23:59:59.999Z"))
        #expect(Timestamp(secondsSinceEpoch: 1e300).nanosecondsSinceEpoch == .max)
    }

    @Test func arithmeticSaturatesInsteadOfWrapping() throws {
        let late = Timestamp(nanosecondsSinceEpoch: .max - 5)
        #expect(late + .seconds(10) == Timestamp(nanosecondsSinceEpoch: .max))
        #expect(Timestamp(nanosecondsSinceEpoch: .min + 5) - .seconds(10) == Timestamp(nanosecondsSinceEpoch: .min))
        #expect(late - Timestamp(nanosecondsSinceEpoch: .min) == .nanoseconds(Int64.max))
        let error = #expect(throws: TimestampError.self) { try Timestamp.epoch.advanced(bySeconds: .max) }
        #expect(error?.description == "1970-01-01T00:00:00.000Z plus \(Int.max) seconds is outside the supported times (\(Self.range))")
        #expect(try Timestamp.epoch.advanced(bySeconds: 60) == Timestamp(iso8601: "1970-01-01T00:01:00Z"))
    }

    @Test func aPutEventsEntryWithAnOutOfRangeTimeFailsAlone() throws {
        let workspace = Workspace(buses: [BusDefinition(name: "orders", account: "123456789012", region: "us-east-1")])
        let router = Router(workspace: workspace, clock: ManualClock(), random: SharedRandom(seed: 3))
        let result = try router.putEvents([
            PutEventsEntry(source: "shop", detailType: "Placed", detail: "{}", time: "9999-12-31T23:59:59Z"),
            PutEventsEntry(source: "shop", detailType: "Placed", detail: "{}", time: "2024-02-31T00:00:00Z"),
            PutEventsEntry(source: "shop", detailType: "Placed", detail: "{}", time: "2024-05-01T00:00:00Z"),
        ])
        #expect(result.entries[0].errorCode == "InvalidArgument")
        #expect(result.entries[0].errorMessage == "Parameter Time is not valid: '9999-12-31T23:59:59Z' is outside the supported times (\(Self.range))")
        #expect(result.entries[1].errorMessage == "Parameter Time is not valid: '2024-02-31T00:00:00Z' is not a date: 2024-02 has 29 days")
        #expect(result.entries[2].eventId != nil)
    }

    @Test func aReplayKeepsGoingPastOutOfRangeTimes() async throws {
        let rules = #"{"Queues": [{"QueueName": "q"}], "Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]}, "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}]}]}"#
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: rules)]).workspace)
        let events = """
            {"Source":"shop","DetailType":"A","Detail":"{}","Time":"9999-12-31T23:59:59Z"}
            {"source":"shop","detail-type":"B","detail":{},"time":"0001-01-01T00:00:00Z"}
            {"Source":"shop","DetailType":"C","Detail":"{}","Time":"2024-05-01T00:00:00Z"}
            """
        for pace in [ReplayPace.max, .original] {
            var options = ReplayRunner.Options(virtualTime: true, seed: 1)
            options.pace = pace
            let (summary, _) = try await ReplayRunner.run(text: events, workspace: workspace, options: options)
            #expect(summary.rejected.map(\.line) == [1, 2])
            #expect(summary.rejected.first?.reason == "InvalidArgument: Parameter Time is not valid: '9999-12-31T23:59:59Z' is outside the supported times (\(Self.range))")
            #expect(summary.rejected.last?.reason == "event field 'time' is not valid: '0001-01-01T00:00:00Z' is outside the supported times (\(Self.range))")
            #expect(summary.deliveries.succeeded == 1)
        }
    }

    @Test func queueStateTimesOutsideTheRangeAreRefused() async throws {
        func state(_ attributes: JSONValue, snapshot: String = "1704067200000") -> JSONValue {
            ["queues": ["arn:aws:sqs:us-east-1:123456789012:jobs": [
                "Attributes": ["SnapshotTimestamp": .string(snapshot)],
                "messages": [["MessageId": "m1", "Body": "b", "Attributes": attributes]],
            ]]]
        }
        for key in ["SentTimestamp", "ApproximateFirstReceiveTimestamp", "ReceiveTimestamp", "EnqueueTimestamp"] {
            for value in ["99999999999999", "-1", "9223372036854775807"] {
                let error = await #expect(throws: QueueError.self) {
                    try await QueueStateFileOperations.run(.stats, queue: "jobs", state: state([key: .string(value)]), clock: ManualClock())
                }
                #expect(error?.message == "Attributes.\(key) of queues[\"arn:aws:sqs:us-east-1:123456789012:jobs\"].messages[0] is not valid: \(value) milliseconds since the epoch is outside the supported times (\(Self.range), 0 to 7258118399999 ms).")
            }
        }
        let error = #expect(throws: QueueError.self) { try QueueStateFileOperations.snapshotTime(in: state([:], snapshot: "99999999999999")) }
        #expect(error?.message == "Attributes.SnapshotTimestamp of queue arn:aws:sqs:us-east-1:123456789012:jobs is not valid: 99999999999999 milliseconds since the epoch is outside the supported times (\(Self.range), 0 to 7258118399999 ms).")
    }

    @Test func streamStateTimesOutsideTheRangeAreRefused() throws {
        let registry = StreamRegistry(clock: ManualClock())
        let stream = try registry.create(StreamConfiguration(name: "orders"))
        _ = try stream.putRecord(data: "x", partitionKey: "k")
        let arn = stream.arn
        func state(_ key: String, _ seconds: Double) throws -> JSONValue {
            var streams = try #require(registry.stateJSON().objectValue)
            var s = try #require(streams[arn]?.objectValue)
            if key == "StreamCreationTimestamp" {
                s[key] = .number(JSONNumber(seconds))
            } else {
                var shards = try #require(s["shards"]?.arrayValue)
                var shard = try #require(shards[0].objectValue)
                var record = try #require(shard["records"]?.arrayValue?.first?.objectValue)
                record[key] = .number(JSONNumber(seconds))
                shard["records"] = .array([.object(record)])
                shards[0] = .object(shard)
                s["shards"] = .array(shards)
            }
            streams[arn] = .object(s)
            return ["streams": .object(streams)]
        }
        let arrival = try state("ApproximateArrivalTimestamp", 1e300)
        let latest = #expect(throws: StreamError.self) { try StreamStateFileOperations.latestTime(in: arrival) }
        #expect(latest?.message == "streams.\(arn).shards[0].records.last.ApproximateArrivalTimestamp is not valid: 1e+300 seconds since the epoch is outside the supported times (\(Self.range), 0 to 7258118399.999 s)")
        let run = #expect(throws: StreamError.self) { try StreamStateFileOperations.run(.describe, stream: "orders", state: arrival, clock: ManualClock()) }
        #expect(run?.message == "state streams[\"\(arn)\"].shards[0].records[0].ApproximateArrivalTimestamp is not valid: 1e+300 seconds since the epoch is outside the supported times (\(Self.range), 0 to 7258118399.999 s)")
        let created = try state("StreamCreationTimestamp", -1e300)
        #expect(throws: StreamError.self) { try StreamStateFileOperations.latestTime(in: created) }
        let createdRun = #expect(throws: StreamError.self) { try StreamStateFileOperations.run(.describe, stream: "orders", state: created, clock: ManualClock()) }
        #expect(createdRun?.message == "state streams[\"\(arn)\"].StreamCreationTimestamp is not valid: -1e+300 seconds since the epoch is outside the supported times (\(Self.range), 0 to 7258118399.999 s)")
    }

    @Test func paceFactorsOutsideTheRangeAreRefusedAndGapsNeverTrap() throws {
        for text in ["x1e-300", "x0.0001", "x1e7", "x1e300"] {
            let error = #expect(throws: EventRouterError.self) { try ReplayPace(parsing: text) }
            #expect(error?.message == "--pace \(text): N must be from 0.001 (a thousand times slower) to 1000000 (a million times faster)")
        }
        var pacer = ReplayPacer(pace: .scaled(0.001))
        _ = pacer.offset(for: Timestamp.supportedRange.lowerBound)
        #expect(pacer.offset(for: Timestamp.supportedRange.upperBound) == .nanoseconds(Int64.max))
    }

    @Test func shardIteratorsIssuedOutsideTheRangeAreInvalid() {
        let token = Hex.encode("v1|orders|0||0|9223372036854775807".utf8, uppercase: true)
        #expect(throws: StreamError.self) { try ShardIterator(token: token) }
        let fine = Hex.encode("v1|orders|0||0|1704067200000000000".utf8, uppercase: true)
        #expect((try? ShardIterator(token: fine))?.issuedAt == Timestamp(iso8601: "2024-01-01T00:00:00Z"))
    }

    @Test func hugeDurationsFromFilesSaturate() {
        let archive = ArchiveDefinition(name: "a", source: BusReference(name: "default", account: "123456789012", region: "us-east-1"), retentionDays: .max)
        #expect(archive.retention == nil)
        let backoff = Backoff(base: .seconds(1), cap: .nanoseconds(Int64.max))
        #expect(backoff.delay(forRetry: 80, unit: 1) == .nanoseconds(Int64.max))
    }
}
