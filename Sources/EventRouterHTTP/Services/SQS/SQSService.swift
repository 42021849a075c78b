import EventRouter

/// Amazon SQS in both of its protocols on one port: JSON 1.0 (`X-Amz-Target:
/// AmazonSQS.<Operation>`, current SDKs) and query (`Action=…`, older SDKs and CLIs), served
/// from the runtime's queues, so rule deliveries and wire calls see the same queues. Queue URLs
/// point back at this server.
///
/// Each operation builds its result once, in the JSON protocol's shape; ``SQSQueryXML`` renders
/// it for query clients.
public struct SQSService: AWSService {
    public let name = "sqs"
    public let xmlNamespace = "http://queue.amazonaws.com/doc/2012-11-05/"
    public var queryCompatible: Bool { true }
    /// The runtime whose queues this service reads and changes.
    public let runtime: RouterRuntime
    /// FIFO `ReceiveRequestAttemptId`s seen in the last 5 minutes.
    let attempts = SQSReceiveAttempts()

    /// - Parameter runtime: the running router (its clock and queue registry).
    public init(runtime: RouterRuntime) {
        self.runtime = runtime
    }

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        let request = SQSRequest(call: call, input: try SQSInput(call), queues: runtime.queues)
        let result: JSONObject?
        switch call.operation {
        case "CreateQueue": result = try await AWSError.storing(journaled: runtime.queues.isJournaled) { () throws(AWSError) -> JSONObject? in try createQueue(request) }
        case "GetQueueUrl": result = try getQueueUrl(request)
        case "ListQueues": result = try listQueues(request)
        case "DeleteQueue": result = try await AWSError.storing(journaled: runtime.queues.isJournaled) { () throws(AWSError) -> JSONObject? in try deleteQueue(request) }
        case "PurgeQueue": result = try await purgeQueue(request)
        case "ListDeadLetterSourceQueues": result = try listDeadLetterSourceQueues(request)
        case "GetQueueAttributes": result = try await getQueueAttributes(request)
        case "SetQueueAttributes": result = try await AWSError.storing(journaled: runtime.queues.isJournaled) { () throws(AWSError) -> JSONObject? in try setQueueAttributes(request) }
        case "AddPermission": result = try addPermission(request)
        case "RemovePermission": result = try removePermission(request)
        case "SendMessage": result = try await sendMessage(request)
        case "SendMessageBatch": result = try await sendMessageBatch(request)
        case "ReceiveMessage": result = try await receiveMessage(request)
        case "DeleteMessage": result = try await deleteMessage(request)
        case "DeleteMessageBatch": result = try await deleteMessageBatch(request)
        case "ChangeMessageVisibility": result = try await changeMessageVisibility(request)
        case "ChangeMessageVisibilityBatch": result = try await changeMessageVisibilityBatch(request)
        case "StartMessageMoveTask": result = try await startMessageMoveTask(request)
        case "ListMessageMoveTasks": result = try listMessageMoveTasks(request)
        case "CancelMessageMoveTask": result = try cancelMessageMoveTask(request)
        case "TagQueue": result = try await AWSError.storing(journaled: runtime.queues.isJournaled) { () throws(AWSError) -> JSONObject? in try tagQueue(request) }
        case "UntagQueue": result = try await AWSError.storing(journaled: runtime.queues.isJournaled) { () throws(AWSError) -> JSONObject? in try untagQueue(request) }
        case "ListQueueTags": result = try listQueueTags(request)
        default:
            var error = AWSError.unknownOperation(call.operation, service: name, protocol: call.protocol)
            error.queryCode = call.protocol == .query ? "InvalidAction" : "UnknownOperationException"
            throw error
        }
        if call.protocol == .query { return .query(resultXML: result.map { SQSQueryXML.render($0, operation: call.operation) }) }
        return .json(.object(result ?? JSONObject()))
    }
}
