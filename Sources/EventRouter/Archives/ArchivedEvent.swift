/// An event kept by an archive, with the time its bus received it.
public struct ArchivedEvent: Sendable, Hashable {
    /// The event envelope.
    public var json: JSONValue
    /// Its JSON text (what the bus received).
    public var text: String
    /// When the bus received it; replay windows and retention read this, not the event's `time`.
    public var receivedAt: Timestamp

    /// The size counted in the archive's `sizeBytes`: the UTF-8 bytes of the text the bus
    /// received (kept as it was when the event is recovered from the data directory, whose
    /// re-encoded text may write escapes differently).
    public var sizeBytes: Int
    /// The archive's sequence number of the event (from 1, in archiving order): the journal's
    /// records say which events a snapshot already holds by it.
    public var sequence: UInt64 = 0

    public init(json: JSONValue, text: String? = nil, receivedAt: Timestamp) {
        self.json = json
        self.text = text ?? json.jsonText
        self.receivedAt = receivedAt
        self.sizeBytes = self.text.utf8.count
    }

    /// An event recovered from the data directory, with the size and sequence number it had.
    init(json: JSONValue, receivedAt: Timestamp, sizeBytes: Int, sequence: UInt64) {
        self.init(json: json, receivedAt: receivedAt)
        self.sizeBytes = sizeBytes
        self.sequence = sequence
    }

    /// Whether the event came from a replay (it has a top-level `replay-name`).
    public var isReplayed: Bool { ArchivedEvent.isReplayed(json) }

    /// Whether `event` has a top-level `replay-name`.
    public static func isReplayed(_ event: JSONValue) -> Bool {
        if case .object(let o) = event { return o["replay-name"] != nil }
        return false
    }

    /// The event with a top-level `replay-name` (replacing one it had), as a replay puts it back.
    public func replayed(as name: String) -> JSONValue {
        guard case .object(var o) = json else { return json }
        o.members.removeAll { $0.key == "replay-name" }
        o.members.append(.init(key: "replay-name", value: .string(name)))
        return .object(o)
    }
}
