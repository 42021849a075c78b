import Synchronization
import Testing
@testable import EventRouter

/// Resources created through the EventBridge API through the journal (records 30–39): the
/// records and the snapshot's "resources" rebuild the same buses, rules with targets, policies,
/// connections, API destinations, tags and times; resources of the files are left to the files.
@Suite struct ResourceJournalTests {
    static let bus = "arn:aws:events:us-east-1:123456789012:event-bus/shop"

    /// A runtime whose API-created resources are journaled to `journal`.
    static func runtime(_ journal: RecordingStateJournal) throws -> RouterRuntime {
        let runtime = try RouterRuntime(workspace: Workspace(), clock: .virtual(ManualClock()), seed: 1)
        runtime.resourceMetadata.attachJournal(journal)
        return runtime
    }

    /// Makes a bus, a rule with two targets (transformer, retry policy, DLQ, FIFO group), a policy,
    /// a connection, an API destination and tags, journaling each as the EventBridge service does.
    static func populate(_ runtime: RouterRuntime) throws {
        let router = runtime.router, meta = runtime.resourceMetadata
        router.createBus("shop", account: "123456789012", region: "us-east-1")
        meta.setInfo(.init(description: "the shop", created: Timestamp(nanosecondsSinceEpoch: 5_000), modified: Timestamp(nanosecondsSinceEpoch: 6_000)), for: bus)
        runtime.journalBus(bus)
        let targets = try DefinitionReader.targets([
            ["Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders.fifo", "SqsParameters": ["MessageGroupId": "g"],
             "InputTransformer": ["InputPathsMap": ["n": "$.detail.n"], "InputTemplate": "{\"n\": <n>}"],
             "RetryPolicy": ["MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 120], "DeadLetterConfig": ["Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"]],
            ["Id": "k", "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "KinesisParameters": ["PartitionKeyPath": "$.id"], "InputPath": "$.detail"],
        ], ruleBusArn: bus).get()
        let pattern = try DefinitionReader.pattern(.string(#"{"source": ["shop"]}"#)).get()
        var rule = RuleDefinition(name: "r1", busName: "shop", account: "123456789012", region: "us-east-1", pattern: pattern, enabled: false,
                                  description: "orders", targets: targets)
        rule.patternText = #"{"source": ["shop"]}"#
        rule.roleArn = "arn:aws:iam::123456789012:role/r"
        try router.putRule(rule)
        runtime.journalRule(named: "r1", busArn: bus)
        _ = try router.access.putPermission(PermissionGrant(statementId: "p", principal: "210987654321", action: "events:PutEvents", organizationId: nil), busArn: bus)
        runtime.journalPolicy(busArn: bus)
        var fields = FieldReader()
        let connection = try #require(ConnectionDefinition.read(["Name": "c1", "AuthorizationType": "BASIC",
                                                                 "AuthParameters": ["BasicAuthParameters": ["Username": "u", "Password": "p"]]],
                                                                account: "123456789012", region: "us-east-1", file: nil, fields: &fields, at: "$"))
        runtime.apiDestinations.put(connection)
        runtime.journalConnection(account: "123456789012", region: "us-east-1", name: "c1")
        let destination = try #require(ApiDestinationDefinition.read(["Name": "d1", "ConnectionArn": .string(connection.arn), "InvocationEndpoint": "https://example.com/*",
                                                                      "HttpMethod": "PUT", "InvocationRateLimitPerSecond": 5],
                                                                     account: "123456789012", region: "us-east-1", file: nil, fields: &fields, at: "$"))
        runtime.apiDestinations.put(destination)
        runtime.journalApiDestination(account: "123456789012", region: "us-east-1", name: "d1")
        meta.tag(rule.arn, with: [("team", "orders")])
        runtime.journalTags(rule.arn)
    }

    /// What the resources look like, for comparing two runtimes.
    static func picture(_ runtime: RouterRuntime) -> [String] {
        let router = runtime.router, meta = runtime.resourceMetadata
        var lines = router.busArns.map { "bus \($0) \(String(describing: meta.info($0))) \(router.access.policy(forBus: $0)?.jsonText ?? "-")" }
        for arn in router.busArns {
            for rule in router.rules(onBus: arn) {
                lines.append("rule \(rule.arn) \(rule.enabled) \(rule.patternText ?? "-") \(rule.description ?? "-") \(rule.roleArn ?? "-") tags \(meta.tags(of: rule.arn).map { "\($0.key)=\($0.value)" })")
                lines += rule.targets.map { "target \(RuleFileWriter.target($0).jsonText)" }
            }
        }
        lines += runtime.apiDestinations.allConnections.map { "connection \(JSONValue.object($0.ruleFileJSON).jsonText) \(String(describing: meta.info($0.arn)))" }
        lines += runtime.apiDestinations.allDestinations.map { "destination \(JSONValue.object($0.ruleFileJSON).jsonText)" }
        return lines
    }

    @Test func theRecordsAndTheSnapshotRebuildTheSameResources() throws {
        let journal = RecordingStateJournal()
        let original = try Self.runtime(journal)
        try Self.populate(original)
        let records = journal.records.withLock { $0 }
        #expect(records.map(\.type) == [30, 32, 34, 35, 37, 39])

        var fromRecords = StateRecovery()
        for record in records { try fromRecords.apply(record) }
        let rebuilt = try RouterRuntime(workspace: Workspace(), clock: .virtual(ManualClock()), seed: 2)
        let counts = try fromRecords.restore(into: rebuilt)
        #expect(counts.resources.description == "1 bus, 1 rule, 2 targets, 1 bus policy, 1 connection, 1 API destination")
        #expect(Self.picture(rebuilt) == Self.picture(original))

        var fromSnapshot = StateRecovery()
        try fromSnapshot.applySnapshot(original.journalSnapshot())
        for record in records { try fromSnapshot.apply(record) }  // the tail again: whole states, nothing doubles
        let again = try RouterRuntime(workspace: Workspace(), clock: .virtual(ManualClock()), seed: 3)
        _ = try fromSnapshot.restore(into: again)
        #expect(Self.picture(again) == Self.picture(original))
    }

    @Test func deletesAreKeptAndWithoutAJournalNothingIsEncoded() throws {
        let journal = RecordingStateJournal()
        let original = try Self.runtime(journal)
        try Self.populate(original)
        original.router.removeRule(named: "r1", busArn: Self.bus)
        original.journalRule(named: "r1", busArn: Self.bus)
        original.router.removeBus(arn: Self.bus)
        original.journalBus(Self.bus)
        original.apiDestinations.removeDestination(account: "123456789012", region: "us-east-1", name: "d1")
        original.journalApiDestination(account: "123456789012", region: "us-east-1", name: "d1")
        var recovery = StateRecovery()
        for record in journal.records.withLock({ $0 }) { try recovery.apply(record) }
        let rebuilt = try RouterRuntime(workspace: Workspace(), clock: .virtual(ManualClock()), seed: 2)
        #expect(try recovery.restore(into: rebuilt).resources.description == "1 connection")
        #expect(!rebuilt.router.hasBus(arn: Self.bus))

        let plain = try RouterRuntime(workspace: Workspace(), clock: .virtual(ManualClock()), seed: 1)
        plain.router.createBus("shop", account: "123456789012", region: "us-east-1")
        plain.journalBus(Self.bus)  // no journal attached: nothing submitted, nothing to fail
        #expect(!plain.resourceMetadata.isJournaled)
    }
}
