#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventRouter

/// `eventrouter topic publish`: publishes one message to an SNS-style topic of the workspace and
/// delivers it to the queues of a state file. Logic: ``TopicCommandLine``.
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
        delivery that was dead-lettered or dropped.

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
            guard let text = try readTopicFile(path) else { throw TopicFileError(description: "message file \(path) does not exist") }
            message = text
        }
        let attributes = try attributesText.map { try TopicCommandLine.parseAttributes($0) } ?? [:]
        let rulesDirectory = workspace.hasSuffix("/") ? workspace + "Rules" : workspace + "/Rules"
        var files: [TopicCommandLine.RuleFile] = []
        for path in try listRuleFiles(rulesDirectory) {
            if let text = try readTopicFile(path) { files.append(.init(path: path, text: text)) }
        }
        let declarations = try TopicCommandLine.declarations(in: files)
        let state = try QueueCommandLine.parseState(try readTopicFile(file), file: file)
        let clock = ManualClock(start: QueueCommandLine.snapshotTime(in: state) ?? SystemClock().now)
        let outcome = try await TopicCommandLine.publish(
            TopicMessage(message: message, subject: subject, attributes: attributes, groupId: groupId, deduplicationId: dedupId),
            topic: topic, declarations: declarations, state: state, clock: clock)
        try writeTopicFile(file, outcome.state.jsonText + "\n")
        Output.out(outcome.output.jsonText + "\n")
        return 0
    }
}

/// A file I/O failure, printed as the command's error.
private struct TopicFileError: Error, CustomStringConvertible {
    var description: String
}

/// `DIR/*.json`, sorted; none when the folder does not exist.
private func listRuleFiles(_ directory: String) throws -> [String] {
    guard let dir = opendir(directory) else {
        if errno == ENOENT { return [] }
        throw TopicFileError(description: "cannot read \(directory): \(String(cString: strerror(errno)))")
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name.hasSuffix(".json") && !name.hasPrefix(".") { names.append(directory + "/" + name) }
    }
    return names.sorted()
}

/// The whole file as UTF-8 text, or `nil` when it does not exist.
private func readTopicFile(_ path: String) throws -> String? {
    guard let f = fopen(path, "rb") else {
        if errno == ENOENT { return nil }
        throw TopicFileError(description: "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
        if n < buffer.count { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Writes `text` to `path` through a temporary file renamed over it.
private func writeTopicFile(_ path: String, _ text: String) throws {
    let temporary = path + ".tmp"
    guard let f = fopen(temporary, "wb") else {
        throw TopicFileError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
    }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
    guard written == bytes.count, rename(temporary, path) == 0 else {
        throw TopicFileError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
}
