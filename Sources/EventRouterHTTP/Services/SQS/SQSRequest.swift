import EventRouter

/// One SQS call being answered: its members, its caller, and the queues it may name.
struct SQSRequest: Sendable {
    let call: AWSCall
    let input: SQSInput
    let queues: QueueRegistry

    /// `HOST:PORT` for queue URLs: the request's `Host`, as the client addressed this server.
    var host: String { call.request.headers["Host"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1:4566" }

    /// The URL of `queue`.
    func url(of queue: MessageQueue) -> String {
        SQSQueueURL.url(host: host, account: queue.configuration.account, name: queue.name)
    }

    /// The queue of the request: its `QueueUrl` member, else the request path when the client
    /// sent the call to the queue URL itself (`POST /ACCOUNT/NAME`).
    /// - Throws: ``AWSError`` `MissingParameter`, or `QueueDoesNotExist`.
    func queue() throws(AWSError) -> MessageQueue {
        if let url = try input.string("QueueUrl") { return try queue(url: url, parameter: "QueueUrl") }
        if SQSQueueURL.parse(call.request.path) != nil { return try queue(url: call.request.path, parameter: "the request path") }
        throw SQSErrors.missing("QueueUrl")
    }

    /// The queue that `url` (a queue URL or ARN) names.
    func queue(url: String, parameter: String) throws(AWSError) -> MessageQueue {
        guard let address = SQSQueueURL.parse(url) else {
            throw SQSErrors.error("QueueDoesNotExist", "The specified queue does not exist: \(parameter) '\(url)' is not a queue URL; use the QueueUrl that CreateQueue or GetQueueUrl returned (http://HOST/ACCOUNT/NAME).")
        }
        guard let queue = SQSQueueURL.resolve(address, callerRegion: call.caller.region, in: queues) else {
            throw SQSErrors.error("QueueDoesNotExist", "The specified queue does not exist: no queue '\(address.name)' in account \(address.account) (region \(address.region ?? call.caller.region)); create it or check \(parameter).")
        }
        return queue
    }
}
