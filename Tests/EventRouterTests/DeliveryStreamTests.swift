import Foundation
import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// A registry over one delivery stream, a manual clock and an in-memory bucket.
private struct Fixture {
    let clock = ManualClock(start: Timestamp(secondsSinceEpoch: 1_714_564_984))  // 2024-05-01T12:03:04Z
    let store = MemoryObjectStore()
    let registry: DeliveryStreamRegistry
    let stream: DeliveryStream

    init(_ configuration: DeliveryStreamConfiguration, transform: (@Sendable (JSONValue) async throws -> JSONValue)? = nil) throws {
        let functions = SwiftFunctionRegistry()
        var manifests: [FunctionManifest] = []
        if let transform {
            functions.register("Transform") { event, _ in try await transform(event) }
            manifests.append(FunctionManifest(name: "transform", runtime: .swift, handler: "Transform"))
        }
        let host = try FunctionHost(manifests: manifests, registry: functions, clock: clock, sink: DiscardingTarget())
        registry = DeliveryStreamRegistry(functions: host, streams: StreamRegistry(clock: clock), store: store, clock: clock,
                                          random: SharedRandom(seed: 3))
        stream = try registry.create(configuration)
    }

    func put(_ texts: [String]) throws -> [String] { try registry.put(texts.map { Array($0.utf8) }, to: stream) }

    /// The objects as `BUCKET/KEY` → text, keys sorted.
    var objects: [(key: String, text: String)] {
        store.all.sorted { $0.key < $1.key }.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }
    }
}

private func configuration(size: Int = 1, interval: Int = 60, prefix: String = "", errorPrefix: String? = nil,
                           transform: DeliveryStreamConfiguration.Transform? = nil) -> DeliveryStreamConfiguration {
    DeliveryStreamConfiguration(name: "orders", account: "123456789012", region: "us-east-1", bucket: "lake", prefix: prefix,
                                errorOutputPrefix: errorPrefix, bufferSizeBytes: size * 1_048_576, bufferInterval: .seconds(interval),
                                transform: transform)
}

private let transformArn = "arn:aws:lambda:us-east-1:123456789012:function:transform"

@Suite struct DeliveryStreamKeyTests {
    static let time = Timestamp(secondsSinceEpoch: 1_714_564_984)  // 2024-05-01T12:03:04Z

    @Test(arguments: [
        ("", nil as String?, nil as String?, "2024/05/01/12/orders-1-2024-05-01-12-03-04-UUID"),
        ("logs/", nil, nil, "logs/2024/05/01/12/orders-1-2024-05-01-12-03-04-UUID"),
        ("logs/", nil, "processing-failed", "processing-failed/2024/05/01/12/orders-1-2024-05-01-12-03-04-UUID"),
        ("logs/", "errors/", "processing-failed", "errors/2024/05/01/12/orders-1-2024-05-01-12-03-04-UUID"),
        ("dt=!{timestamp:yyyy-MM-dd}/h=!{timestamp:HH}/", "failed/!{firehose:error-output-type}/!{timestamp:yyyy'/'MM}/", nil,
         "dt=2024-05-01/h=12/orders-1-2024-05-01-12-03-04-UUID"),
        ("dt=!{timestamp:yyyy-MM-dd}/", "failed/!{firehose:error-output-type}/!{timestamp:yyyy'/'MM}/", "processing-failed",
         "failed/processing-failed/2024/05/orders-1-2024-05-01-12-03-04-UUID"),
    ])
    func keysAreLaidOutAsFirehoseDoes(prefix: String, errorPrefix: String?, errorType: String?, expected: String) {
        let c = configuration(prefix: prefix, errorPrefix: errorPrefix)
        #expect(DeliveryStreamObjectKey.key(c, errorOutputType: errorType, time: Self.time, uuid: "UUID") == expected)
    }

