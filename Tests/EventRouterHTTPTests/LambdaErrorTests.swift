import EventRouter
import Testing
@testable import EventRouterHTTP

/// Every class of bad Lambda input answers the model's status, the code in `x-amzn-ErrorType`
/// and a message saying what to change.
@Suite struct LambdaErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var target: String
        var body: String = ""
        var headers: [(String, String)] = []
        var status: Int
        var code: String
        var fragment: String
        var testDescription: String { name }
    }

    static let echo = "/2015-03-31/functions/echo"
    static let big = "{\"a\": \"" + String(repeating: "x", count: 6_291_456) + "\"}"
    static let overAsync = "{\"a\": \"" + String(repeating: "x", count: 1_048_576) + "\"}"

    static let cases: [Case] = [
        Case(name: "unknown function", method: "POST", target: "/2015-03-31/functions/ghost/invocations", body: "{}", status: 404,
             code: "ResourceNotFoundException", fragment: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost. Functions are folders under Functions/"),
        Case(name: "unknown function by percent-encoded ARN", method: "GET",
             target: "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aghost/configuration", status: 404,
             code: "ResourceNotFoundException", fragment: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost"),
        Case(name: "function of another account by partial ARN", method: "GET", target: "/2015-03-31/functions/111122223333%3Afunction%3Aecho",
             status: 404, code: "ResourceNotFoundException", fragment: "Function not found: arn:aws:lambda:us-east-1:111122223333:function:echo"),
        Case(name: "malformed function name", method: "GET", target: "/2015-03-31/functions/a%20b", status: 400,
             code: "ValidationException", fragment: "Value 'a b' at 'functionName' failed to satisfy constraint"),
        Case(name: "unknown path", method: "GET", target: "\(echo)/nonsense", status: 404,
             code: "UnknownOperationException", fragment: "no Lambda operation is served at GET /2015-03-31/functions/echo/nonsense"),
        Case(name: "unknown path under a Lambda date", method: "GET", target: "/2017-03-31/tags/x", status: 404,
             code: "UnknownOperationException", fragment: "EventRouter serves GET /2015-03-31/functions"),
        Case(name: "wrong method", method: "PUT", target: "\(echo)/invocations", body: "{}", status: 405,
             code: "UnknownOperationException", fragment: "PUT is not allowed on /2015-03-31/functions/{FunctionName}/invocations; this path takes POST (Invoke)"),
        Case(name: "wrong method on a mapping", method: "POST", target: "/2015-03-31/event-source-mappings/abc", status: 405,
             code: "UnknownOperationException", fragment: "this path takes GET (GetEventSourceMapping), PUT (UpdateEventSourceMapping), DELETE (DeleteEventSourceMapping)"),
        Case(name: "unknown qualifier", method: "POST", target: "\(echo)/invocations?Qualifier=prod", body: "{}", status: 404,
             code: "ResourceNotFoundException", fragment: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:echo:prod. The function's aliases are none; declare \"Aliases\": {\"prod\": \"$LATEST\"} in Functions/echo/function.json, or use $LATEST"),
        Case(name: "unknown qualifier in the name", method: "GET", target: "/2015-03-31/functions/echo%3A7", status: 404,
             code: "ResourceNotFoundException", fragment: "function:echo:7. The function's aliases are none"),
        Case(name: "malformed qualifier", method: "POST", target: "\(echo)/invocations?Qualifier=a%20b", body: "{}", status: 400,
             code: "ValidationException", fragment: "Value 'a b' at 'qualifier' failed to satisfy constraint"),
        Case(name: "two different qualifiers", method: "POST", target: "/2015-03-31/functions/echo%3Aprod/invocations?Qualifier=%24LATEST", body: "{}",
             status: 400, code: "InvalidParameterValueException", fragment: "The derived qualifier from the function name does not match the specified qualifier"),
        Case(name: "oversize synchronous payload", method: "POST", target: "\(echo)/invocations", body: big, status: 413,
             code: "RequestEntityTooLargeException", fragment: "Request must be smaller than 6291456 bytes for the InvokeFunction operation"),
        Case(name: "oversize asynchronous payload", method: "POST", target: "\(echo)/invocations", body: overAsync,
             headers: [("X-Amz-Invocation-Type", "Event")], status: 413,
             code: "RequestEntityTooLargeException", fragment: "Request must be smaller than 1048576 bytes for the InvokeAsync operation"),
        Case(name: "payload not JSON", method: "POST", target: "\(echo)/invocations", body: "{nope", status: 400,
             code: "InvalidRequestContentException", fragment: "Could not parse request body into json: the payload is not valid JSON"),
        Case(name: "unknown invocation type", method: "POST", target: "\(echo)/invocations", body: "{}",
             headers: [("X-Amz-Invocation-Type", "Later")], status: 400, code: "ValidationException", fragment: "Value 'Later' at 'invocationType'"),
        Case(name: "unknown log type", method: "POST", target: "\(echo)/invocations", body: "{}",
             headers: [("X-Amz-Log-Type", "Full")], status: 400, code: "ValidationException", fragment: "Value 'Full' at 'logType'"),
        Case(name: "retry attempts out of range", method: "PUT", target: "/2019-09-25/functions/echo/event-invoke-config",
             body: #"{"MaximumRetryAttempts": 3}"#, status: 400, code: "InvalidParameterValueException",
             fragment: "MaximumRetryAttempts: 3 is out of range: it must be between 0 and 2"),
        Case(name: "event age out of range", method: "POST", target: "/2019-09-25/functions/echo/event-invoke-config",
             body: #"{"MaximumEventAgeInSeconds": 30}"#, status: 400, code: "InvalidParameterValueException",
             fragment: "MaximumEventAgeInSeconds: 30 is out of range: it must be between 60 and 21600"),
        Case(name: "retry attempts of the wrong type", method: "PUT", target: "/2019-09-25/functions/echo/event-invoke-config",
             body: #"{"MaximumRetryAttempts": "two"}"#, status: 400, code: "InvalidRequestContentException",
             fragment: "member 'MaximumRetryAttempts' must be a whole number"),
        Case(name: "destination not a destination", method: "PUT", target: "/2019-09-25/functions/echo/event-invoke-config",
             body: #"{"DestinationConfig": {"OnFailure": {"Destination": "arn:aws:s3:::bucket"}}}"#, status: 400,
             code: "InvalidParameterValueException", fragment: "DestinationConfig.OnFailure.Destination: The destination ARN arn:aws:s3:::bucket is invalid"),
        Case(name: "event-invoke config body not JSON", method: "PUT", target: "/2019-09-25/functions/echo/event-invoke-config", body: "[1",
             status: 400, code: "InvalidRequestContentException", fragment: "Could not parse request body into json"),
        Case(name: "no event-invoke config", method: "GET", target: "/2019-09-25/functions/echo/event-invoke-config", status: 404,
             code: "ResourceNotFoundException", fragment: "function:echo:$LATEST doesn't have an EventInvokeConfig"),
        Case(name: "reservation leaving less than 100 unreserved", method: "PUT", target: "/2017-10-31/functions/echo/concurrency",
             body: #"{"ReservedConcurrentExecutions": 950}"#, status: 400, code: "InvalidParameterValueException",
             fragment: "decreases account's UnreservedConcurrentExecution below its minimum value of [100]"),
        Case(name: "reservation missing", method: "PUT", target: "/2017-10-31/functions/echo/concurrency", body: "{}", status: 400,
             code: "ValidationException", fragment: "Value null at 'ReservedConcurrentExecutions'"),
        Case(name: "unknown mapping UUID", method: "GET", target: "/2015-03-31/event-source-mappings/0000-nope", status: 404,
             code: "ResourceNotFoundException", fragment: "no event source mapping has UUID '0000-nope'"),
        Case(name: "delete an unknown mapping", method: "DELETE", target: "/2015-03-31/event-source-mappings/0000-nope", status: 404,
             code: "ResourceNotFoundException", fragment: "no event source mapping has UUID '0000-nope'"),
        Case(name: "mapping to an unknown queue", method: "POST", target: "/2015-03-31/event-source-mappings/",
             body: #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:ghost", "FunctionName": "echo"}"#, status: 400,
             code: "InvalidParameterValueException", fragment: "EventSourceArn: no queue 'arn:aws:sqs:us-east-1:123456789012:ghost'"),
        Case(name: "mapping to an unknown stream", method: "POST", target: "/2015-03-31/event-source-mappings/",
             body: #"{"EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/ghost", "FunctionName": "echo", "StartingPosition": "LATEST"}"#,
             status: 400, code: "InvalidParameterValueException", fragment: "EventSourceArn: "),
        Case(name: "mapping to something else", method: "POST", target: "/2015-03-31/event-source-mappings/",
             body: #"{"EventSourceArn": "arn:aws:sns:us-east-1:123456789012:t", "FunctionName": "echo"}"#, status: 400,
             code: "InvalidParameterValueException", fragment: "'EventSourceArn' must be the ARN of a queue"),
        Case(name: "mapping of an unknown function", method: "POST", target: "/2015-03-31/event-source-mappings/",
             body: #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:inbox", "FunctionName": "ghost"}"#, status: 404,
             code: "ResourceNotFoundException", fragment: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost"),
        Case(name: "mapping batch size out of range", method: "POST", target: "/2015-03-31/event-source-mappings/",
             body: #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:inbox", "FunctionName": "echo", "BatchSize": 0}"#, status: 400,
             code: "InvalidParameterValueException", fragment: "BatchSize"),
        Case(name: "mapping filter not a pattern", method: "POST", target: "/2015-03-31/event-source-mappings/",
             body: #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:inbox", "FunctionName": "echo", "FilterCriteria": {"Filters": [{"Pattern": "{\"body\": 5}"}]}}"#,
             status: 400, code: "InvalidParameterValueException", fragment: "FilterCriteria.Filters[0].Pattern: 'Pattern' is not a valid filter pattern"),
        Case(name: "mapping option of the wrong source", method: "POST", target: "/2015-03-31/event-source-mappings/",
             body: #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:inbox", "FunctionName": "echo", "ParallelizationFactor": 2}"#,
             status: 400, code: "InvalidParameterValueException", fragment: "ParallelizationFactor: 'ParallelizationFactor' is only valid for a stream mapping"),
        Case(name: "CreateFunction refused", method: "POST", target: "/2015-03-31/functions",
             body: #"{"FunctionName": "new", "Role": "arn:aws:iam::123456789012:role/r", "Code": {}}"#, status: 400,
             code: "InvalidParameterValueException", fragment: "CreateFunction is not served: in EventRouter functions are folders under Functions/"),
        Case(name: "UpdateFunctionCode refused", method: "PUT", target: "\(echo)/code", body: "{}", status: 400,
             code: "InvalidParameterValueException", fragment: "Layout: Functions/NAME/function.json"),
        Case(name: "UpdateFunctionConfiguration refused", method: "PUT", target: "\(echo)/configuration", body: "{}", status: 400,
             code: "InvalidParameterValueException", fragment: "change a function by editing its folder"),
        Case(name: "DeleteFunction refused", method: "DELETE", target: echo, status: 400,
             code: "InvalidParameterValueException", fragment: "delete a function by removing its folder"),
        Case(name: "MaxItems out of range", method: "GET", target: "/2015-03-31/functions/?MaxItems=0", status: 400,
             code: "InvalidParameterValueException", fragment: "MaxItems: '0' must be a whole number from 1 to 10000"),
        Case(name: "unknown marker", method: "GET", target: "/2015-03-31/functions/?Marker=zzz", status: 400,
             code: "InvalidParameterValueException", fragment: "Marker: 'zzz' is not a marker this listing returned"),
    ]

    @Test(arguments: cases) func badInputAnswersLambdasCodeAndSaysWhatToChange(_ c: Case) async throws {
        let f = try LambdaFixture()
        let (response, json) = await f.call(c.method, c.target, c.body, headers: c.headers)
        #expect(response.status == c.status, "\(json)")
        #expect(response.headers["x-amzn-ErrorType"] == c.code, "\(json)")
        #expect(json["Message"]?.stringValue?.contains(c.fragment) == true, "\(json["Message"] ?? .null)")
    }

    @Test func aSynchronousInvocationOverTheReservationIs429WithItsReason() async throws {
        let f = try LambdaFixture()
        let (response, json) = await f.call("POST", "/2015-03-31/functions/closed/invocations", "{}")
        #expect(response.status == 429)
        #expect(response.headers["x-amzn-ErrorType"] == "TooManyRequestsException")
        #expect(json["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded")
        #expect(json["message"]?.stringValue?.contains("Rate Exceeded.") == true)
    }

    @Test func anUpdateCannotMoveAMappingToAnotherSource() async throws {
        let f = try LambdaFixture()
        let (created, mapping) = await f.call("POST", "/2015-03-31/event-source-mappings/",
                                               #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:inbox", "FunctionName": "echo"}"#)
        #expect(created.status == 202)
        let uuid = try #require(mapping["UUID"]?.stringValue)
        let (response, json) = await f.call("PUT", "/2015-03-31/event-source-mappings/\(uuid)",
                                            #"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:results"}"#)
        #expect(response.status == 400)
        #expect(json["Message"]?.stringValue?.contains("EventSourceArn: cannot be changed by UpdateEventSourceMapping") == true, "\(json)")
    }

    @Test func aBadRequestDisturbsNothing() async throws {
        let f = try LambdaFixture()
        _ = await f.call("PUT", "/2019-09-25/functions/echo/event-invoke-config", #"{"MaximumRetryAttempts": 1}"#)
        _ = await f.call("PUT", "/2019-09-25/functions/echo/event-invoke-config", #"{"MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 5}"#)
        let (_, json) = await f.call("GET", "/2019-09-25/functions/echo/event-invoke-config")
        #expect(json["MaximumRetryAttempts"] == 1)
        #expect(json["MaximumEventAgeInSeconds"] == 21_600)
    }
}
