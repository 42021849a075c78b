import EventRouter

/// The shape every SQS batch call shares: the batch is checked as a whole (1–10 entries,
/// distinct valid ids), each entry is read on its own (an unreadable entry fails alone), the
/// readable ones run as one engine batch, and the reply lists `Successful` and `Failed` in
/// request order.
enum SQSBatch {
    /// Runs a batch call.
    /// - Parameters:
    ///   - entries: the `Entries` member.
    ///   - read: reads one entry, given its id.
    ///   - run: runs the readable entries (with their ids) in the queue engine.
    ///   - reply: the `Successful` entry for an entry and its result.
    static func run<Entry: Sendable, Success: Sendable & Hashable>(
        _ entries: [SQSInput],
        read: (SQSInput, String) throws(AWSError) -> Entry,
        run: ([(id: String, entry: Entry)]) async throws(QueueError) -> BatchResult<Success>,
        reply: (String, Entry, Success) -> JSONObject
    ) async throws(AWSError) -> JSONObject {
        var ids: [String] = []
        for entry in entries { ids.append(try entry.string("Id", required: true) ?? "") }
        try SQSErrors.mapping { () throws(QueueError) in try BatchValidation.check(ids: ids) }
        var failed: [(position: Int, entry: JSONValue)] = []
        var readable: [(id: String, entry: Entry)] = []
        for (position, (input, id)) in zip(entries, ids).enumerated() {
            do throws(AWSError) {
                readable.append((id, try read(input, id)))
            } catch {
                failed.append((position, failure(id, error.queryCode ?? error.code, error.message)))
            }
        }
        var successful: [JSONValue] = []
        if !readable.isEmpty {
            let result = try await SQSErrors.mapping { () async throws(QueueError) in try await run(readable) }
            let byId = Dictionary(readable.map { ($0.id, $0.entry) }, uniquingKeysWith: { a, _ in a })
            for (id, success) in result.successful {
                if let entry = byId[id] { successful.append(.object(reply(id, entry, success))) }
            }
            failed += result.failed.map { (ids.firstIndex(of: $0.id) ?? 0, failure($0.id, $0.code, $0.message)) }
        }
        return ["Successful": .array(successful), "Failed": .array(failed.sorted { $0.position < $1.position }.map(\.entry))]
    }

    /// A `Failed` entry of a batch reply.
    static func failure(_ id: String, _ code: String, _ message: String) -> JSONValue {
        ["Id": .string(id), "SenderFault": true, "Code": .string(code), "Message": .string(message)]
    }
}