    @Test(arguments: [
        ("!{timestamp:yyyy", "'Prefix': the expression at '!{timestamp:yyyy' has no closing '}'"),
        ("!{partitionKeyFromQuery:id}/", "'Prefix': EventRouter evaluates !{timestamp:FORMAT}, !{firehose:error-output-type} and !{firehose:random-string}, not !{partitionKeyFromQuery:id}"),
        ("!{timestamp:yyyy-ww}/", "'Prefix': !{timestamp:yyyy-ww}: EventRouter formats yyyy, MM, dd, HH, mm and ss, not the letter 'w' here"),
        ("/logs/", "'Prefix' must not start with '/' (it follows the bucket name), got '/logs/'"),
    ])
    func badPrefixesAreNamed(prefix: String, expected: String) {
        #expect(DeliveryStreamObjectKey.prefixProblem(prefix, key: "Prefix") == expected)
    }
}

@Suite struct DeliveryStreamBufferingTests {
    @Test func aFullBufferIsWrittenAtOnceAsOneObjectOfTheRecordsConcatenated() async throws {
        let f = try Fixture(configuration(size: 1, interval: 900))
        let big = String(repeating: "a", count: 600_000)
        _ = try f.put([big, "{\"n\":1}"])
        #expect(await f.registry.timedStatus(at: f.clock.now).nextDeadline == f.clock.now + .seconds(900))
        _ = try f.put([big])
        #expect(await f.registry.timedStatus(at: f.clock.now).nextDeadline == f.clock.now)
        _ = await f.registry.runDue(at: f.clock.now)
        let objects = f.objects
        #expect(objects.count == 1)
        #expect(objects.first?.key.hasPrefix("lake/2024/05/01/12/orders-1-2024-05-01-12-03-04-") == true)
        #expect(objects.first?.text == big + "{\"n\":1}" + big)
        #expect(f.stream.counters.deliveredRecords == 3)
    }

    @Test func recordsWaitForTheIntervalOnTheInjectedClock() async throws {
        let f = try Fixture(configuration(size: 5, interval: 60))
        _ = try f.put(["a"])
        f.clock.advance(by: .seconds(30))
        _ = try f.put(["b"])
        #expect(await f.registry.runDue(at: f.clock.now) == 0)
        f.clock.advance(by: .seconds(29))
        _ = await f.registry.runDue(at: f.clock.now)
        #expect(f.objects.isEmpty)
        f.clock.advance(by: .seconds(1))
        #expect(await f.registry.timedStatus(at: f.clock.now).nextDeadline == f.clock.now)
        _ = await f.registry.runDue(at: f.clock.now)
        // The key's time is the oldest record's arrival.
        #expect(f.objects.map(\.text) == ["ab"])
        #expect(f.objects.first?.key.contains("orders-1-2024-05-01-12-03-04-") == true)
        #expect(await f.registry.timedStatus(at: f.clock.now) == TimedStatus(pending: 0, nextDeadline: nil))
    }

    @Test func anIntervalOfZeroWritesAtOnce() async throws {
        let f = try Fixture(configuration(size: 1, interval: 0))
        _ = try f.put(["x"])
        _ = await f.registry.runDue(at: f.clock.now)
        #expect(f.objects.map(\.text) == ["x"])
    }

    @Test func aRecordOverTheLimitIsRefusedWithTheLimit() throws {
        let f = try Fixture(configuration())
        #expect(throws: DeliveryStreamError.invalid("1 validation error detected: Value at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000 (the record has 1024001 bytes)")) {
            _ = try f.put([String(repeating: "x", count: 1_024_001)])
        }
        #expect(f.stream.counters.incomingRecords == 0)
    }
}

