import Foundation
import Synchronization
import Testing
@testable import EventRouter

/// Hot reload (docs/hot-reload.md): valid and invalid changes, a change during delivery,
/// function code changes, API resources kept apart, and the export round trip.
@Suite struct HotReloadTests {
    static let account = "123456789012"
    static func queueArn(_ name: String) -> String { "arn:aws:sqs:us-east-1:\(account):\(name)" }

    /// Two queues; `rules` are the Rules entries.
    static func ruleFile(_ rules: String, queues: [String] = ["a", "b"]) -> String {
        #"{"Queues": ["# + queues.map { #"{"QueueName": "\#($0)"}"# }.joined(separator: ", ") + #"], "Rules": ["# + rules + "]}"
    }

    static func rule(_ name: String, source: String, queue: String, retry: String = "") -> String {
        #"{"Name": "\#(name)", "EventPattern": {"source": ["\#(source)"]}, "Targets": [{"Id": "t", "Arn": "\#(queueArn(queue))"\#(retry)}]}"#
    }

    struct Fixture {
        let folder: FunctionTempFolder
        let clock: ManualClock
        let runtime: RouterRuntime
        let reloader: WorkspaceReloader
        let origins: ResourceOrigins

        init(_ text: String, files: [(String, String, Bool)] = []) async throws {
            folder = try FunctionTempFolder()
            try folder.write("Rules/main.json", text)
            for (name, body, executable) in files { try folder.write(name, body, executable: executable) }
            let workspace = try WorkspaceLoader.load(directory: folder.path)
            clock = ManualClock()
            runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 1)
            origins = ResourceOrigins(workspace: workspace)
            reloader = WorkspaceReloader(runtime: runtime, workspace: workspace, directory: folder.path, origins: origins)
            await reloader.prepare()
        }

        func edit(_ text: String, file: String = "Rules/main.json") throws { try folder.write(file, text) }

        func put(_ source: String) async throws {
            let result = try runtime.router.putEvents([PutEventsEntry(source: source, detailType: "T", detail: "{}")])
            #expect(result.failedEntryCount == 0)
            await runtime.router.scheduler.settle()
        }

