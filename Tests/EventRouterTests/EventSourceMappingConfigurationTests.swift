import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct EventSourceMappingConfigurationTests {
    static let queueArn = "arn:aws:sqs:us-east-1:123456789012:orders"
    static let fifoArn = "arn:aws:sqs:us-east-1:123456789012:orders.fifo"
    static let streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"

    private static func parse(_ text: String) throws -> EventSourceMappingConfiguration {
        let json = try #require(JSONValue(parsing: text).objectValue)
        return try EventSourceMappingConfiguration(json: json, account: "111122223333", region: "eu-west-1")
    }

    private static func problems(_ text: String) throws -> [EventSourceMappingError.Problem] {
        let json = try #require(JSONValue(parsing: text).objectValue)
        do {
            _ = try EventSourceMappingConfiguration(json: json, account: "111122223333", region: "eu-west-1")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func queueDefaults() throws {
        let c = try Self.parse(#"{"EventSourceArn": "\#(Self.queueArn)", "FunctionName": "average"}"#)
        #expect(c.source == .queue(arn: Self.queueArn, fifo: false))
        #expect(c.functionArn == "arn:aws:lambda:eu-west-1:111122223333:function:average")
        #expect(c.batchSize == 10)
        #expect(c.maximumBatchingWindowInSeconds == 0)
        #expect(!c.reportBatchItemFailures)
        #expect(c.enabled)
    }

    @Test func streamSettings() throws {
        let c = try Self.parse(#"""
            {"EventSourceArn": "\#(Self.streamArn)", "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:clicks:$LATEST",
             "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1704067200, "BatchSize": 500,
             "MaximumBatchingWindowInSeconds": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"],
             "BisectBatchOnFunctionError": true, "MaximumRetryAttempts": 3, "MaximumRecordAgeInSeconds": 3600,
             "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:failed"}}, "Enabled": false}
            """#)
        #expect(c.source == .stream(arn: Self.streamArn))
        #expect(c.functionArn == "arn:aws:lambda:us-east-1:123456789012:function:clicks")
        #expect(c.startingPosition == .atTimestamp(Timestamp(secondsSinceEpoch: 1_704_067_200)))
        #expect(c.batchSize == 500)
        #expect(c.maximumBatchingWindowInSeconds == 5)
        #expect(c.reportBatchItemFailures && c.bisectBatchOnFunctionError)
        #expect(c.maximumRetryAttempts == 3 && c.maximumRecordAgeInSeconds == 3600)
        #expect(c.onFailureDestination == "arn:aws:sqs:us-east-1:123456789012:failed")
        #expect(!c.enabled)
        #expect(c.settingsJSON["StartingPosition"] == "AT_TIMESTAMP")
    }

    @Test func streamDefaults() throws {
        let c = try Self.parse(#"{"EventSourceArn": "\#(Self.streamArn)", "FunctionName": "f", "StartingPosition": "LATEST"}"#)
        #expect(c.batchSize == 100)
        #expect(c.startingPosition == .latest)
        #expect(c.maximumRetryAttempts == -1 && c.maximumRecordAgeInSeconds == -1)
    }

    @Test(arguments: [
        // (entry without EventSourceArn/FunctionName, source, key, reason)
        (#"{}"#, "none", "", "missing required key 'EventSourceArn'"),
        (#"{}"#, "none", "", "missing required key 'FunctionName'"),
        (#"{"EventSourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x", "FunctionName": "f"}"#, "none", "EventSourceArn", "'EventSourceArn' must be the ARN of a queue"),
        (#"{"EventSourceArn": 5, "FunctionName": "f"}"#, "none", "EventSourceArn", "must be a string"),
        (#"{"FunctionName": "bad name!"}"#, "queue", "FunctionName", "'FunctionName' must be a function name (1 to 64 letters, digits, '-' or '_', optionally NAME:QUALIFIER) or a function ARN, got 'bad name!'"),
        (#"{"FunctionName": "arn:aws:sqs:us-east-1:123456789012:f"}"#, "queue", "FunctionName", "'FunctionName' must be a function name or a function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])"),
        (#"{"FunctionName": ""}"#, "queue", "FunctionName", "'FunctionName' must not be empty"),
        (#"{"FunctionName": "f", "BatchSize": 0}"#, "queue", "BatchSize", "'BatchSize' must be between 1 and 10000, got 0"),
        (#"{"FunctionName": "f", "BatchSize": 10001, "MaximumBatchingWindowInSeconds": 1}"#, "queue", "BatchSize", "'BatchSize' must be between 1 and 10000, got 10001"),
        (#"{"FunctionName": "f", "BatchSize": 11}"#, "fifo", "BatchSize", "'BatchSize' must be between 1 and 10, got 11"),
        (#"{"FunctionName": "f", "BatchSize": 2.5}"#, "queue", "BatchSize", "'BatchSize' must be a whole number, not 2.5"),
        (#"{"FunctionName": "f", "BatchSize": 11}"#, "queue", "MaximumBatchingWindowInSeconds", "must be at least 1 when BatchSize is more than 10"),
        (#"{"FunctionName": "f", "MaximumBatchingWindowInSeconds": 301}"#, "queue", "MaximumBatchingWindowInSeconds", "'MaximumBatchingWindowInSeconds' must be between 0 and 300, got 301"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST"}"#, "queue", "StartingPosition", "is not valid for a queue mapping"),
        (#"{"FunctionName": "f", "MaximumRetryAttempts": 2}"#, "queue", "MaximumRetryAttempts", "is only valid for a stream mapping"),
        (#"{"FunctionName": "f", "DestinationConfig": {}}"#, "queue", "DestinationConfig", "is only valid for a stream mapping"),
        (#"{"FunctionName": "f", "BisectBatchOnFunctionError": true}"#, "queue", "BisectBatchOnFunctionError", "is only valid for a stream mapping"),
        (#"{"FunctionName": "f", "FunctionResponseTypes": ["ReportBatchFailures"]}"#, "queue", "FunctionResponseTypes[0]", "must be \"ReportBatchItemFailures\""),
        (#"{"FunctionName": "f", "FunctionResponseTypes": "ReportBatchItemFailures"}"#, "queue", "FunctionResponseTypes", "must be a list"),
        (#"{"FunctionName": "f", "Enabled": "yes"}"#, "queue", "Enabled", "must be true or false"),
        (#"{"FunctionName": "f", "BatchSise": 5}"#, "queue", "BatchSise", "unknown key 'BatchSise' in an entry of EventSourceMappings (did you mean 'BatchSize'?)"),
        (#"{"FunctionName": "f"}"#, "stream", "StartingPosition", "is required for a stream mapping: TRIM_HORIZON, LATEST or AT_TIMESTAMP"),
        (#"{"FunctionName": "f", "StartingPosition": "EARLIEST"}"#, "stream", "StartingPosition", "must be TRIM_HORIZON, LATEST or AT_TIMESTAMP, got \"EARLIEST\""),
        (#"{"FunctionName": "f", "StartingPosition": "AT_TIMESTAMP"}"#, "stream", "StartingPositionTimestamp", "is required when StartingPosition is AT_TIMESTAMP"),
        (#"{"FunctionName": "f", "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": "yesterday"}"#, "stream", "StartingPositionTimestamp", "must be seconds since the epoch or an ISO-8601 time"),
        (#"{"FunctionName": "f", "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1e300}"#, "stream", "StartingPositionTimestamp", "is not valid: 1e+300 seconds since the epoch is outside the supported times (1970-01-01T00:00:00Z to 2199-12-31T23:59:59.999Z, 0 to 7258118399.999 s)"),
        (#"{"FunctionName": "f", "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": "9999-12-31T23:59:59Z"}"#, "stream", "StartingPositionTimestamp", "'9999-12-31T23:59:59Z' is outside the supported times"),
        (#"{"FunctionName": "f", "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": "2024-02-30T00:00:00Z"}"#, "stream", "StartingPositionTimestamp", "'2024-02-30T00:00:00Z' is not a date: 2024-02 has 29 days"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "StartingPositionTimestamp": 5}"#, "stream", "StartingPositionTimestamp", "is only valid with StartingPosition AT_TIMESTAMP"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "BatchSize": 10001}"#, "stream", "BatchSize", "'BatchSize' must be between 1 and 10000, got 10001"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "MaximumRetryAttempts": -2}"#, "stream", "MaximumRetryAttempts", "'MaximumRetryAttempts' must be between -1 and 10000, got -2"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": 59}"#, "stream", "MaximumRecordAgeInSeconds", "must be -1 (no limit) or from 60 to 604800 seconds, got 59"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": 604801}"#, "stream", "MaximumRecordAgeInSeconds", "got 604801"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "BisectBatchOnFunctionError": 1}"#, "stream", "BisectBatchOnFunctionError", "'BisectBatchOnFunctionError' must be true or false, not number"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "DestinationConfig": []}"#, "stream", "DestinationConfig", "must be an object"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "DestinationConfig": {"OnSuccess": {"Destination": "arn:aws:sqs:us-east-1:1:q"}}}"#, "stream", "DestinationConfig.OnSuccess", "is not supported by event source mappings (only OnFailure)"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "DestinationConfig": {"OnFailure": {}}}"#, "stream", "DestinationConfig.OnFailure", "missing required key 'Destination'"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:lambda:us-east-1:123456789012:function:g"}}}"#, "stream", "DestinationConfig.OnFailure.Destination", "'Destination' must be a queue or topic ARN, not a function ARN"),
        (#"{"FunctionName": "f", "StartingPosition": "LATEST", "DestinationConfig": {"OnFailure": {"Destinaton": "x"}}}"#, "stream", "DestinationConfig.OnFailure.Destinaton", "did you mean 'Destination'?"),
    ])
    func invalidEntries(entry: String, source: String, key: String, reason: String) throws {
        var json = try #require(JSONValue(parsing: entry).objectValue)
        switch source {
        case "queue": json["EventSourceArn"] = .string(Self.queueArn)
        case "fifo": json["EventSourceArn"] = .string(Self.fifoArn)
        case "stream": json["EventSourceArn"] = .string(Self.streamArn)
        default: break
        }
        let problems = try Self.problems(JSONValue.object(json).jsonText)
        let matching = problems.filter { $0.key == key }
        #expect(matching.contains { $0.reason.contains(reason) }, "problems: \(problems)")
    }

    @Test func everyProblemAtOnce() throws {
        let problems = try Self.problems(#"{"EventSourceArn": "\#(Self.queueArn)", "FunctionName": "f", "BatchSize": -1, "Enabeld": true, "StartingPosition": "LATEST"}"#)
        #expect(problems.map(\.key) == ["Enabeld", "BatchSize", "StartingPosition"])
        let error = EventSourceMappingError(problems: problems).prefixed(by: "Rules/a.json: EventSourceMappings[2]")
        #expect(error.description.hasPrefix("Rules/a.json: EventSourceMappings[2].Enabeld: unknown key 'Enabeld' in an entry of EventSourceMappings (did you mean 'Enabled'?)"))
    }

    @Test func runnerReportsMissingResources() throws {
        let f = EventSourceMappingFixture()
        let fn = f.function { _ in .null }
        do {
            _ = try f.runner([
                #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:nope", "FunctionName": "fn"}"#,
                #"{"EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/none", "FunctionName": "fn", "StartingPosition": "LATEST"}"#,
                #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:nope", "FunctionName": "other"}"#,
            ], function: fn)
            Issue.record("expected an error")
        } catch let error as EventSourceMappingError {
            #expect(error.problems.map(\.key) == ["EventSourceMappings[0].EventSourceArn", "EventSourceMappings[1].EventSourceArn", "EventSourceMappings[2].FunctionName"])
            #expect(error.problems[0].reason.contains("no queue 'arn:aws:sqs:us-east-1:123456789012:nope' (there are none); declare it under \"Queues\""))
            #expect(error.problems[1].reason.contains("Stream arn:aws:kinesis:us-east-1:123456789012:stream/none not found"))
            #expect(error.problems[2].reason.contains("no function 'arn:aws:lambda:us-east-1:123456789012:function:other' (known: arn:aws:lambda:us-east-1:123456789012:function:fn)"))
        }
    }
}

@Suite struct EventSourceMappingListTests {
    @Test func aRuleFilesListIsParsedWithIndexedProblems() throws {
        let ok = #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:q", "FunctionName": "f"}"#
        let list = try EventSourceMappingConfiguration.list(from: JSONValue(parsing: "[\(ok), \(ok)]"), account: "1", region: "r")
        #expect(list.count == 2)
        do {
            _ = try EventSourceMappingConfiguration.list(from: JSONValue(parsing: #"[\#(ok), 3, {"FunctionName": "f"}]"#), account: "1", region: "r")
            Issue.record("expected an error")
        } catch let error as EventSourceMappingError {
            #expect(error.description == """
                EventSourceMappings[1]: must be an object with EventSourceArn and FunctionName, got number
                EventSourceMappings[2]: missing required key 'EventSourceArn'
                """)
        }
        #expect(throws: EventSourceMappingError.self) { try EventSourceMappingConfiguration.list(from: [:], account: "1", region: "r") }
    }
}