@Suite struct DeliveryStreamTransformTests {
    /// Ok: upper-cased; "drop": Dropped; "fail": ProcessingFailed; "lose": left out of the answer.
    static let transform: @Sendable (JSONValue) async throws -> JSONValue = { event in
        var out: [JSONValue] = []
        for record in event["records"]?.arrayValue ?? [] {
            let id = record["recordId"]?.stringValue ?? ""
            let text = String(decoding: Base64.decode(record["data"]?.stringValue ?? "") ?? [], as: UTF8.self)
            switch text {
            case "drop": out.append(["recordId": .string(id), "result": "Dropped"])
            case "fail": out.append(["recordId": .string(id), "result": "ProcessingFailed", "data": .string(Base64.encode(Array(text.utf8)))])
            case "lose": break
            default: out.append(["recordId": .string(id), "result": "Ok", "data": .string(Base64.encode(Array((text.uppercased() + "\n").utf8)))])
            }
        }
        return ["records": .array(out)]
    }

    @Test func theTransformsAnswerDecidesEachRecord() async throws {
        let f = try Fixture(configuration(interval: 0, transform: .init(functionArn: transformArn)), transform: Self.transform)
        let ids = try f.put(["a", "drop", "fail", "b", "lose"])
        _ = await f.registry.runDue(at: f.clock.now)
        let objects = f.objects
        #expect(objects.count == 2)
        let delivered = try #require(objects.first { $0.key.hasPrefix("lake/2024/") })
        #expect(delivered.text == "A\nB\n")
        let failed = try #require(objects.first { $0.key.hasPrefix("lake/processing-failed/2024/05/01/12/orders-1-2024-05-01-12-03-04-") })
        let lines = failed.text.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(lines.map { $0?["errorCode"]?.stringValue } == ["Lambda.ProcessingFailed", "Lambda.MissingRecordId"])
        #expect(lines.map { $0?["rawData"]?.stringValue } == [Base64.encode(Array("fail".utf8)), Base64.encode(Array("lose".utf8))])
        #expect((lines.first ?? nil)?["lambdaArn"]?.stringValue == transformArn + ":$LATEST")
        let expected = "the transform returned result ProcessingFailed for record \(ids[2])"
        let message: String? = (lines.first ?? nil)?["errorMessage"]?.stringValue
        #expect(message == expected)
        let c = f.stream.counters
        #expect([c.deliveredRecords, c.droppedRecords, c.failedRecords, c.objects] as [Int] == [2, 1, 2, 2])
    }

    @Test func theFunctionReceivesTheFirehoseContract() async throws {
        let seen = Mutex<JSONValue?>(nil)
        let f = try Fixture(configuration(interval: 0, transform: .init(functionArn: transformArn))) { event in
            seen.withLock { $0 = event }
            return try await Self.transform(event)
        }
        let ids = try f.put(["hello"])
        _ = await f.registry.runDue(at: f.clock.now)
        let event = try #require(seen.withLock { $0 })
        #expect(event["deliveryStreamArn"]?.stringValue == "arn:aws:firehose:us-east-1:123456789012:deliverystream/orders")
        #expect(event["region"]?.stringValue == "us-east-1")
        #expect(event["invocationId"]?.stringValue?.isEmpty == false)
        let record = try #require(event["records"]?.arrayValue?.first)
        #expect(record["recordId"]?.stringValue == ids[0])
        #expect(record["data"]?.stringValue == "aGVsbG8=")
        #expect(record["approximateArrivalTimestamp"]?.intValue == 1_714_564_984_000)
    }

    @Test func aTransformThatKeepsFailingSendsItsRecordsUnderTheErrorPrefix() async throws {
        let calls = Mutex(0)
        let f = try Fixture(configuration(interval: 0, errorPrefix: "bad/", transform: .init(functionArn: transformArn, numberOfRetries: 2))) { _ in
            calls.withLock { $0 += 1 }
            throw FunctionError(type: "Boom", message: "no")
        }
        _ = try f.put(["a", "b"])
        _ = await f.registry.runDue(at: f.clock.now)
        #expect(calls.withLock { $0 } == 3)
        let objects = f.objects
        #expect(objects.count == 1)
        #expect(objects.first?.key.hasPrefix("lake/bad/2024/05/01/12/orders-1-") == true)
        let lines = (objects.first?.text ?? "").split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(lines.count == 2)
        #expect((lines.first ?? nil)?["errorCode"]?.stringValue == "Lambda.FunctionError")
        #expect((lines.first ?? nil)?["attemptsMade"]?.intValue == 3)
        #expect((lines.first ?? nil)?["errorMessage"]?.stringValue == "The Lambda function was successfully invoked but it returned an error result (Boom: no)")
        #expect((lines.first ?? nil)?["arrivalTimestamp"]?.intValue == 1_714_564_984_000)
    }