        func messages(_ queue: String) -> Int {
            runtime.queues.queue(arn: HotReloadTests.queueArn(queue))?.stateJSON()["messages"]?.arrayValue?.count ?? -1
        }
    }

    @Test func aValidChangeIsSwappedInAndAPIResourcesStay() async throws {
        let f = try await Fixture(Self.ruleFile(Self.rule("r1", source: "a", queue: "a")))
        #expect(await f.reloader.check() == nil, "nothing changed")
        // A rule created through the API on the default bus, targeting a file queue.
        let api = try #require(WorkspaceLoader.validate(files: [("Rules/x.json", Self.ruleFile(Self.rule("api-rule", source: "c", queue: "a")))]).workspace)
        var apiRule = try #require(api.rules.first)
        apiRule.file = nil
        try f.runtime.router.putRule(apiRule)

        try f.edit(Self.ruleFile(Self.rule("r2", source: "b", queue: "b")))
        let outcome = try #require(await f.reloader.check())
        #expect(outcome.status == .applied)
        #expect(outcome.lines == [
            "reloaded 1 rule file: 2 rule changes",
            "rule arn:aws:events:us-east-1:123456789012:rule/r2 put",
            "rule r1 removed from bus arn:aws:events:us-east-1:123456789012:event-bus/default",
        ])
        try await f.put("b")
        #expect(f.messages("b") == 1, "the new rule routes")
        try await f.put("a")
        #expect(f.messages("a") == 0, "the removed rule no longer routes")
        try await f.put("c")
        #expect(f.messages("a") == 1, "the API-created rule is kept")
        #expect(!f.origins.isFromFiles(apiRule.arn))
        #expect(f.origins.isFromFiles("arn:aws:events:us-east-1:123456789012:rule/r2"))
        #expect(await f.reloader.check() == nil)
    }

    @Test func anInvalidChangeIsRefusedWithValidatesProblemsAndTheOldDefinitionKeepsRouting() async throws {
        let f = try await Fixture(Self.ruleFile(Self.rule("r1", source: "a", queue: "a")))
        try f.edit(Self.ruleFile(#"{"Name": "r1", "EventPattern": {"source": "a"}, "Targets": [{"Id": "t", "Arn": "\#(Self.queueArn("b"))"}]}"#))
        let outcome = try #require(await f.reloader.check())
        #expect(outcome.status == .refused)
        let validate = WorkspaceLoader.validate(directory: f.folder.path)
        #expect(outcome.problems.map(\.description) == validate.problems.map(\.description), "the same problems as validate, in its format")
        #expect(outcome.problems.map(\.description) == [
            #"Rules/main.json: $.Rules[0].EventPattern: error: invalid EventPattern: InvalidEventPatternException: at source: a field must hold an object or an array of values, not a string; write ["a"]"#,
        ])
        #expect(outcome.lines == ["reload refused: 1 error in 1 file; the running definition stays (fix the files: the next save is checked again)"])
        #expect(await f.reloader.check() == nil, "refused files are reported once")
        try await f.put("a")
        #expect(f.messages("a") == 1, "the old definition keeps routing")
        #expect(f.messages("b") == 0)
        // Fixing the file applies it.
        try f.edit(Self.ruleFile(Self.rule("r1", source: "a", queue: "b")))
        #expect(try #require(await f.reloader.check()).status == .applied)
        try await f.put("a")
        #expect(f.messages("b") == 1)
    }

    @Test func anEventRetryingDuringTheSwapKeepsItsTargetAndNothingIsLostOrDuplicated() async throws {
        let retry = #", "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600}"#
        let f = try await Fixture(Self.ruleFile(Self.rule("r1", source: "a", queue: "a", retry: retry)))
        // Queue a refuses the first attempt (retriable), then delivers.
        let failures = AttemptCounter(), queueTarget = QueueTarget(queues: f.runtime.queues)
        f.runtime.targets.register(ClosureTarget { delivery in
            failures.increment() == 1 ? .retriable(code: "Throttled", message: "try again") : await queueTarget.deliver(delivery)
        }, for: Self.queueArn("a"))
        _ = try f.runtime.router.putEvents([PutEventsEntry(source: "a", detailType: "T", detail: "{}")])
        await f.runtime.router.scheduler.run(until: f.clock.now)
        #expect(f.runtime.router.scheduler.statistics.retried == 1)
        #expect(f.runtime.router.scheduler.pendingCount == 1, "the event waits for its retry")

        try f.edit(Self.ruleFile(Self.rule("r1", source: "a", queue: "b", retry: retry)))
        #expect(try #require(await f.reloader.check()).status == .applied)
        _ = try f.runtime.router.putEvents([PutEventsEntry(source: "a", detailType: "T", detail: "{}")])
        await f.runtime.router.scheduler.settle()
        #expect(f.messages("a") == 1, "the event in flight went to the old definition's target, once")
        #expect(f.messages("b") == 1, "the event after the swap went to the new target, once")
        #expect(f.runtime.router.scheduler.statistics.succeeded == 2)
        #expect(f.runtime.router.scheduler.statistics.dropped == 0)
    }

    static func worker(_ version: Int) -> String {
        "#!/bin/sh\nwhile read line; do echo \"{\\\"result\\\": {\\\"version\\\": \(version)}}\"; done\n"
    }

    static let workerManifest = #"{"Runtime": "process", "Mode": "worker", "Handler": "handler.sh", "Timeout": 30}"#

    @Test func aFunctionCodeChangeRunsAtTheNextInvocationAndRestartsTheWorker() async throws {
        let f = try await Fixture(Self.ruleFile(""), files: [("Functions/counter/function.json", Self.workerManifest, false),
                                                              ("Functions/counter/handler.sh", Self.worker(1), true)])
        let function = try #require(f.runtime.functions.runtime(for: "counter"))
        let handler = try #require(function.handler as? WorkerFunctionHandler)
        #expect(await function.invoke(.null, requestId: "1") == .success(["version": 1]))
        try f.folder.write("Functions/counter/handler.sh", Self.worker(2), executable: true)
        let outcome = try #require(await f.reloader.check())
        #expect(outcome.lines.contains("function counter: code changed; 1 idle worker stopped, busy workers restart after their current request, the next invocation runs the new code"))
        #expect(await function.invoke(.null, requestId: "2") == .success(["version": 2]))
        #expect(handler.workersStarted == 2)
        await f.runtime.shutdown()
    }

    @Test func aBusyWorkerFinishesItsRequestWithTheOldCodeAndIsRestartedAfterIt() async throws {
        let dir = try FunctionTempFolder()
        let readyFIFO = try HeldFIFO(dir.path + "/ready"), gateFIFO = try HeldFIFO(dir.path + "/gate")
        let ready = readyFIFO.path, gate = gateFIFO.path
        func script(_ version: Int) -> String {
            "#!/bin/sh\nwhile read line; do\n case \"$line\" in *slow*) echo in > \"$READY\"; read x < \"$GATE\";; esac\n echo \"{\\\"result\\\": \(version)}\"\ndone\n"
        }
        let handler = WorkerFunctionHandler(manifest: try dir.manifest(script(1), mode: .worker, environment: [("READY", ready), ("GATE", gate)]))
        let function = FunctionRuntime(manifest: handler.manifest, handler: handler, clock: ManualClock())
        let slow = Task { await function.invoke(["slow": true], requestId: "slow") }
        #expect(await readLine(fromFIFO: ready) == "in", "the worker is busy with the slow request")
        try dir.write("handler", script(2), executable: true)
        #expect(await handler.codeDidChange() == .workersRestarted(idleStopped: 0), "the busy worker is not stopped")
        gateFIFO.send("go")  // held open by the test: neither side can block in open() if the wait above gave up
        #expect(await slow.value == .success(1), "the request in flight finishes on the old code")
        #expect(await function.invoke(.null, requestId: "next") == .success(2), "the next invocation runs the new code")
        #expect(handler.workersStarted == 2, "the busy worker was replaced after its request")
        await handler.shutdown()
    }

    @Test func aSwiftFunctionSaysItCannotReload() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Total") { event, _ in event }
        let folder = try FunctionTempFolder()
        try folder.write("Rules/main.json", "{}")
        try folder.write("Functions/total/function.json", #"{"Runtime": "swift", "Handler": "Total"}"#)
        try folder.write("Functions/total/Total.swift", "// v1")
        let workspace = try WorkspaceLoader.load(directory: folder.path, functionRegistry: registry)
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1, functionRegistry: registry)
        let reloader = WorkspaceReloader(runtime: runtime, workspace: workspace, directory: folder.path,
                                         origins: ResourceOrigins(workspace: workspace), functionRegistry: registry)
        await reloader.prepare()
        try folder.write("Functions/total/Total.swift", "// v2")
        let outcome = try #require(await reloader.check())
        #expect(outcome.lines.contains("function total: Functions/total changed, but it is a Swift function compiled into eventrouter and cannot reload: rebuild eventrouter and restart to run the new code"))
    }

    @Test func aQueueRemovedFromTheFilesIsKeptWithItsMessages() async throws {
        let f = try await Fixture(Self.ruleFile(Self.rule("r1", source: "a", queue: "b")))
        try await f.put("a")
        try f.edit(Self.ruleFile("", queues: ["a"]))
        let outcome = try #require(await f.reloader.check())
        #expect(outcome.lines.contains("queue \(Self.queueArn("b")) was removed from Rules/main.json but is kept, with any messages it holds, until the process ends (delete it with DeleteQueue)"))
        #expect(f.messages("b") == 1)
        #expect(f.origins.isFromFiles(Self.queueArn("b")), "kept, so not exported as an API queue")
    }

    @Test func exportedAPIResourcesRecreateTheSameResources() async throws {
        let f = try await Fixture(Self.ruleFile(Self.rule("r1", source: "a", queue: "a")))
        // Resources "created through the API": read from a rule file of their own, then added with their origin dropped.
        let apiText = #"""
        {"EventBuses": [{"Name": "api-bus"}],
         "Queues": [{"QueueName": "api-q", "VisibilityTimeout": 45, "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:a", "maxReceiveCount": 2}}],
         "Streams": [{"Name": "api-stream", "ShardCount": 2}],
         "Topics": [{"TopicName": "api-topic", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:api-q", "RawMessageDelivery": true}]}],
         "Rules": [{"Name": "api-rule", "EventBusName": "api-bus", "State": "DISABLED", "EventPattern": {"detail": {"n": [{"numeric": [">", 3]}]}},
                    "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:api-q", "InputPath": "$.detail",
                                 "RetryPolicy": {"MaximumRetryAttempts": 4, "MaximumEventAgeInSeconds": 600},
                                 "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:b"}},
                                {"Id": "s", "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/api-stream", "KinesisParameters": {"PartitionKeyPath": "$.id"},
                                 "InputTransformer": {"InputPathsMap": {"s": "$.source"}, "InputTemplate": "{\"from\": <s>}"}}]},
                   {"Name": "api-on-default", "EventPattern": {"source": ["z"]}, "Targets": [{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:a", "Input": "{\"k\":1}"}]}]}
        """#
        let both = WorkspaceLoader.validate(files: [("Rules/main.json", Self.ruleFile(Self.rule("r1", source: "a", queue: "a"))), ("Rules/api.json", apiText)])
        let api = try #require(both.workspace, "\(both.problems)")
        let r = f.runtime
        _ = try r.queues.createQueues(api.queues.filter { $0.file == "Rules/api.json" }.map(\.configuration))
        for s in api.streams { _ = try r.streams.create(s.configuration) }
        for t in api.topics { _ = try r.topics.createTopic(t.configuration) }
        r.router.createBus("api-bus")
        for var rule in api.rules where rule.file == "Rules/api.json" {
            rule.file = nil
            try r.router.putRule(rule)
        }

        let document = r.exportAPIResources(origins: f.origins)
        #expect(document["Skipped"] == [])
        let out = try FunctionTempFolder()
        let written = try RuleFileExport.write(document, to: out.path + "/Rules")
        #expect(written.files.map(\.summary) == ["1 bus, 2 rules, 1 queue, 1 topic, 1 stream"])
        #expect(written.files.map { ($0.path as NSString).lastPathComponent } == ["api-123456789012-us-east-1.json"])
        try out.write("Rules/main.json", Self.ruleFile(Self.rule("r1", source: "a", queue: "a")))

        let loaded = WorkspaceLoader.validate(directory: out.path)
        let workspace = try #require(loaded.workspace, "\(loaded.problems.map(\.description))")
        let again = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1)
        for busArn in r.router.busArns {
            let before = r.router.rules(onBus: busArn).sorted { $0.name < $1.name }, after = again.router.rules(onBus: busArn).sorted { $0.name < $1.name }
            #expect(before.count == after.count, "\(busArn)")
            for (x, y) in zip(before, after) { #expect(WorkspaceChanges.sameRule(x, y), "\(x.name)") }
        }
        #expect(r.router.busArns == again.router.busArns)
        let queues = { (rt: RouterRuntime) in rt.queues.queues.map(\.configuration).sorted { $0.name < $1.name } }
        #expect(queues(r) == queues(again))
        #expect(r.streams.all.map(\.configuration) == again.streams.all.map(\.configuration))
        let endpoints = { (rt: RouterRuntime) in rt.topics.topics.map { $0.configuration.subscriptions.map { "\($0.endpoint) raw=\($0.rawMessageDelivery)" } } }
        #expect(endpoints(r) == endpoints(again))
        // Everything now comes from files: a second export has nothing to write.
        #expect(again.exportAPIResources(origins: ResourceOrigins(workspace: workspace))["Files"] == [])
    }
}

/// Counts attempts of a closure target.
final class AttemptCounter: Sendable {
    private let value = Mutex(0)
    /// Adds one; returns the new value.
    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}

extension HotReloadTests {
    @Test func changedQueueAttributesApplyAndARefusedOneChangesNothing() async throws {
        let f = try await Fixture(Self.ruleFile(Self.rule("r1", source: "a", queue: "a")))
        try f.edit(#"{"Queues": [{"QueueName": "a", "VisibilityTimeout": 90}, {"QueueName": "b"}], "Rules": ["# + Self.rule("r1", source: "a", queue: "a") + "]}")
        let outcome = try #require(await f.reloader.check())
        #expect(outcome.lines.contains("queue \(Self.queueArn("a")): attributes changed (messages it holds follow them from now on)"))
        #expect(f.runtime.queues.queue(arn: Self.queueArn("a"))?.configuration.visibilityTimeout == 90)

        // An API queue "c" with other attributes than the files' refuses the reload: a's new timeout is set back, the rule not changed.
        try f.edit(#"{"Queues": [{"QueueName": "a", "VisibilityTimeout": 10}, {"QueueName": "b"}, {"QueueName": "c"}], "Rules": ["#
            + Self.rule("r1", source: "a", queue: "c") + "]}")
        let api = try #require(WorkspaceLoader.validate(files: [("Rules/x.json", #"{"Queues": [{"QueueName": "c", "DelaySeconds": 5}]}"#)]).workspace)
        _ = try f.runtime.queues.createQueue(try #require(api.queues.first).configuration)  // an API queue "c" with other attributes
        let refused = try #require(await f.reloader.check())
        #expect(refused.status == .refused)
        #expect(refused.lines.first?.hasPrefix("reload refused: cannot create a resource of the new files, so nothing was changed: ") == true, "\(refused.lines)")
        #expect(f.runtime.queues.queue(arn: Self.queueArn("a"))?.configuration.visibilityTimeout == 90, "set back")
        try await f.put("a")
        #expect(f.messages("a") == 1, "the old rule still routes")
    }
}

extension HotReloadTests {
    @Test func anEditBetweenLoadingAndTheFirstScanIsApplied() async throws {
        let folder = try FunctionTempFolder()
        try folder.write("Rules/main.json", Self.ruleFile(Self.rule("r1", source: "a", queue: "a")))
        let workspace = try WorkspaceLoader.load(directory: folder.path)
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1)
        try folder.write("Rules/main.json", Self.ruleFile(Self.rule("r1", source: "a", queue: "b")))
        let reloader = WorkspaceReloader(runtime: runtime, workspace: workspace, directory: folder.path, origins: ResourceOrigins(workspace: workspace))
        let outcome = try #require(await reloader.prepare())
        #expect(outcome.lines == ["reloaded 1 rule file: 1 rule change", "rule arn:aws:events:us-east-1:123456789012:rule/r1 put"])
        #expect(await reloader.check() == nil)

        let unchanged = WorkspaceReloader(runtime: runtime, workspace: try WorkspaceLoader.load(directory: folder.path), directory: folder.path,
                                          origins: ResourceOrigins(workspace: workspace))
        #expect(await unchanged.prepare() == nil, "files as loaded: nothing to say")
    }
}
