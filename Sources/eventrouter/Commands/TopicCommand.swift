import EventRouter

/// `eventrouter topic publish`: publishes one message to an SNS-style topic of the workspace and
/// delivers it to the queues of a state file. Logic: ``TopicStateFileOperations``.
struct TopicCommand: Command {
    static let name = "topic"
    static let summary = "Publish a message to an SNS-style topic of the workspace, fanning out to queues in a state file"
    static let help = """
        Usage: eventrouter topic publish --state FILE --topic NAME|ARN --message TEXT|@FILE [OPTIONS]

        Loads the topics and queues of the workspace's Rules/*.json (their Topics and Queues
        arrays), restores the queues' messages from the state file (the 'replay --state-out'
        format; a missing file is an empty state), publishes the message, settles every retry
        on virtual time, writes the state back and prints the result as JSON: MessageId,
        SequenceNumber (FIFO), each subscription's delivery status, statistics, and every
        delivery that was dead-lettered or dropped. A FIFO topic's deduplication ids (5 minutes)
        and sequence persist in the state's "topics" entry. The state file is locked (FILE.lock)
        for the whole command, so concurrent commands on it lose nothing.

        Options:
          --subject S           the notification's Subject
          --attributes JSON     message attributes: {"kind": "order"} (String), {"n": 3} (Number),
                                {"tags": ["a", "b"]} (String.Array), or the AWS CLI shape
                                {"kind": {"DataType": "String", "StringValue": "order"}}
          --group-id G          MessageGroupId (required on FIFO topics)
          --dedup-id D          MessageDeduplicationId (FIFO topics without ContentBasedDeduplication)
          --workspace DIR       the folder holding Rules/ (default: the current directory)

        Lambda subscriptions have no function runtime here yet: their deliveries fail as
        client-side errors (dead-lettered if the subscription has a RedrivePolicy).
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        guard let verb = arguments.positional() else { throw UsageError("missing ACTION: publish") }
        guard verb == "publish" else { throw UsageError("unknown action '\(verb)'; the topic command has: publish") }
        let file = try arguments.requiredOption("state")
        let topic = try arguments.requiredOption("topic")
        var message = try arguments.requiredOption("message")
        let subject = try arguments.option("subject")
        let attributesText = try arguments.option("attributes")
        let groupId = try arguments.option("group-id")
        let dedupId = try arguments.option("dedup-id")
        let workspace = try arguments.option("workspace") ?? "."
        try arguments.finish()

        if message.hasPrefix("@") {
            let path = String(message.dropFirst())
            guard let text = try TextFile.read(path) else { throw TextFileError("message file \(path) does not exist") }
            message = text
        }
        let attributes = try attributesText.map { try TopicStateFileOperations.parseAttributes($0) } ?? [:]
        let read = WorkspaceRuleFiles(directory: workspace)
        if read.hasFolder, let problem = read.problems.first { throw TextFileError(problem.description) }
        let declarations = try TopicStateFileOperations.declarations(in: read.files.map { .init(path: $0.name, text: $0.text) })
        let output = try await TopicStateFileOperations.publish(
            TopicMessage(message: message, subject: subject, attributes: attributes, groupId: groupId, deduplicationId: dedupId),
            topic: topic, declarations: declarations, file: StateFile.store(file), whileWaiting: StateFile.waiting(name))
        Output.out(output.jsonText + "\n")
        return 0
    }
}