    @Test(arguments: [
        (JSONValue.string("nope"), "Lambda.JsonProcessingException"),
        (["records": [["recordId": "X", "result": "Ok", "data": "YQ=="]]] as JSONValue, "Lambda.MissingRecordId"),
    ])
    func answersThatBreakTheContractFailTheRecords(answer: JSONValue, code: String) {
        let record = DeliveryStreamRecord(recordId: "R", data: [0x61], arrival: Timestamp(nanosecondsSinceEpoch: 0))
        let outcome = RecordTransformation.interpret(answer, records: [record], lambdaArn: transformArn, attempts: 1)
        #expect(outcome.failed.map(\.errorCode) == [code])
        #expect(outcome.delivered.isEmpty)
    }

    @Test func anOkWithoutBase64DataFails() {
        let record = DeliveryStreamRecord(recordId: "R", data: [0x61], arrival: Timestamp(nanosecondsSinceEpoch: 0))
        let answer: JSONValue = ["records": [["recordId": "R", "result": "Ok", "data": "*not base64*"]]]
        let outcome = RecordTransformation.interpret(answer, records: [record], lambdaArn: transformArn, attempts: 1)
        #expect(outcome.failed.map(\.errorMessage) == ["record R has result Ok but its 'data' is not base64 text"])
    }
}

