import EventRouter
import Testing
@testable import EventRouterHTTP

/// Every class of bad EventBridge input answers 400 with AWS's code and a message saying what to change.
@Suite struct EventBridgeErrorTests {
    typealias Case = JSONErrorCase

    static let queue = "arn:aws:sqs:us-east-1:123456789012:orders"
    static let bus = "arn:aws:events:us-east-1:123456789012:event-bus/default"
    static let archive = "arn:aws:events:us-east-1:123456789012:archive/kept"
    static let eleven = (0..<11).map { _ in #"{"Source": "s", "DetailType": "t", "Detail": "{}"}"# }.joined(separator: ",")
    static let big = String(repeating: "x", count: 100_000)
    static let tooBig = (0..<3).map { _ in #"{"Source": "s", "DetailType": "t", "Detail": "{\"b\": \"\#(big)\"}"}"# }.joined(separator: ",")
    static let six = (1...6).map { #"{"Id": "t\#($0)", "Arn": "\#(queue)"}"# }.joined(separator: ",")

    static let cases: [Case] = [
        Case(name: "body not an object", operation: "ListRules", body: "[1]", code: "SerializationException", fragment: "must be a JSON object"),
        Case(name: "unknown operation", operation: "PutRules", body: "{}", code: "UnknownOperationException", fragment: "events has no operation PutRules"),
        Case(name: "11 entries", operation: "PutEvents", body: #"{"Entries": [\#(eleven)]}"#, code: "ValidationException", fragment: "between 1 and 10 (this request has 11)"),
        Case(name: "no entries", operation: "PutEvents", body: "{}", code: "ValidationException", fragment: "Value null at 'Entries'"),
        Case(name: "entries of the wrong type", operation: "PutEvents", body: #"{"Entries": "x"}"#, code: "SerializationException", fragment: "member 'Entries' must be a list, not string"),
        Case(name: "entry member of the wrong type", operation: "PutEvents", body: #"{"Entries": [{"Source": 5}]}"#, code: "SerializationException", fragment: "member 'Source' must be a string, not number"),
        Case(name: "time of the wrong type", operation: "PutEvents", body: #"{"Entries": [{"Source": "s", "Time": true}]}"#, code: "SerializationException", fragment: "member 'Time' must be a timestamp"),
        Case(name: "over 256 KB in total", operation: "PutEvents", body: #"{"Entries": [\#(tooBig)]}"#, code: "ValidationException", fragment: "Total size of the entries in the request is over the limit"),
        Case(name: "rule without a name", operation: "PutRule", body: #"{"EventPattern": "{}"}"#, code: "ValidationException", fragment: "Value null at 'Name'"),
        Case(name: "rule name with a space", operation: "PutRule", body: #"{"Name": "a b", "EventPattern": "{\"source\": [\"x\"]}"}"#, code: "ValidationException", fragment: "'Name' must be 1 to 64 letters, digits, '.', '_' or '-', got 'a b'"),
        Case(name: "rule without pattern or schedule", operation: "PutRule", body: #"{"Name": "r"}"#, code: "ValidationException", fragment: "Parameter(s) EventPattern or ScheduleExpression must be specified."),
        Case(name: "rule state", operation: "PutRule", body: #"{"Name": "r", "State": "enabled", "EventPattern": "{\"source\": [\"x\"]}"}"#, code: "ValidationException", fragment: "(values are case-sensitive: write 'ENABLED')"),
        Case(name: "rule on a missing bus", operation: "PutRule", body: #"{"Name": "r", "EventBusName": "nope", "EventPattern": "{\"source\": [\"x\"]}"}"#, code: "ResourceNotFoundException", fragment: "Event bus nope does not exist."),
        Case(name: "schedule on a custom bus", operation: "PutRule", body: #"{"Name": "r", "EventBusName": "shop", "ScheduleExpression": "rate(5 minutes)"}"#, code: "ValidationException", fragment: "ScheduleExpression is supported only on the default event bus."),
        Case(name: "malformed schedule", operation: "PutRule", body: #"{"Name": "r", "ScheduleExpression": "every 5 minutes"}"#, code: "ValidationException", fragment: "Parameter ScheduleExpression is not valid: write rate(5 minutes) or cron(0 12 * * ? *) (in 'every 5 minutes')"),
        Case(name: "cron with both day fields", operation: "PutRule", body: #"{"Name": "r", "ScheduleExpression": "cron(0 12 * * MON *)"}"#, code: "ValidationException", fragment: "day-of-month and day-of-week cannot both be given; put ? in one of them"),
        Case(name: "rate with a plural unit for 1", operation: "PutRule", body: #"{"Name": "r", "ScheduleExpression": "rate(1 hours)"}"#, code: "ValidationException", fragment: "a rate of 1 takes the singular unit: rate(1 hour)"),
        Case(name: "pattern leaf not an array", operation: "PutRule", body: #"{"Name": "r", "EventPattern": "{\"source\": \"x\"}"}"#, code: "InvalidEventPatternException", fragment: "Event pattern is not valid. Reason:"),
        Case(name: "rule on another account's bus", operation: "PutRule", body: #"{"Name": "r", "EventBusName": "arn:aws:events:us-east-1:111122223333:event-bus/default", "EventPattern": "{\"source\": [\"x\"]}"}"#, code: "ResourceNotFoundException", fragment: "Event bus default does not exist."),
        Case(name: "missing rule", operation: "DescribeRule", body: #"{"Name": "ghost"}"#, code: "ResourceNotFoundException", fragment: "Rule ghost does not exist on EventBus default."),
        Case(name: "enable a missing rule", operation: "EnableRule", body: #"{"Name": "ghost"}"#, code: "ResourceNotFoundException", fragment: "Rule ghost does not exist on EventBus default."),
        Case(name: "delete a rule with targets", operation: "DeleteRule", body: #"{"Name": "kept"}"#, code: "ValidationException", fragment: "Rule can't be deleted since it has targets."),
        Case(name: "six targets in one call", operation: "PutTargets", body: #"{"Rule": "kept", "Targets": [\#(six)]}"#, code: "LimitExceededException", fragment: "at most 5 targets"),
        Case(name: "targets of the wrong type", operation: "PutTargets", body: #"{"Rule": "kept", "Targets": {}}"#, code: "SerializationException", fragment: "member 'Targets' must be a list"),
        Case(name: "retry attempts out of range", operation: "PutTargets", body: #"{"Rule": "kept", "Targets": [{"Id": "t", "Arn": "\#(queue)", "RetryPolicy": {"MaximumRetryAttempts": 200}}]}"#, code: "ValidationException", fragment: "Targets[0].RetryPolicy.MaximumRetryAttempts: 'MaximumRetryAttempts' must be between 0 and 185, got 200"),
        Case(name: "two inputs", operation: "PutTargets", body: #"{"Rule": "kept", "Targets": [{"Id": "t", "Arn": "\#(queue)", "Input": "{}", "InputPath": "$.detail"}]}"#, code: "ValidationException", fragment: "a target may set only one of Input, InputPath and InputTransformer"),
        Case(name: "placeholder not in the map", operation: "PutTargets", body: #"{"Rule": "kept", "Targets": [{"Id": "t", "Arn": "\#(queue)", "InputTransformer": {"InputTemplate": "<nope>"}}]}"#, code: "ValidationException", fragment: "Targets[0].InputTransformer"),
        Case(name: "a rule as target", operation: "PutTargets", body: #"{"Rule": "kept", "Targets": [{"Id": "t", "Arn": "arn:aws:events:us-east-1:123456789012:rule/kept"}]}"#, code: "ValidationException", fragment: "EventRouter cannot deliver to events rules"),
        Case(name: "dead-letter queue not a queue", operation: "PutTargets", body: #"{"Rule": "kept", "Targets": [{"Id": "t", "Arn": "\#(queue)", "DeadLetterConfig": {"Arn": "\#(bus)"}}]}"#, code: "ValidationException", fragment: "a dead-letter queue must be an SQS queue ARN, not a event bus ARN"),
        Case(name: "unknown target key", operation: "PutTargets", body: #"{"Rule": "kept", "Targets": [{"Id": "t", "Arn": "\#(queue)", "RetryPolicyy": {}}]}"#, code: "ValidationException", fragment: "unknown key 'RetryPolicyy' in a target (did you mean 'RetryPolicy'?)"),
        Case(name: "targets of a missing rule", operation: "ListTargetsByRule", body: #"{"Rule": "ghost"}"#, code: "ResourceNotFoundException", fragment: "Rule ghost does not exist"),
        Case(name: "bad paging token", operation: "ListRules", body: #"{"NextToken": "zzz"}"#, code: "ValidationException", fragment: "The NextToken 'zzz' is not valid"),
        Case(name: "limit out of range", operation: "ListRules", body: #"{"Limit": 0}"#, code: "ValidationException", fragment: "Member must have value between 1 and 100"),
        // Found by the endpoint fuzz target: these two read the maximum from Limit itself, and Limit 0 or -1 trapped.
        Case(name: "connections limit 0", operation: "ListConnections", body: #"{"Limit": 0}"#, code: "ValidationException", fragment: "Value '0' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"),
        Case(name: "connections limit -1", operation: "ListConnections", body: #"{"Limit": -1}"#, code: "ValidationException", fragment: "Value '-1' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"),
        Case(name: "connections limit 101", operation: "ListConnections", body: #"{"Limit": 101}"#, code: "ValidationException", fragment: "Value '101' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"),
        Case(name: "API destinations limit 0", operation: "ListApiDestinations", body: #"{"Limit": 0}"#, code: "ValidationException", fragment: "Value '0' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"),
        Case(name: "API destinations limit -1", operation: "ListApiDestinations", body: #"{"Limit": -1}"#, code: "ValidationException", fragment: "Value '-1' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"),
        Case(name: "existing bus", operation: "CreateEventBus", body: #"{"Name": "shop"}"#, code: "ResourceAlreadyExistsException", fragment: "Event bus shop already exists."),
        Case(name: "bus name", operation: "CreateEventBus", body: #"{"Name": "a b"}"#, code: "ValidationException", fragment: "'Name' must be 1 to 256 letters"),
        Case(name: "delete the default bus", operation: "DeleteEventBus", body: #"{"Name": "default"}"#, code: "ValidationException", fragment: "Cannot delete event bus default."),
        Case(name: "missing bus", operation: "DescribeEventBus", body: #"{"Name": "ghost"}"#, code: "ResourceNotFoundException", fragment: "Event bus ghost does not exist."),
        Case(name: "bad principal", operation: "PutPermission", body: #"{"Action": "events:PutEvents", "Principal": "bob", "StatementId": "s"}"#, code: "ValidationException", fragment: "Principal must be a 12-digit account id or \"*\", not 'bob'"),
        Case(name: "permission without principal", operation: "PutPermission", body: #"{"Action": "events:PutEvents", "StatementId": "s"}"#, code: "ValidationException", fragment: "missing: Principal"),
        Case(name: "condition on another key", operation: "PutPermission", body: #"{"Action": "events:PutEvents", "Principal": "*", "StatementId": "s", "Condition": {"Type": "StringEquals", "Key": "aws:SourceIp", "Value": "1.2.3.4"}}"#, code: "ValidationException", fragment: "Type must be StringEquals and Key aws:PrincipalOrgID"),
        Case(name: "organization id", operation: "PutPermission", body: #"{"Action": "events:PutEvents", "Principal": "*", "StatementId": "s", "Condition": {"Type": "StringEquals", "Key": "aws:PrincipalOrgID", "Value": "acme"}}"#, code: "ValidationException", fragment: "the organization id must look like o-a1b2c3d4e5, not 'acme'"),
        Case(name: "delete a bus with rules", operation: "DeleteEventBus", body: #"{"Name": "shop"}"#, code: "ValidationException", fragment: "it has rules (on-shop); delete them first"),
        Case(name: "global endpoint", operation: "PutEvents", body: #"{"EndpointId": "abc.veo", "Entries": [{"Source": "s"}]}"#, code: "ValidationException", fragment: "global endpoints are not served"),
        Case(name: "bad whole policy", operation: "PutPermission", body: #"{"Policy": "{\"Statement\": []}"}"#, code: "ValidationException", fragment: "Statement must hold at least one statement"),
        Case(name: "remove a missing statement", operation: "RemovePermission", body: #"{"StatementId": "ghost"}"#, code: "ResourceNotFoundException", fragment: "has no policy, so it has no statement 'ghost'"),
        Case(name: "archive name", operation: "CreateArchive", body: #"{"ArchiveName": "a b", "EventSourceArn": "\#(bus)"}"#, code: "ValidationException", fragment: "Parameter ArchiveName is not valid: 'ArchiveName' must be 1 to 48 letters, digits, '.', '-' or '_', got 'a b'"),
        Case(name: "archive pattern", operation: "CreateArchive", body: #"{"ArchiveName": "a", "EventSourceArn": "\#(bus)", "EventPattern": "{\"source\": 1}"}"#, code: "InvalidEventPatternException", fragment: "invalid event pattern"),
        Case(name: "archive of a missing bus", operation: "CreateArchive", body: #"{"ArchiveName": "a", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/ghost"}"#, code: "ResourceNotFoundException", fragment: "Event bus ghost does not exist."),
        Case(name: "existing archive", operation: "CreateArchive", body: #"{"ArchiveName": "kept", "EventSourceArn": "\#(bus)"}"#, code: "ResourceAlreadyExistsException", fragment: "Archive kept already exists."),
        Case(name: "missing archive", operation: "DescribeArchive", body: #"{"ArchiveName": "ghost"}"#, code: "ResourceNotFoundException", fragment: "Archive ghost does not exist."),
        Case(name: "replay into the future", operation: "StartReplay", body: #"{"ReplayName": "r", "EventSourceArn": "\#(archive)", "EventStartTime": 1767225000, "EventEndTime": 1999999999, "Destination": {"Arn": "\#(bus)"}}"#, code: "ValidationException", fragment: "cannot be in the future"),
        Case(name: "replay to another bus", operation: "StartReplay", body: #"{"ReplayName": "r", "EventSourceArn": "\#(archive)", "EventStartTime": 1767225000, "EventEndTime": 1767225500, "Destination": {"Arn": "arn:aws:events:us-east-1:123456789012:event-bus/shop"}}"#, code: "ValidationException", fragment: "Cross event bus replay is not permitted"),
        Case(name: "replay without destination", operation: "StartReplay", body: #"{"ReplayName": "r", "EventSourceArn": "\#(archive)", "EventStartTime": 1, "EventEndTime": 2}"#, code: "ValidationException", fragment: "Value null at 'Destination'"),
        Case(name: "missing replay", operation: "CancelReplay", body: #"{"ReplayName": "ghost"}"#, code: "ResourceNotFoundException", fragment: "Replay ghost does not exist."),
        Case(name: "tag a missing rule", operation: "TagResource", body: #"{"ResourceARN": "arn:aws:events:us-east-1:123456789012:rule/ghost", "Tags": []}"#, code: "ResourceNotFoundException", fragment: "Rule ghost does not exist on EventBus default."),
        Case(name: "tag a queue", operation: "ListTagsForResource", body: #"{"ResourceARN": "\#(queue)"}"#, code: "ValidationException", fragment: "EventRouter tags rules and event buses, not queue ARNs"),
        Case(name: "event without envelope", operation: "TestEventPattern", body: #"{"EventPattern": "{\"source\": [\"x\"]}", "Event": "{}"}"#, code: "ValidationException", fragment: "Parameter Event is not valid. Reason: the event is missing the required fields"),
    ]

    static let workspace = """
        {"EventBuses": [{"Name": "shop"}], "Queues": [{"QueueName": "orders"}],
         "Archives": [{"ArchiveName": "kept", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}],
         "Rules": [{"Name": "kept", "EventPattern": {"source": ["x"]}, "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders"}]},
                   {"Name": "on-shop", "EventBusName": "shop", "EventPattern": {"source": ["x"]}}]}
        """

    @Test(arguments: cases) func badInputAnswersTheAWSCodeAndSaysWhatToChange(_ c: Case) async throws {
        let f = try EventBridgeFixture(Self.workspace)
        let (status, json) = await f.call(c.operation, c.body)
        #expect(status == 400)
        #expect(json["__type"]?.stringValue == c.code, "\(json)")
        #expect(json["message"]?.stringValue?.contains(c.fragment) == true, "\(json["message"] ?? .null)")
    }

    @Test func anInvalidPatternIsRefusedWithTheReasonValidateGivesForARuleFile() async throws {
        let f = try EventBridgeFixture(Self.workspace)
        let pattern = #"{"detail": {"n": [{"numeric": [">", "x"]}]}}"#
        let file = WorkspaceLoader.validate(files: [(name: "Rules/r.json", text: #"{"Rules": [{"Name": "r", "EventPattern": \#(pattern)}]}"#)])
        let reason = try #require(file.problems.first { $0.path == "$.Rules[0].EventPattern" }?.message)
        for operation in ["PutRule", "TestEventPattern"] {
            let body = #"{"Name": "r", "EventPattern": \#(JSONSerializer.quoted(pattern)), "Event": "{}"}"#
            let (status, json) = await f.call(operation, body)
            #expect(status == 400)
            #expect(json["__type"] == "InvalidEventPatternException")
            #expect(json["message"]?.stringValue?.contains(reason) == true, "\(json) should contain \(reason)")
        }
    }

    @Test(arguments: [
        #"{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders", "InputTransformer": {"InputPathsMap": {"a": "$.detail"}, "InputTemplate": "<b>"}}"#,
        #"{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:999999999999:other.fifo"}"#,
        #"{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders", "InputPath": "detail"}"#,
        #"{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders", "RetryPolicy": {"MaximumEventAgeInSeconds": 30}}"#,
    ])
    func aBadTargetIsRefusedWithTheReasonValidateGivesForARuleFile(target: String) async throws {
        let f = try EventBridgeFixture(Self.workspace)
        let file = WorkspaceLoader.validate(files: [(name: "Rules/r.json", text: #"{"Queues": [{"QueueName": "orders"}], "Rules": [{"Name": "r", "EventPattern": {"source": ["x"]}, "Targets": [\#(target)]}]}"#)])
        let reasons = file.problems.filter { $0.severity == .error && $0.path.hasPrefix("$.Rules[0].Targets[0]") }.map(\.message)
        #expect(!reasons.isEmpty, "\(file.problems)")
        let (status, json) = await f.call("PutTargets", #"{"Rule": "kept", "Targets": [\#(target)]}"#)
        #expect(status == 400)
        #expect(json["__type"] == "ValidationException")
        for reason in reasons {
            #expect(json["message"]?.stringValue?.contains(reason) == true, "\(json) should contain \(reason)")
        }
    }
}
