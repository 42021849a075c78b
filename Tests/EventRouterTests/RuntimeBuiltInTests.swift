import Foundation
import Testing
@testable import EventRouter
import EventRouterTesting

/// The built-in `python3.x` and `nodejsN.x` runtimes with handlers written exactly as for AWS.
@Suite struct RuntimeBuiltInTests {
    static func function(_ dir: FunctionTempFolder, runtime: String, handler: String, files: [(String, String)]) throws -> FunctionRuntime {
        for (name, text) in files { try dir.write(name, text) }
        let json = #"{"Runtime": "\#(runtime)", "Handler": "\#(handler)", "Timeout": 60, "MemorySize": 256}"#
        let m = try FunctionManifest(json: json, folder: dir.path)
        return FunctionRuntime(manifest: m, handler: RuntimeAPIFunctionHandler(manifest: m), clock: SystemClock())
    }

    static let pythonApp = """
        import logging
        logger = logging.getLogger()
        logger.setLevel(logging.INFO)
        calls = 0

        def lambda_handler(event, context):
            global calls
            calls += 1
            if event.get("fail"):
                raise ValueError("bad order " + str(event["fail"]))
            print("printed line")
            logger.info("logged line")
            return {"calls": calls, "name": context.function_name, "version": context.function_version,
                    "arn": context.invoked_function_arn, "memory": context.memory_limit_in_mb,
                    "id": context.aws_request_id, "group": context.log_group_name, "stream": context.log_stream_name,
                    "remaining": context.get_remaining_time_in_millis() > 0, "echo": event}
        """

    @Test func anUnmodifiedPythonHandlerGetsItsContextStaysWarmAndLogs() async throws {
        let dir = try FunctionTempFolder()
        let r = try Self.function(dir, runtime: "python3.12", handler: "src/app.lambda_handler", files: [("src/app.py", Self.pythonApp)])
        defer { Task { await r.shutdown() } }
        let name = r.manifest.name
        let log = InvocationLog()
        let first = try #require(await r.invoke(["k": "v"], requestId: "req-1", log: log).successValue)
        #expect(first["calls"] == 1)
        #expect(first["name"]?.stringValue == name)
        #expect(first["version"] == "$LATEST")
        #expect(first["arn"]?.stringValue == r.manifest.arn)
        #expect(first["memory"] == "256")
        #expect(first["id"] == "req-1")
        #expect(first["group"]?.stringValue == "/aws/lambda/\(name)")
        #expect(first["stream"]?.stringValue?.isEmpty == false)
        #expect(first["echo"] == ["k": "v"])
        let text = String(decoding: log.tail, as: UTF8.self)
        #expect(text.contains("printed line\n"))
        #expect(text.contains("\treq-1\tlogged line"), "\(text)")
        let second = try #require(await r.invoke([:], requestId: "req-2").successValue)
        #expect(second["calls"] == 2, "module state survives between invocations (a warm start)")
    }

