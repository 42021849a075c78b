import EventRouter

/// `eventrouter queue create|send|receive|delete|visibility|purge|stats|redrive`: SQS-style
/// operations on the queues of a state file. Logic: ``QueueStateFileOperations``.
struct QueueCommand: Command {
    static let name = "queue"
    static let summary = "Send, receive, delete, purge, redrive and inspect SQS-style queue messages in a state file"
    static let help = """
        Usage: eventrouter queue ACTION --state FILE --queue NAME|ARN [OPTIONS]

        Reads the state file (the 'replay --state-out' format), applies one operation to the
        queue, prints SQS's response shape as JSON and writes the file back if anything changed.

        Actions:
          create    [--attributes JSON]   add a queue; JSON uses the rule-file Queues keys
                    (VisibilityTimeout, FifoQueue, RedrivePolicy, …). Creates FILE if missing.
          send      --body TEXT [--attribute NAME=VALUE]… [--delay S] [--group-id G]
                    [--deduplication-id D]        (NAME:Number=V, NAME:Binary=BASE64 too)
          receive   [--max 1-10] [--visibility-timeout S] [--wait 0-20]
          delete    --receipt-handle H
          visibility --receipt-handle H --visibility-timeout S
          purge     delete every message (once per 60 s)
          stats     ApproximateNumberOfMessages, …NotVisible, …Delayed and the queue attributes
          redrive   move messages of this dead-letter queue back to their source queues
                    [--destination NAME|ARN] [--max N]

        Options:
          --now ISO         the time to act at. Default: the state's SnapshotTimestamp (when it
                            was written, also on a --virtual-time replay's clock), else the
                            system clock. Visibility, delay and retention use this time.
          --advance S       move the clock S seconds forward first (let timeouts expire)
          --account ID      account for a bare queue name on create (default 123456789012)
          --region NAME     region for a bare queue name on create (default us-east-1)

        What persists between calls: messages with their system attributes, and in each
        message's Attributes: VisibilityState (InFlight|Delayed), VisibleTimestamp,
        ReceiveTimestamp and ReceiptHandle, so a handle printed by 'receive' works with a
        later 'delete'. Each queue's Attributes keeps its configuration and SnapshotTimestamp;
        a FIFO queue keeps its deduplication ids (Deduplication, 5 minutes) and LastSequenceNumber.

        Commands on one state file may run at the same time: each holds a lock on FILE.lock
        (created beside it) for its whole read-modify-write, says on stderr when it waits for
        another, and writes the file atomically. MessageIds are random, unique across calls.
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        guard let verb = arguments.positional() else {
            throw UsageError("missing ACTION (create, send, receive, delete, visibility, purge, stats, redrive)")
        }
        let file = try arguments.requiredOption("state")
        let queue = try arguments.requiredOption("queue")
        let (account, region) = try StateFile.accountAndRegion(&arguments)
        let now = try StateFile.nowOption(&arguments)
        let advance = try arguments.intOption("advance") ?? 0
        guard advance >= 0 else { throw UsageError("--advance takes seconds >= 0, got \(advance)") }
        let action: QueueStateFileOperations.Action
        switch verb {
        case "create":
            var attributes = JSONObject()
            if let text = try arguments.option("attributes") {
                guard let object = (try? JSONParser.parse(text))?.objectValue else {
                    throw UsageError("--attributes takes a JSON object such as '{\"VisibilityTimeout\": 60}', got '\(text)'")
                }
                attributes = object
            }
            action = .create(attributes: attributes)
        case "send":
            let body = try arguments.requiredOption("body")
            var attributes: [String: MessageAttributeValue] = [:]
            for text in try arguments.repeatedOption("attribute") {
                let (key, value) = try QueueStateFileOperations.parseAttribute(text)
                attributes[key] = value
            }
            action = .send(
                body: body, attributes: attributes, delaySeconds: try arguments.intOption("delay"),
                groupId: try arguments.option("group-id"), deduplicationId: try arguments.option("deduplication-id"))
        case "receive":
            action = .receive(
                maxNumberOfMessages: try arguments.intOption("max") ?? 1,
                visibilityTimeout: try arguments.intOption("visibility-timeout"), waitTimeSeconds: try arguments.intOption("wait"))
        case "delete":
            action = .delete(receiptHandle: try arguments.requiredOption("receipt-handle"))
        case "visibility":
            guard let timeout = try arguments.intOption("visibility-timeout") else { throw UsageError("visibility needs --visibility-timeout S") }
            action = .changeVisibility(receiptHandle: try arguments.requiredOption("receipt-handle"), visibilityTimeout: timeout)
        case "purge":
            action = .purge
        case "stats":
            action = .stats
        case "redrive":
            action = .redrive(destination: try arguments.option("destination"), maxNumberOfMessages: try arguments.intOption("max"))
        default:
            throw UsageError("unknown action '\(verb)'; use create, send, receive, delete, visibility, purge, stats or redrive")
        }
        try arguments.finish()

        let output = try await QueueStateFileOperations.run(
            action, queue: queue, file: StateFile.store(file), now: now, advance: advance, account: account, region: region,
            whileWaiting: StateFile.waiting(name))
        Output.out(output.jsonText + "\n")
        return 0
    }
}
