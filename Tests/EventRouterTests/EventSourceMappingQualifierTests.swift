import Testing
@testable import EventRouter
import EventRouterTesting

/// A Kinesis event source mapping on a qualified function (`NAME:ALIAS`): its own on-failure
/// record names the function with the qualifier and the version the alias runs, as Lambda's does.
@Suite struct EventSourceMappingQualifierTests {
    @Test(arguments: [
        ("fn:live", "arn:aws:lambda:us-east-1:123456789012:function:fn:live", "2"),
        ("fn:2", "arn:aws:lambda:us-east-1:123456789012:function:fn:2", "2"),
        ("fn:$LATEST", "arn:aws:lambda:us-east-1:123456789012:function:fn", "$LATEST"),
        ("fn", "arn:aws:lambda:us-east-1:123456789012:function:fn", "$LATEST"),
    ])
    func theOnFailureRecordCarriesTheMappingsQualifier(functionName: String, recordArn: String, executedVersion: String) async throws {
        let f = EventSourceMappingFixture()
        _ = try f.stream().putRecord(data: "d0", partitionKey: "k")
        var manifest = FunctionManifest(name: "fn", runtime: .swift, handler: "fn", timeoutSeconds: 3)
        manifest.aliases = [(name: "live", version: "2")]
        let function = FunctionRuntime(manifest: manifest, handler: ClosureFunctionHandler { _, _ in
            throw FunctionError(type: "Boom", message: "no")
        }, clock: f.clock)
        let mapping = #"{"EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "FunctionName": "\#(functionName)", "# +
            #""StartingPosition": "TRIM_HORIZON", "MaximumRetryAttempts": 0, "# +
            #""DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:failed"}}}"#
        let runner = try f.runner([mapping], function: function)
        #expect(await runner.runUntilIdle(on: f.clock).reason == .drained)
        let body = try #require(f.sink.messages.first?.body)
        #expect(body["requestContext"]?["functionArn"] == .string(recordArn))
        #expect(body["responseContext"]?["executedVersion"] == .string(executedVersion))
    }
}
