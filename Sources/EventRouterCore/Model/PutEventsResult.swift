/// The answer to a PutEvents call: one result per entry, in request order.
public struct PutEventsResult: Sendable, Hashable {
    /// The result of one entry: an `EventId`, or an `ErrorCode` and `ErrorMessage`.
    public struct Entry: Sendable, Hashable {
        public var eventId: String?
        public var errorCode: String?
        public var errorMessage: String?

        public init(eventId: String? = nil, errorCode: String? = nil, errorMessage: String? = nil) {
            self.eventId = eventId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        /// Whether the entry failed.
        public var failed: Bool { errorCode != nil }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The number of entries that failed.
    public var failedEntryCount: Int { entries.reduce(0) { $0 + ($1.failed ? 1 : 0) } }

    /// `{"FailedEntryCount": N, "Entries": [{"EventId": …} | {"ErrorCode": …, "ErrorMessage": …}]}`.
    public var json: JSONValue {
        let items: [JSONValue] = entries.map { e in
            var o = JSONObject()
            if let id = e.eventId { o["EventId"] = .string(id) }
            if let code = e.errorCode { o["ErrorCode"] = .string(code) }
            if let message = e.errorMessage { o["ErrorMessage"] = .string(message) }
            return .object(o)
        }
        return .object(JSONObject([
            .init(key: "FailedEntryCount", value: .number(JSONNumber(failedEntryCount))),
            .init(key: "Entries", value: .array(items)),
        ]))
    }
}
