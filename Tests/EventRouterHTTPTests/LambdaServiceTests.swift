import EventRouter
import Testing
@testable import EventRouterHTTP

/// Lambda's operations over rest-json against the engine: what they answer and what they change.
@Suite struct LambdaServiceTests {
    @Test func aSynchronousInvocationAnswersTheResultWithTheExecutedVersionAndTheLogTail() async throws {
        let f = try LambdaFixture()
        let (response, json) = await f.call("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho/invocations",
                                            #"{"n": 1}"#, headers: [("X-Amz-Log-Type", "Tail")])
        #expect(response.status == 200)
        #expect(json == ["n": 1])
        #expect(response.headers["X-Amz-Executed-Version"] == "$LATEST")
        #expect(response.headers["X-Amz-Function-Error"] == nil)
        let log = String(decoding: Base64.decode(try #require(response.headers["X-Amz-Log-Result"])) ?? [], as: UTF8.self)
        #expect(log.hasPrefix("START RequestId: "))
        #expect(log.contains("echo handling "))
        #expect(log.contains("\nEND RequestId: ") && log.contains("\nREPORT RequestId: "))
    }

    @Test func aFunctionErrorIsA200WithTheFunctionErrorHeader() async throws {
        let f = try LambdaFixture()
        let (response, json) = await f.call("POST", "/2015-03-31/functions/fail/invocations", "{}")
        #expect(response.status == 200)
        #expect(response.headers["X-Amz-Function-Error"] == "Unhandled")
        #expect(json["errorType"] == "Boom")
        #expect(json["errorMessage"] == "it always fails")
        #expect(response.headers["X-Amz-Log-Result"] == nil)
    }

    @Test func dryRunIs204AndAnEmptyPayloadIsAnEmptyObject() async throws {
        let f = try LambdaFixture()
        let (dry, _) = await f.call("POST", "/2015-03-31/functions/echo/invocations", "{}", headers: [("X-Amz-Invocation-Type", "DryRun")])
        #expect(dry.status == 204)
        #expect(dry.body.isEmpty)
        let (response, json) = await f.call("POST", "/2015-03-31/functions/echo/invocations")
        #expect(response.status == 200)
        #expect(json == [:])
    }

    @Test func anEventInvocationGoesThroughTheEventInvokeConfigPutOverTheAPI() async throws {
        let f = try LambdaFixture()
        let put = await f.call("PUT", "/2019-09-25/functions/fail/event-invoke-config",
                               #"{"MaximumRetryAttempts": 1, "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:failures"}}}"#)
        #expect(put.response.status == 200)
        #expect(put.json["FunctionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:fail:$LATEST")
        #expect(put.json["DestinationConfig"]?["OnSuccess"] == [:])
        let (response, _) = await f.call("POST", "/2015-03-31/functions/fail/invocations", #"{"k": "v"}"#, headers: [("X-Amz-Invocation-Type", "Event")])
        #expect(response.status == 202)
        #expect(response.body.isEmpty)
        _ = await f.runtime.settle()
        let records = f.bodies("failures")
        #expect(records.count == 1)
        #expect(records.first?["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(records.first?["requestContext"]?["approximateInvokeCount"] == 2)
        #expect(records.first?["requestPayload"] == ["k": "v"])
    }

    @Test func updateKeepsWhatItDoesNotNameAndDeleteRestoresLambdasDefaults() async throws {
        let f = try LambdaFixture()
        _ = await f.call("PUT", "/2019-09-25/functions/echo/event-invoke-config", #"{"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 120}"#)
        let (_, updated) = await f.call("POST", "/2019-09-25/functions/echo/event-invoke-config",
                                        #"{"DestinationConfig": {"OnSuccess": {"Destination": "arn:aws:sqs:us-east-1:123456789012:results"}}}"#)
        #expect(updated["MaximumRetryAttempts"] == 0)
        #expect(updated["MaximumEventAgeInSeconds"] == 120)
        #expect(updated["DestinationConfig"]?["OnSuccess"]?["Destination"] == "arn:aws:sqs:us-east-1:123456789012:results")
        let (_, list) = await f.call("GET", "/2019-09-25/functions/echo/event-invoke-config/list")
        #expect(list["FunctionEventInvokeConfigs"]?.arrayValue?.count == 1)
        let (deleted, _) = await f.call("DELETE", "/2019-09-25/functions/echo/event-invoke-config")
        #expect(deleted.status == 204)
        let policy = try #require(f.runtime.functions.runtime(for: "echo")).settings.policy
        #expect(policy.maximumRetryAttempts == 2)
        #expect(policy.maximumEventAge == .seconds(21_600))
    }

    @Test func concurrencyIsReservedReportedAndReleased() async throws {
        let f = try LambdaFixture()
        let (put, json) = await f.call("PUT", "/2017-10-31/functions/echo/concurrency", #"{"ReservedConcurrentExecutions": 5}"#)
        #expect(put.status == 200)
        #expect(json["ReservedConcurrentExecutions"] == 5)
        #expect(await f.call("GET", "/2019-09-30/functions/echo/concurrency").json["ReservedConcurrentExecutions"] == 5)
        #expect(await f.call("GET", "/2015-03-31/functions/echo").json["Concurrency"]?["ReservedConcurrentExecutions"] == 5)
        let account = await f.call("GET", "/2016-08-19/account-settings/").json
        #expect(account["AccountLimit"]?["ConcurrentExecutions"] == 1000)
        #expect(account["AccountLimit"]?["UnreservedConcurrentExecutions"] == 995)
        #expect(account["AccountUsage"]?["FunctionCount"] == 3)
        let (deleted, _) = await f.call("DELETE", "/2017-10-31/functions/echo/concurrency")
        #expect(deleted.status == 204)
        #expect(await f.call("GET", "/2019-09-30/functions/echo/concurrency").json == [:])
        #expect(await f.call("GET", "/2016-08-19/account-settings/").json["AccountLimit"]?["UnreservedConcurrentExecutions"] == 1000)
    }

    @Test func aZeroReservationThrottlesAndReleasingItLetsTheFunctionRun() async throws {
        let f = try LambdaFixture()
        #expect(await f.call("POST", "/2015-03-31/functions/closed/invocations", "{}").response.status == 429)
        _ = await f.call("DELETE", "/2017-10-31/functions/closed/concurrency")
        #expect(await f.call("POST", "/2015-03-31/functions/closed/invocations", "{}").response.status == 200)
    }

    @Test func listFunctionsPagesWithMarkers() async throws {
        let f = try LambdaFixture()
        let (_, first) = await f.call("GET", "/2015-03-31/functions/?MaxItems=2")
        #expect(first["Functions"]?.arrayValue?.compactMap { $0["FunctionName"]?.stringValue } == ["closed", "echo"])
        let marker = try #require(first["NextMarker"]?.stringValue)
        let (_, second) = await f.call("GET", "/2015-03-31/functions/?MaxItems=2&Marker=\(marker)")
        #expect(second["Functions"]?.arrayValue?.compactMap { $0["FunctionName"]?.stringValue } == ["fail"])
        #expect(second["NextMarker"] == nil)
        let config = first["Functions"]?[1]
        #expect(config?["State"] == "Active")
        #expect(config?["LastUpdateStatus"] == "Successful")
        #expect(config?["LastModified"]?.stringValue?.hasSuffix("+0000") == true)
    }

    @Test func aMappingCreatedOverTheAPIFeedsItsFunctionAndCanBeDisabledAndDeleted() async throws {
        let f = try LambdaFixture()
        let (created, mapping) = await f.call("POST", "/2015-03-31/event-source-mappings/",
                                              #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:inbox", "FunctionName": "echo", "BatchSize": 5, "ScalingConfig": {"MaximumConcurrency": 2}}"#)
        #expect(created.status == 202)
        #expect(mapping["State"] == "Creating")
        #expect(mapping["ScalingConfig"]?["MaximumConcurrency"] == 2)
        let uuid = try #require(mapping["UUID"]?.stringValue)
        let queue = try #require(f.runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:inbox"))
        _ = try await queue.sendMessage(body: "hello")
        _ = await f.runtime.settle()
        let (_, got) = await f.call("GET", "/2015-03-31/event-source-mappings/\(uuid)")
        #expect(got["State"] == "Enabled")
        #expect(got["LastProcessingResult"] == "OK")
        #expect(f.runtime.functions.runtime(for: "echo")?.metrics.snapshot.invocations == 1)
        let (updated, u) = await f.call("PUT", "/2015-03-31/event-source-mappings/\(uuid)", #"{"Enabled": false}"#)
        #expect(updated.status == 202)
        #expect(u["State"] == "Disabling")
        #expect(u["BatchSize"] == 5)
        _ = try await queue.sendMessage(body: "held")
        _ = await f.runtime.settle()
        #expect(f.runtime.functions.runtime(for: "echo")?.metrics.snapshot.invocations == 1)
        let (_, list) = await f.call("GET", "/2015-03-31/event-source-mappings/?FunctionName=echo")
        #expect(list["EventSourceMappings"]?.arrayValue?.count == 1)
        let (deleted, d) = await f.call("DELETE", "/2015-03-31/event-source-mappings/\(uuid)")
        #expect(deleted.status == 202)
        #expect(d["State"] == "Deleting")
        #expect(await f.call("GET", "/2015-03-31/event-source-mappings/\(uuid)").response.status == 404)
    }

    @Test func aFilterDeletesQueueMessagesThatMatchNoPattern() async throws {
        let f = try LambdaFixture()
        _ = await f.call("POST", "/2015-03-31/event-source-mappings/",
                         #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:inbox", "FunctionName": "echo", "FilterCriteria": {"Filters": [{"Pattern": "{\"body\": {\"kind\": [\"order\"]}}"}]}}"#)
        let queue = try #require(f.runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:inbox"))
        _ = try await queue.sendMessage(body: #"{"kind": "other"}"#)
        _ = await f.runtime.settle()
        #expect(f.runtime.functions.runtime(for: "echo")?.metrics.snapshot.invocations == 0)
        #expect(try await queue.statistics().total == 0)
        _ = try await queue.sendMessage(body: #"{"kind": "order"}"#)
        _ = await f.runtime.settle()
        #expect(f.runtime.functions.runtime(for: "echo")?.metrics.snapshot.invocations == 1)
    }
}