@Suite struct DeliveryStreamWorkspaceTests {
    static func validate(_ text: String, functions: [String] = ["transform"]) -> WorkspaceLoader.Result {
        WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)],
                                 functions: functions.map { FunctionManifest(name: $0, runtime: .swift, handler: "Transform") })
    }

    static func stream(_ destination: String, extra: String = "") -> String {
        """
        {"Streams": [{"Name": "clicks", "ShardCount": 1}],
         "DeliveryStreams": [{"DeliveryStreamName": "orders"\(extra), "ExtendedS3DestinationConfiguration": {"BucketARN": "arn:aws:s3:::lake"\(destination)}}]}
        """
    }

    @Test(arguments: [
        (stream(#", "BufferingHints": {"SizeInMBs": 129, "IntervalInSeconds": 60}"#),
         "Rules/a.json: $.DeliveryStreams[0].ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs: error: 'SizeInMBs' must be between 1 and 128, got 129"),
        (stream(#", "BufferingHints": {"IntervalInSeconds": 901}"#),
         "Rules/a.json: $.DeliveryStreams[0].ExtendedS3DestinationConfiguration.BufferingHints.IntervalInSeconds: error: 'IntervalInSeconds' must be between 0 and 900, got 901"),
        (stream(#", "BufferingHints": {"SizeInMB": 5}"#),
         "Rules/a.json: $.DeliveryStreams[0].ExtendedS3DestinationConfiguration.BufferingHints.SizeInMB: error: unknown key 'SizeInMB' in BufferingHints (did you mean 'SizeInMBs'?); allowed: SizeInMBs, IntervalInSeconds"),
        (#"{"DeliveryStreams": [{"DeliveryStreamName": "orders", "ExtendedS3DestinationConfiguration": {"BucketARN": "arn:aws:s3:::Lake"}}]}"#,
         "Rules/a.json: $.DeliveryStreams[0].ExtendedS3DestinationConfiguration.BucketARN: error: 'BucketARN' must be an S3 bucket ARN like arn:aws:s3:::my-bucket (3 to 63 lowercase letters, digits, '.' or '-'), got 'arn:aws:s3:::Lake'"),
        (#"{"DeliveryStreams": [{"DeliveryStreamName": "orders", "SplunkDestinationConfiguration": {}}]}"#,
         "Rules/a.json: $.DeliveryStreams[0].SplunkDestinationConfiguration: error: EventRouter writes delivery streams to S3 only (a local folder), not to Splunk; use ExtendedS3DestinationConfiguration"),
        (stream(#", "ProcessingConfiguration": {"Enabled": true, "Processors": [{"Type": "Lambda", "Parameters": [{"ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:transfrm"}]}]}"#),
         "Rules/a.json: $.DeliveryStreams[0].ExtendedS3DestinationConfiguration.ProcessingConfiguration: error: LambdaArn names the function 'transfrm', which Functions/ does not hold for account 123456789012 (did you mean 'transform'?); add Functions/transfrm/function.json"),
        (stream(#", "ProcessingConfiguration": {"Processors": [{"Type": "Lambda", "Parameters": [{"ParameterName": "NumberOfRetries", "ParameterValue": "2"}]}]}"#),
         "Rules/a.json: $.DeliveryStreams[0].ExtendedS3DestinationConfiguration.ProcessingConfiguration.Processors[0]: error: a Lambda processor needs the parameter LambdaArn (the transform function's ARN)"),
        (stream("", extra: #", "DeliveryStreamType": "KinesisStreamAsSource", "KinesisStreamSourceConfiguration": {"KinesisStreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/click"}"#),
         "Rules/a.json: $.DeliveryStreams[0].KinesisStreamSourceConfiguration.KinesisStreamARN: error: arn:aws:kinesis:us-east-1:123456789012:stream/click names the stream 'click', which no rule file declares in account 123456789012 (did you mean 'clicks'?); declare it under Streams"),
        (stream(#", "CompressionFormat": "GZIP""#),
         "Rules/a.json: $.DeliveryStreams[0].ExtendedS3DestinationConfiguration.CompressionFormat: error: EventRouter writes objects uncompressed: 'CompressionFormat' must be UNCOMPRESSED (or left out), got 'GZIP'"),
        (#"{"DeliveryStreams": [{"DeliveryStreamName": "orders"}]}"#,
         "Rules/a.json: $.DeliveryStreams[0]: error: missing required key 'ExtendedS3DestinationConfiguration' (the S3 bucket the stream writes to)"),
        (#"{"DeliveryStreams": [{"DeliveryStreamName": "orders", "ExtendedS3DestinationConfiguration": {"BucketARN": "arn:aws:s3:::lake"}}], "Rules": [{"Name": "r", "EventPattern": {"source": ["a"]}, "Targets": [{"Id": "t", "Arn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/order"}]}]}"#,
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: arn:aws:firehose:us-east-1:123456789012:deliverystream/order names the delivery stream 'order', which no rule file declares in account 123456789012 (did you mean 'orders'?); declare it under DeliveryStreams"),
    ])
    func badDeliveryStreamsAreNamed(text: String, expected: String) {
        #expect(Self.validate(text).problems.filter { $0.severity == .error }.map(\.description) == [expected])
    }

    static let ruleFile = """
        {"Streams": [{"Name": "clicks", "ShardCount": 2}],
         "DeliveryStreams": [
           {"DeliveryStreamName": "orders",
            "ExtendedS3DestinationConfiguration": {"BucketARN": "arn:aws:s3:::lake", "Prefix": "orders/",
              "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60},
              "ProcessingConfiguration": {"Enabled": true, "Processors": [{"Type": "Lambda", "Parameters": [
                {"ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:transform"}]}]}}},
           {"DeliveryStreamName": "clicks-archive", "DeliveryStreamType": "KinesisStreamAsSource",
            "KinesisStreamSourceConfiguration": {"KinesisStreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"},
            "ExtendedS3DestinationConfiguration": {"BucketARN": "arn:aws:s3:::lake", "Prefix": "clicks/", "BufferingHints": {"IntervalInSeconds": 300}}}],
         "Rules": [{"Name": "orders-to-lake", "EventPattern": {"source": ["shop"]},
                    "Targets": [{"Id": "lake", "Arn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/orders", "InputPath": "$.detail"}]}]}
        """

    @Test func aRuleTargetAndAStreamSourceWriteObjectsIntoTheFolder() async throws {
        let folder = NSTemporaryDirectory() + "er-firehose-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var workspace = try #require(Self.validate(Self.ruleFile).workspace)
        workspace.objectStoreDirectory = folder
        let functions = SwiftFunctionRegistry()
        functions.register("Transform") { event, _ in try await DeliveryStreamTransformTests.transform(event) }
        let clock = ManualClock(start: Timestamp(secondsSinceEpoch: 1_714_564_984))
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 1, functionRegistry: functions)
        _ = try runtime.router.putEvents([PutEventsEntry(source: "shop", detailType: "Placed", detail: #"{"id": "o-1"}"#),
                                          PutEventsEntry(source: "shop", detailType: "Placed", detail: #"{"id": "o-2"}"#)])
        _ = try runtime.streams.stream("clicks").putRecord(data: "click-1\n", partitionKey: "a")
        _ = try runtime.streams.stream("clicks").putRecord(data: "click-2\n", partitionKey: "b")
        let settled = await runtime.settle()
        #expect(settled.settled)
        // The orders went after 60 s, the clicks after 300 s (each key's time is its oldest record's arrival).
        #expect(clock.now == Timestamp(secondsSinceEpoch: 1_714_564_984 + 300))
        let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { $0.contains("-1-") }.sorted()
        #expect(files.count == 2)
        let clicks = try #require(files.first { $0.hasPrefix("lake/clicks/2024/05/01/12/clicks-archive-1-2024-05-01-12-03-04-") })
        #expect(try String(contentsOfFile: folder + "/" + clicks, encoding: .utf8) == "click-1\nclick-2\n")
        let orders = try #require(files.first { $0.hasPrefix("lake/orders/2024/05/01/12/orders-1-2024-05-01-12-03-04-") })
        #expect(try String(contentsOfFile: folder + "/" + orders, encoding: .utf8) == "{\"ID\":\"O-1\"}\n{\"ID\":\"O-2\"}\n")
        let state = runtime.stateJSON()["deliveryStreams"]?["arn:aws:firehose:us-east-1:123456789012:deliverystream/orders"]
        #expect(state?["deliveredRecords"]?.intValue == 2)
        await runtime.shutdown()
    }

    @Test func theGraphShowsDeliveryStreamsWithTheirSourceAndTransform() throws {
        let graph = WorkspaceGraph(workspace: try #require(Self.validate(Self.ruleFile).workspace))
        let label = { (id: String) in graph.nodes.first { $0.id == id }?.label ?? id }
        let flows = graph.edges.map { "\(label($0.from)) -\($0.label)-> \(label($0.to))" }
        #expect(flows.contains("delivery stream orders\ns3://lake/orders/ -transform-> function transform"))
        #expect(flows.contains("stream clicks -source-> delivery stream clicks-archive\ns3://lake/clicks/"))
        #expect(flows.contains("rule orders-to-lake\nsource=shop -lake-> delivery stream orders\ns3://lake/orders/"))
    }

    @Test func aChangedDeliveryStreamAppliesAtTheNextStart() throws {
        let old = try #require(Self.validate(Self.ruleFile).workspace)
        let new = try #require(Self.validate(Self.ruleFile.replacingOccurrences(of: "\"IntervalInSeconds\": 60", with: "\"IntervalInSeconds\": 30")).workspace)
        #expect(WorkspaceChanges(from: old, to: new).restartOnly == ["DeliveryStreams"])
        #expect(WorkspaceChanges(from: old, to: old).isEmpty)
    }

    @Test func aDeliveryStreamTargetIsNoLongerAForeignKind() {
        #expect(ForeignTargetKind(targetArn: "arn:aws:firehose:us-east-1:123456789012:deliverystream/s") == nil)
    }
}
