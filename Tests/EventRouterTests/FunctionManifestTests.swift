import Foundation
import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct FunctionManifestTests {
    @Test func defaultsFollowLambda() throws {
        let m = try FunctionManifest(json: #"{"Runtime": "process", "Handler": "handler.py"}"#, folder: "Functions/average")
        #expect(m.name == "average")
        #expect(m.mode == .invocation)
        #expect(m.timeoutSeconds == 3)
        #expect(m.maximumRetryAttempts == 2)
        #expect(m.maximumEventAgeInSeconds == 21_600)
        #expect(m.reservedConcurrentExecutions == nil)
        #expect(m.arn == "arn:aws:lambda:us-east-1:123456789012:function:average")
    }

    @Test func readsEveryKey() throws {
        let json = """
            {"Runtime": "process", "Handler": "bin/run", "Mode": "worker", "Timeout": 10, "ReservedConcurrentExecutions": 1,
             "MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 60, "Account": "111122223333",
             "DestinationConfig": {"OnSuccess": {"Destination": "arn:aws:events:us-east-1:111122223333:event-bus/results"},
                                   "OnFailure": {"Destination": "arn:aws:sqs:us-east-1:111122223333:failed"}},
             "DeadLetterConfig": {"TargetArn": "arn:aws:sns:us-east-1:111122223333:dlq"},
             "Environment": {"Variables": {"WINDOW": "5", "MODE": "fast"}}}
            """
        let m = try FunctionManifest(json: json, folder: "/ws/Functions/avg/", region: "eu-west-1")
        #expect(m.name == "avg")
        #expect(m.mode == .worker)
        #expect(m.timeout == .seconds(10))
        #expect(m.reservedConcurrentExecutions == 1)
        #expect(m.maximumRetryAttempts == 0)
        #expect(m.maximumEventAgeInSeconds == 60)
        #expect(m.onSuccessDestination == "arn:aws:events:us-east-1:111122223333:event-bus/results")
        #expect(m.onFailureDestination == "arn:aws:sqs:us-east-1:111122223333:failed")
        #expect(m.deadLetterTargetArn == "arn:aws:sns:us-east-1:111122223333:dlq")
        #expect(m.environment.map(\.key) == ["WINDOW", "MODE"])
        #expect(m.arn == "arn:aws:lambda:eu-west-1:111122223333:function:avg")
    }

    @Test(arguments: [
        (#"{"Runtime": "process", "Handler": "h", "Timout": 5}"#, "Functions/f/function.json: $.Timout: error: unknown key 'Timout' in a function manifest (did you mean 'Timeout'?)"),
        (#"{"Runtime": "node", "Handler": "h"}"#, "Functions/f/function.json: $.Runtime: error: 'Runtime' must be one of process, swift, provided, provided.al2, provided.al2023, python3.x (e.g. python3.12) or nodejsN.x (e.g. nodejs20.x, nodejs22.x), got 'node'"),
        (#"{"Runtime": "process"}"#, "Functions/f/function.json: $: error: missing required key 'Handler'"),
        (#"{"Runtime": "process", "Handler": "/usr/bin/env"}"#, "$.Handler: error: '/usr/bin/env' must be a path inside the function's folder"),
        (#"{"Runtime": "process", "Handler": "../x"}"#, "$.Handler: error: '../x' must stay inside the function's folder (no '..')"),
        (#"{"Runtime": "process", "Handler": "h", "MaximumRetryAttempts": 3}"#, "$.MaximumRetryAttempts: error: 'MaximumRetryAttempts' must be between 0 and 2, got 3"),
        (#"{"Runtime": "process", "Handler": "h", "MaximumEventAgeInSeconds": 30}"#, "$.MaximumEventAgeInSeconds: error: 'MaximumEventAgeInSeconds' must be between 60 and 21600, got 30"),
        (#"{"Runtime": "process", "Handler": "h", "Timeout": "3"}"#, "$.Timeout: error: 'Timeout' must be a whole number, not string"),
        (#"{"Runtime": "process", "Handler": "h", "Timeout": 1.5}"#, "$.Timeout: error: 'Timeout' must be a whole number, not 1.5"),
        (#"{"Runtime": "process", "Handler": "h", "Mode": "daemon"}"#, "$.Mode: error: 'Mode' must be one of invocation, worker, got 'daemon'"),
        (#"{"Runtime": "swift", "Handler": "Avg", "Mode": "worker"}"#, "$.Mode: error: 'Mode' \"worker\" applies to process functions only"),
        (#"{"Runtime": "process", "Handler": "h", "Account": "42"}"#, "$.Account: error: 'Account' must be a 12-digit account id, got '42'"),
        (#"{"Runtime": "process", "Handler": "h", "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:s3:::bucket"}}}"#,
         "$.DestinationConfig.OnFailure.Destination: error: malformed ARN 'arn:aws:s3:::bucket'"),
        (#"{"Runtime": "process", "Handler": "h", "DestinationConfig": {"OnFailure": {"Arn": "x"}}}"#,
         "$.DestinationConfig.OnFailure.Arn: error: unknown key 'Arn' in a destination"),
        (#"{"Runtime": "process", "Handler": "h", "DeadLetterConfig": {"TargetArn": "arn:aws:events:us-east-1:123456789012:event-bus/b"}}"#,
         "$.DeadLetterConfig.TargetArn: error: 'TargetArn' must be a queue or topic ARN, not an event bus ARN"),
        (#"{"Runtime": "process", "Handler": "h", "Environment": {"Variables": {"N": 5}}}"#,
         "$.Environment.Variables.N: error: 'N' must be a string, not number; quote it, e.g. \"5\""),
        (#"{"Runtime": "process", "Handler": "h", "Environment": {"N": "5"}}"#, "$.Environment.N: error: unknown key 'N' in Environment"),
        (#"{"Runtime": "process", "Handler": "h", "Runtime": "swift"}"#, "Functions/f/function.json: $: error: invalid JSON at byte"),
        (#"["Runtime"]"#, "Functions/f/function.json: $: error: the manifest must be a JSON object, not array"),
        (#"{"Runtime": "process", "Handler": "h""#, "Functions/f/function.json: $: error: invalid JSON at byte"),
    ])
    func reportsWhatIsWrongAndWhere(json: String, message: String) {
        do {
            _ = try FunctionManifest(json: json, folder: "Functions/f")
            Issue.record("expected an error containing \(message)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func reportsEveryProblemAtOnce() {
        do {
            _ = try FunctionManifest(json: #"{"Runtime": "java", "Timeout": 0, "Retries": 1}"#, folder: "Functions/f")
            Issue.record("expected errors")
        } catch {
            #expect(error.problems.map(\.path) == ["$.Retries", "$.Runtime", "$", "$.Timeout"])
        }
    }

    @Test func rejectsInvalidFolderNames() {
        #expect(throws: FunctionManifestError.self) {
            try FunctionManifest(json: #"{"Runtime": "process", "Handler": "h"}"#, folder: "Functions/bad name")
        }
    }

    @Test(arguments: [
        ("arn:aws:sqs:us-east-1:123456789012:q", DestinationKind.queue),
        ("arn:aws:sns:us-east-1:123456789012:t", .topic),
        ("arn:aws:events:us-east-1:123456789012:event-bus/default", .bus),
        ("arn:aws:lambda:us-east-1:123456789012:function:f", .function),
    ])
    func classifiesDestinationARNs(arn: String, kind: DestinationKind) {
        #expect(DestinationKind(arn: arn) == kind)
    }

    @Test func loaderScansFunctionFoldersAndReportsBrokenOnes() throws {
        let ws = try FunctionTempFolder()
        try ws.write("Functions/echo/function.json", #"{"Runtime": "process", "Handler": "run.sh"}"#)
        try ws.write("Functions/echo/run.sh", "#!/bin/sh\ncat\n", executable: true)
        try ws.write("Functions/swifty/function.json", #"{"Runtime": "swift", "Handler": "Swifty"}"#)
        try ws.write("Functions/noexec/function.json", #"{"Runtime": "process", "Handler": "run.sh"}"#)
        try ws.write("Functions/noexec/run.sh", "#!/bin/sh\ncat\n")
        try ws.write("Functions/missing/function.json", #"{"Runtime": "process", "Handler": "gone.py"}"#)
        try ws.write("Functions/broken/function.json", #"{"Runtime": "process", "Handler": "x", "Timeout": 0}"#)
        try ws.write("Functions/not-a-function/README.md", "nothing")
        let result = FunctionLoader(workspace: ws.path).scan()
        #expect(result.functions.map(\.name) == ["echo", "swifty"])
        let messages = result.problems.map(\.description)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.hasSuffix("broken/function.json: $.Timeout: error: 'Timeout' must be between 1 and 900, got 0") })
        #expect(messages.contains { $0.contains("missing/function.json: $.Handler: error: 'gone.py' does not exist in") })
        #expect(messages.contains { $0.contains("noexec/function.json: $.Handler: error: 'run.sh' is not executable; run chmod +x") })
        #expect(throws: FunctionManifestError.self) { try FunctionLoader(workspace: ws.path).load() }
        #expect(FunctionLoader(workspace: ws.path + "/nowhere").scan().functions.isEmpty)
    }

    @Test func aManifestThatIsALinkToNothingOrAFolderIsReported() throws {
        let ws = try FunctionTempFolder()
        try ws.write("Functions/linked/run.sh", "#!/bin/sh\ncat\n", executable: true)
        #expect(symlink(ws.path + "/gone.json", ws.path + "/Functions/linked/function.json") == 0)
        try FileManager.default.createDirectory(atPath: ws.path + "/Functions/folder/function.json", withIntermediateDirectories: true)
        let messages = FunctionLoader(workspace: ws.path).scan().problems.map(\.description)
        #expect(messages.count == 2)
        #expect(messages.contains { $0.hasSuffix("Functions/folder/function.json: it is a directory, not a regular file") })
        #expect(messages.contains { $0.hasSuffix("Functions/linked/function.json: it is a symbolic link to a file that does not exist") })
    }

    @Test func aSwiftFunctionNeedsItsHandlerCompiledIn() throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Known") { e, _ in e }
        let manifest = FunctionManifest(name: "f", runtime: .swift, handler: "Unknown")
        do {
            _ = try FunctionRuntime(manifest: manifest, registry: registry, clock: ManualClock())
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "function 'f': no Swift handler named 'Unknown' (compiled in: Known); check Handler in function.json")
        }
    }
}

@Suite struct FunctionSwiftHandlerTests {
    struct Average: CodableFunctionHandler {
        struct Event: Decodable { var values: [Double] }
        struct Output: Encodable { var average: Double }
        func handle(_ event: Event, context: FunctionContext) async throws -> Output {
            Output(average: event.values.reduce(0, +) / Double(max(event.values.count, 1)))
        }
    }

    @Test func codableHandlersDecodeAndEncode() async throws {
        let r = FunctionRuntime(manifest: .swiftTest(), handler: Average(), clock: ManualClock())
        #expect(await r.invoke(["values": [1, 2, 6]], requestId: "r") == .success(["average": 3]))
    }

    @Test func codableHandlersReportUndecodableEvents() async throws {
        let r = FunctionRuntime(manifest: .swiftTest(), handler: Average(), clock: ManualClock())
        #expect(await r.invoke(["value": 1], requestId: "r")
            == .functionError(FunctionError(type: "Runtime.UnmarshalError", message: "cannot decode the event as Event: missing key 'values'")))
    }

    @Test func contextCarriesRequestDeadlineAndAttempt() async throws {
        let clock = ManualClock()
        let r = FunctionRuntime(manifest: .swiftTest(timeout: 7), handler: ClosureFunctionHandler { _, c in
            ["id": .string(c.requestId), "arn": .string(c.functionArn), "attempt": .number(JSONNumber(c.attempt)),
             "deadline": .string(c.deadline.iso8601)]
        }, clock: clock)
        let result = await r.invoke(nil, requestId: "abc", attempt: 2)
        #expect(result == .success(["id": "abc", "arn": "arn:aws:lambda:us-east-1:123456789012:function:fn", "attempt": 2,
                                    "deadline": .string((clock.now + .seconds(7)).iso8601)]))
    }

    @Test func aSwiftHandlerThatOverrunsTimesOut() async throws {
        let clock = ManualClock()
        let gate = FunctionGate()
        let r = FunctionRuntime(manifest: .swiftTest(timeout: 1), handler: ClosureFunctionHandler { e, _ in
            await gate.enter()
            return e
        }, clock: clock)
        let invocation = Task { await r.invoke(nil, requestId: "r") }
        await gate.waitForEntered(1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        #expect(await invocation.value == .functionError(.timeout(seconds: 1)))
        gate.releaseAll()
    }
}
