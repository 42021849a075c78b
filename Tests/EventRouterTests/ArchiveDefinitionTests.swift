import Testing
import EventRouterTesting

let ordersBus = "arn:aws:events:us-east-1:123456789012:event-bus/orders"

@Suite struct ArchiveDefinitionTests {
    @Test func readsAnArchive() throws {
        var problems: [ValidationProblem] = []
        let a = try #require(ArchiveDefinition.parse(
            ["ArchiveName": "orders-archive", "EventSourceArn": .string(ordersBus), "EventPattern": ["source": ["shop"]], "RetentionDays": 30],
            account: "123456789012", problems: &problems))
        #expect(problems.isEmpty)
        #expect(a.arn == "arn:aws:events:us-east-1:123456789012:archive/orders-archive")
        #expect(a.sourceArn == ordersBus)
        #expect(a.retention == .seconds(30 * 86_400))
        #expect(a.pattern != nil)
    }

    @Test func readsAPatternGivenAsAStringAndZeroRetention() throws {
        var problems: [ValidationProblem] = []
        let a = try #require(ArchiveDefinition.parse(
            ["ArchiveName": "a", "EventSourceArn": .string(ordersBus), "EventPattern": "{\"source\": [\"shop\"]}"], problems: &problems))
        #expect(a.retention == nil)
        #expect(a.pattern?.matches(["source": "shop"]) == true)
    }

    @Test(arguments: [
        (["EventSourceArn": .string(ordersBus)] as JSONValue, "$", "missing required key 'ArchiveName'"),
        (["ArchiveName": "a"], "$", "missing required key 'EventSourceArn' (the ARN of the bus to archive)"),
        (["ArchiveName": "bad name", "EventSourceArn": .string(ordersBus)], "$.ArchiveName",
         "'ArchiveName' must be 1 to 48 letters, digits, '.', '-' or '_', got 'bad name'"),
        (["ArchiveName": "a", "EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:q"], "$.EventSourceArn",
         "'EventSourceArn' must be an event bus ARN like arn:aws:events:us-east-1:123456789012:event-bus/NAME, got 'arn:aws:sqs:us-east-1:123456789012:q'"),
        (["ArchiveName": "a", "EventSourceArn": .string(ordersBus), "RetentionDays": -1], "$.RetentionDays",
         "'RetentionDays' must be a whole number of days, 0 or more (0 keeps events forever), not -1"),
        (["ArchiveName": "a", "EventSourceArn": .string(ordersBus), "EventPattern": ["source": "shop"]], "$.EventPattern.source",
         "invalid event pattern: "),
        (["ArchiveName": "a", "EventSourceArn": .string(ordersBus), "RetentionDay": 3], "$.RetentionDay",
         "unknown key 'RetentionDay' in an archive (did you mean 'RetentionDays'?); allowed: ArchiveName, EventSourceArn, EventPattern, RetentionDays, Description"),
        (["ArchiveName": "a", "EventSourceArn": "arn:aws:events:us-east-1:111122223333:event-bus/orders"], "$.EventSourceArn",
         "an archive lives in the account of its bus; arn:aws:events:us-east-1:111122223333:event-bus/orders is in account 111122223333, but this file's account is 123456789012 — declare the archive in a file (or with \"Account\") of account 111122223333"),
    ] as [(JSONValue, String, String)])
    func reportsProblems(json: JSONValue, path: String, message: String) {
        var problems: [ValidationProblem] = []
        #expect(ArchiveDefinition.parse(json, account: "123456789012", problems: &problems) == nil)
        #expect(problems.contains { $0.path == path && $0.message.hasPrefix(message) }, "\(problems)")
    }
}
