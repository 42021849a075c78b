import Testing
@testable import EventRouter
import EventRouterFunctions

/// `invoke --async`'s outcome JSON, built by the library (it used to be built by hand in the CLI).
@Suite struct FunctionAsyncInvocationReportTests {
    let functions = FunctionWorkspace(workspace: FunctionWorkspaceTests.repository, registry: CompiledFunctions.registry())

    @Test func aFailureWithADestinationReportsTheDestinationMessage() async throws {
        let report = try await functions.invokeAsyncReport("order-total", payload: ["detail": ["orderId": "o-2", "items": []]],
                                                           timeoutClock: ManualClock())
        #expect(!report.succeeded)
        let json = report.json
        #expect(json["Condition"] == "RetriesExhausted")
        #expect(json["ApproximateInvokeCount"] == 2)
        #expect(json["VirtualSeconds"] == 60)
        #expect(json["Record"] == nil)
        #expect(json["Destination"]?["Kind"] == "invocationRecord")
        #expect(json["Destination"]?["DestinationArn"] == "arn:aws:sqs:us-east-1:123456789012:order-total-failures")
        #expect(json["Destination"]?["Body"]?["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(json["RequestId"] == json["Destination"]?["Body"]?["requestContext"]?["requestId"])
    }

    @Test func aSuccessWithoutADestinationReportsTheRecord() async throws {
        let report = try await functions.invokeAsyncReport("echo", payload: ["n": 1], timeoutClock: ManualClock())
        #expect(report.succeeded)
        let json = report.json
        #expect(json["Condition"] == "Success")
        #expect(json["LastResponse"] == ["n": 1])
        #expect(json["Destination"] == .null)
        #expect(json["Record"]?["requestContext"]?["functionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST")
        #expect(json["Record"]?["responsePayload"] == ["n": 1])
    }

    @Test func anUnknownFunctionIsAnError() async {
        await #expect(throws: EventRouterError.self) { _ = try await functions.invokeAsyncReport("nope", payload: [:]) }
    }
}