    @Test func aPythonExceptionIsErrorTypeMessageAndStackTrace() async throws {
        let dir = try FunctionTempFolder()
        let r = try Self.function(dir, runtime: "python3.11", handler: "app.lambda_handler", files: [("app.py", Self.pythonApp)])
        defer { Task { await r.shutdown() } }
        let error = try #require(await r.invoke(["fail": 7], requestId: "req-e").functionErrorValue)
        #expect(error.type == "ValueError")
        #expect(error.message == "bad order 7")
        #expect(error.payload["requestId"] == "req-e")
        let trace = error.payload["stackTrace"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(trace.count == 1 && trace[0].contains("app.py\", line 10, in lambda_handler"), "\(trace)")
    }

    @Test(arguments: [
        ("missing.lambda_handler", "Runtime.ImportModuleError", "Unable to import module 'missing': No module named 'missing'"),
        ("broken.lambda_handler", "Runtime.UserCodeSyntaxError", "Syntax error in module 'broken'"),
        ("app.nothing", "Runtime.HandlerNotFound", "Handler 'nothing' missing on module 'app'"),
    ])
    func pythonImportProblemsAreLambdasInitErrorsNamingTheFile(handler: String, type: String, message: String) async throws {
        let dir = try FunctionTempFolder()
        try dir.write("app.py", Self.pythonApp)
        try dir.write("broken.py", "def lambda_handler(event, context)\n    return 1\n")
        let m = FunctionManifest(name: "py", folder: dir.path, runtime: .python, handler: handler, timeoutSeconds: 60)
        var named = m
        named.runtimeName = "python3.12"
        let r = FunctionRuntime(manifest: named, handler: RuntimeAPIFunctionHandler(manifest: named), clock: SystemClock())
        let error = try #require(await r.invoke([:], requestId: "req-i").functionErrorValue)
        #expect(error.type == type)
        #expect(error.message.hasPrefix(message), "\(error.message)")
        if type == "Runtime.UserCodeSyntaxError" { #expect(error.message.contains("broken.py, line 1")) }
        if type == "Runtime.ImportModuleError" { #expect(error.message.contains("missing.py")) }
    }

    static let nodeAsync = """
        let calls = 0;
        export const handler = async (event, context) => {
          calls += 1;
          if (event.fail) throw new TypeError(`bad ${event.fail}`);
          console.log('logged', { calls });
          return { calls, name: context.functionName, id: context.awsRequestId, memory: context.memoryLimitInMB,
                   arn: context.invokedFunctionArn, remaining: context.getRemainingTimeInMillis() > 0,
                   waits: context.callbackWaitsForEmptyEventLoop, echo: event };
        };
        """

    static let nodeCallback = """
        exports.handler = function (event, context, callback) {
          if (event.dontWait) context.callbackWaitsForEmptyEventLoop = false;
          let late = 'not yet';
          setTimeout(() => { late = 'done'; console.log('timer fired'); }, 30);
          callback(null, { late: 'answered', group: context.logGroupName });
        };
        """

    @Test func anUnmodifiedNodeAsyncHandlerGetsItsContextAndStaysWarm() async throws {
        let dir = try FunctionTempFolder()
        let r = try Self.function(dir, runtime: "nodejs20.x", handler: "index.handler", files: [("index.mjs", Self.nodeAsync)])
        defer { Task { await r.shutdown() } }
        let log = InvocationLog()
        let first = try #require(await r.invoke(["k": 1], requestId: "n-1", log: log).successValue)
        #expect(first["calls"] == 1)
        #expect(first["name"]?.stringValue == r.manifest.name)
        #expect(first["id"] == "n-1")
        #expect(first["memory"] == "256")
        #expect(first["arn"]?.stringValue == r.manifest.arn)
        #expect(first["remaining"] == true)
        #expect(first["waits"] == true)
        #expect(String(decoding: log.tail, as: UTF8.self).contains("\tn-1\tINFO\tlogged { calls: 1 }"))
        #expect(try #require(await r.invoke([:], requestId: "n-2").successValue)["calls"] == 2)
        let error = try #require(await r.invoke(["fail": "x"], requestId: "n-3").functionErrorValue)
        #expect(error.type == "TypeError")
        #expect(error.message == "bad x")
        #expect(error.payload["trace"]?.arrayValue?.first == "TypeError: bad x")
    }

    @Test func aNodeCallbackHandlerWaitsForTheEmptyEventLoopUnlessToldNotTo() async throws {
        let dir = try FunctionTempFolder()
        let r = try Self.function(dir, runtime: "nodejs22.x", handler: "lib/index.handler", files: [("lib/index.js", Self.nodeCallback)])
        defer { Task { await r.shutdown() } }
        let log = InvocationLog()
        let value = try #require(await r.invoke([:], requestId: "c-1", log: log).successValue)
        #expect(value["late"] == "answered")
        #expect(value["group"]?.stringValue == "/aws/lambda/\(r.manifest.name)")
        #expect(String(decoding: log.tail, as: UTF8.self).contains("timer fired"), "the response waited for the timer")
        let quick = InvocationLog()
        _ = await r.invoke(["dontWait": true], requestId: "c-2", log: quick)
        #expect(!String(decoding: quick.tail, as: UTF8.self).contains("timer fired"))
    }

    @Test func aNodeSyntaxErrorIsUserCodeSyntaxErrorNamingTheFile() async throws {
        let dir = try FunctionTempFolder()
        let r = try Self.function(dir, runtime: "nodejs20.x", handler: "index.handler", files: [("index.js", "exports.handler = async (event => {;\n")])
        let error = try #require(await r.invoke([:], requestId: "s-1").functionErrorValue)
        #expect(error.type == "Runtime.UserCodeSyntaxError")
        #expect(error.message.hasPrefix("SyntaxError: "))
        #expect(error.message.contains("/index.js)"), "\(error.message)")
    }

    @Test(arguments: [
        ("missing.handler", "Runtime.ImportModuleError",
         "Error: Cannot find module 'missing' (looked for missing.js, missing.mjs and missing.cjs in "),
        ("imports.handler", "Runtime.ImportModuleError", "Error: Cannot find package 'not-installed' imported from "),
        ("index.nothing", "Runtime.HandlerNotFound", "index.nothing is undefined or not exported"),
    ])
    func nodeImportProblemsAreLambdasInitErrorsNamingTheFile(handler: String, type: String, message: String) async throws {
        let dir = try FunctionTempFolder()
        let r = try Self.function(dir, runtime: "nodejs20.x", handler: handler,
                                  files: [("index.mjs", Self.nodeAsync), ("imports.mjs", "import x from 'not-installed';\nexport const handler = async () => x;\n")])
        let error = try #require(await r.invoke([:], requestId: "i-1").functionErrorValue)
        #expect(error.type == type)
        #expect(error.message.hasPrefix(message), "\(error.message)")
        if handler == "missing.handler" { #expect(error.message.hasSuffix(" in \(dir.path))"), "names the folder it looked in") }
        if handler == "imports.handler" { #expect(error.message.contains("(importing \(dir.path)/imports.mjs)"), "names the file") }
    }

    @Test func aMissingInterpreterIsAClearErrorNamingTheRuntime() throws {
        var m = FunctionManifest(name: "greeter", folder: "/tmp", runtime: .nodejs, handler: "index.handler")
        m.runtimeName = "nodejs20.x"
        guard case .failure(let error) = RuntimeLaunch.resolve(m, path: "/nonexistent") else { Issue.record("node was found"); return }
        #expect(RuntimeLaunch.locate(m, path: "/nonexistent") == .failure(error), "validate warns with the same words")
        #expect(error == FunctionError(type: "Runtime.InvalidEntrypoint",
                                       message: "function 'greeter' uses the nodejs20.x runtime, but no node is on PATH (/nonexistent); install Node.js (node, version 18 or later) or start eventrouter with a PATH that has it"))
    }

    @Test func manifestsReadLambdasNames() throws {
        let json = #"""
            {"Runtime": "provided.al2023", "MemorySize": 1024, "Timeout": 30, "ReservedConcurrentExecutions": 2,
             "Environment": {"Variables": {"A": "1"}},
             "EventInvokeConfig": {"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 120,
               "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:dlq"}}}}
            """#
        let m = try FunctionManifest(json: json, folder: "Functions/custom")
        #expect(m.runtime == .provided && m.runtimeName == "provided.al2023" && m.handler == "")
        #expect(m.memorySize == 1024 && m.maximumRetryAttempts == 0 && m.maximumEventAgeInSeconds == 120)
        #expect(m.onFailureDestination == "arn:aws:sqs:us-east-1:123456789012:dlq")
        #expect(m.settingsJSON["Runtime"] == "provided.al2023")
    }

    @Test(arguments: [
        (#"{"Runtime": "python3.12", "Handler": "app"}"#, "$.Handler: error: 'app' must be module.function, e.g. \"app.lambda_handler\" (app.py, def lambda_handler)"),
        (#"{"Runtime": "Python3.12", "Handler": "app.h"}"#, "(values are case-sensitive: write 'python3.12' for python)"),
        (#"{"Runtime": "nodejs20.x", "Handler": "../x.handler"}"#, "'../x.handler' must name a module inside the function's folder"),
        (#"{"Runtime": "provided", "MemorySize": 64}"#, "$.MemorySize: error: 'MemorySize' must be between 128 and 10240, got 64"),
        (#"{"Runtime": "provided", "MaximumRetryAttempts": 1, "EventInvokeConfig": {"MaximumRetryAttempts": 0}}"#,
         "$.EventInvokeConfig.MaximumRetryAttempts: error: 'MaximumRetryAttempts' is set both at the top level and in EventInvokeConfig; keep one"),
        (#"{"Runtime": "provided", "Mode": "worker"}"#, "$.Mode: error: 'Mode' \"worker\" applies to process functions only"),
    ])
    func badLambdaSettingsSayWhatToChange(json: String, message: String) {
        #expect(throws: FunctionManifestError.self) { try FunctionManifest(json: json, folder: "Functions/f") }
        do {
            _ = try FunctionManifest(json: json, folder: "Functions/f")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func theLoaderReportsAMissingBootstrapOrModule() throws {
        let dir = try FunctionTempFolder()
        try dir.write("Functions/custom/function.json", #"{"Runtime": "provided"}"#)
        try dir.write("Functions/py/function.json", #"{"Runtime": "python3.12", "Handler": "app.lambda_handler"}"#)
        let scan = FunctionLoader(workspace: dir.path).scan()
        let text = scan.problems.map(\.description).joined(separator: "\n")
        #expect(text.contains("$.Runtime: error: a provided function runs the executable 'bootstrap' in its folder"))
        #expect(text.contains("$.Handler: error: 'app.lambda_handler' names the module 'app', but"))
        #expect(text.contains("has none of app.py, app/__init__.py"))
    }
}
