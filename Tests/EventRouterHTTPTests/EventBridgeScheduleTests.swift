import EventRouter
import Testing
@testable import EventRouterHTTP

/// Scheduled rules created, disabled and deleted over the EventBridge API fire on the runtime's
/// clock (a manual one here, standing in for `eventrouter run`'s real clock).
@Suite struct EventBridgeScheduleTests {
    static let start = Timestamp(iso8601: "2026-01-01T00:00:00Z")!
    static let queue = "arn:aws:sqs:us-east-1:123456789012:ticks"

    struct Fixture {
        let runtime: RouterRuntime
        let endpoint: AWSEndpoint

        init() throws {
            let files = [(name: "Rules/a.json", text: #"{"Queues": [{"QueueName": "ticks"}]}"#)]
            let workspace = try #require(WorkspaceLoader.validate(files: files).workspace)
            runtime = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock(start: EventBridgeScheduleTests.start)), seed: 7,
                                        schedules: .window(start: EventBridgeScheduleTests.start, until: nil))
            endpoint = AWSEndpoint(services: [EventBridgeService(runtime: runtime)], authenticator: Authenticator(keys: EventBridgeFixture.keys, strict: false, defaultRegion: "us-east-1"),
                                   requestIds: SharedRandom(seed: 3))
        }

        func call(_ operation: String, _ body: String) async -> (status: Int, json: JSONValue) {
            let request = HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([
                ("Host", "127.0.0.1:4566"), ("X-Amz-Target", "AWSEvents.\(operation)"), ("Content-Type", "application/x-amz-json-1.1"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDMAIN/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=00"),
            ]), body: Array(body.utf8))
            let response = await endpoint.handle(request)
            return (response.status, (try? JSONParser.parse(String(decoding: response.body, as: UTF8.self))) ?? .null)
        }

        var times: [String] {
            (runtime.stateJSON()["queues"]?[EventBridgeScheduleTests.queue]?["messages"]?.arrayValue ?? [])
                .compactMap { $0["Body"]?.stringValue }.compactMap { try? JSONParser.parse($0)["time"]?.stringValue }
        }

        func run(minutes: Int64) async { await runtime.run(until: EventBridgeScheduleTests.start + .seconds(minutes * 60)) }
    }

    @Test func putRuleStartsFiringAndDisableOrDeleteStopsIt() async throws {
        let f = try Fixture()
        #expect(await f.call("PutRule", #"{"Name": "tick", "ScheduleExpression": "cron(0/5 * * * ? *)"}"#).status == 200)
        #expect(await f.call("PutTargets", #"{"Rule": "tick", "Targets": [{"Id": "q", "Arn": "\#(Self.queue)"}]}"#).status == 200)
        await f.run(minutes: 12)
        #expect(f.times == ["2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z"])
        #expect(await f.call("DisableRule", #"{"Name": "tick"}"#).status == 200)
        await f.run(minutes: 30)
        #expect(f.times.count == 3)
        #expect(await f.call("EnableRule", #"{"Name": "tick"}"#).status == 200)
        await f.run(minutes: 36)
        #expect(f.times.suffix(2) == ["2026-01-01T00:30:00Z", "2026-01-01T00:35:00Z"])
        #expect(await f.call("RemoveTargets", #"{"Rule": "tick", "Ids": ["q"]}"#).status == 200)
        #expect(await f.call("DeleteRule", #"{"Name": "tick"}"#).status == 200)
        await f.run(minutes: 60)
        #expect(f.times.count == 5)
        #expect(f.runtime.schedules?.firings == 5)
    }

    @Test func anInvalidScheduleIsAValidationException() async throws {
        let f = try Fixture()
        let bad = await f.call("PutRule", #"{"Name": "tick", "ScheduleExpression": "rate(0 minutes)"}"#)
        #expect(bad.status == 400)
        #expect(bad.json["__type"] == "ValidationException")
        #expect(bad.json["message"]?.stringValue == "Parameter ScheduleExpression is not valid: the rate value '0' must be a whole number of at least 1 (in 'rate(0 minutes)')")
    }
}
