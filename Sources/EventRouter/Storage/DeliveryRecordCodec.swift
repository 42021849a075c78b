/// The binary payloads of the delivery records (types 40–42, docs/durability.md "Delivery
/// records"). Every payload starts with a version byte (``version``); integers are
/// little-endian; a string is a `u32` byte count and UTF-8 bytes, or the count `0xFFFFFFFF`
/// for "the same as this field's previous value" (the rule ARN and target id of a batch's
/// deliveries repeat). Session-6 payloads were compact JSON (they start with `{`) and are
/// still read by ``DeliveryRecovery``.
///
///     event.accepted (40):   u8 1, i64 accepted at (ns since epoch),
///                            u32 events, each: str id, str bus ARN, str envelope (JSON text),
///                            u32 deliveries, each: u32 event index, str rule ARN, str target id
///     delivery.attempt (41): u8 1, u32 n, each: key, u32 retries so far, i64 next attempt (ns)
///     delivery.done (42):    u8 1, u32 n, each: key
///     key:                   str event id, str rule ARN, str target id
enum DeliveryRecordCodec {
    /// The layout version every payload starts with.
    static let version: UInt8 = 1
    /// The string count that means "the same as the previous value of this field".
    static let repeatMarker = UInt32.max

    /// An `event.accepted` payload: the events of one PutEvents call and their deliveries.
    struct Accepted: Sendable, Equatable {
        struct Event: Sendable, Equatable {
            var id: String
            var busArn: String
            /// The envelope's JSON text.
            var text: String
        }
        struct Delivery: Sendable, Equatable {
            /// Index into ``events``.
            var event: Int
            var ruleArn: String
            var targetId: String
        }
        var acceptedAt: Int64
        var events: [Event]
        var deliveries: [Delivery]
    }

    /// A `delivery.attempt` entry: a delivery that failed and waits for its next attempt.
    struct Attempt: Sendable, Equatable {
        var key: DeliveryKey
        /// Retries so far (the next attempt is number `retries + 1`).
        var retries: Int
        /// When the next attempt is due, nanoseconds since the epoch.
        var due: Int64
    }

    // MARK: Encoding

    /// The string writer with per-field repeat markers.
    struct Writer {
        var bytes: [UInt8] = []
        /// The last value of each field (no array: one allocation less per record).
        private var previous: (String?, String?, String?) = (nil, nil, nil)

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
            bytes.append(DeliveryRecordCodec.version)
        }

        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }

        /// Writes `s`, or the repeat marker when field `field` had the same value last time.
        mutating func string(_ s: String, field: Int? = nil) {
            if let field, repeats(s, field: field) { return u32(DeliveryRecordCodec.repeatMarker) }
            var s = s
            s.withUTF8 { utf8 in
                u32(UInt32(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        }

        /// Whether `s` is field `field`'s previous value; else it becomes that value.
        private mutating func repeats(_ s: String, field: Int) -> Bool {
            switch field {
            case 0:
                if previous.0 == s { return true }
                previous.0 = s
            case 1:
                if previous.1 == s { return true }
                previous.1 = s
            default:
                if previous.2 == s { return true }
                previous.2 = s
            }
            return false
        }

        mutating func key(_ k: DeliveryKey) {
            string(k.eventId, field: 0)
            string(k.ruleArn, field: 1)
            string(k.targetId, field: 2)
        }
    }

    static func encode(_ a: Accepted) -> [UInt8] {
        var w = Writer(capacity: 16 + a.events.reduce(0) { $0 + $1.text.utf8.count + 100 } + a.deliveries.count * 16)
        w.i64(a.acceptedAt)
        w.u32(UInt32(a.events.count))
        for e in a.events {
            w.string(e.id)
            w.string(e.busArn, field: 0)
            w.string(e.text)
        }
        w.u32(UInt32(a.deliveries.count))
        for d in a.deliveries {
            w.u32(UInt32(d.event))
            w.string(d.ruleArn, field: 1)
            w.string(d.targetId, field: 2)
        }
        return w.bytes
    }

    /// The `event.accepted` payload of `requests` accepted at `acceptedAt` (nanoseconds), the
    /// deliveries of one event adjacent: the bytes ``encode(_:)`` writes for the ``Accepted``
    /// they make, written straight from the requests (PutEvents' hot path: no arrays of events
    /// and deliveries built first).
    static func encodeAccepted(_ requests: [(DeliveryRequest, busArn: String)], at acceptedAt: Int64) -> [UInt8] {
        // One pass to size the buffer and count the events (an event starts where the id or bus changes).
        var events = 0, capacity = 16 + requests.count * 16
        var lastId: String?, lastBus: String?
        for (r, busArn) in requests {
            let id = r.event.id
            if id != lastId || busArn != lastBus {
                events += 1
                capacity += r.event.jsonText.utf8.count + 100
                (lastId, lastBus) = (id, busArn)
            }
        }
        var w = Writer(capacity: capacity)
        w.i64(acceptedAt)
        w.u32(UInt32(events))
        (lastId, lastBus) = (nil, nil)
        for (r, busArn) in requests {
            let id = r.event.id
            guard id != lastId || busArn != lastBus else { continue }
            w.string(id)
            w.string(busArn, field: 0)
            w.string(r.event.jsonText)
            (lastId, lastBus) = (id, busArn)
        }
        w.u32(UInt32(requests.count))
        var index = -1
        (lastId, lastBus) = (nil, nil)
        for (r, busArn) in requests {
            let id = r.event.id
            if id != lastId || busArn != lastBus {
                index += 1
                (lastId, lastBus) = (id, busArn)
            }
            w.u32(UInt32(index))
            w.string(r.ruleArn, field: 1)
            w.string(r.targetId, field: 2)
        }
        return w.bytes
    }

    static func encode(attempts: [Attempt]) -> [UInt8] {
        var w = Writer(capacity: 5 + attempts.count * 40)
        w.u32(UInt32(attempts.count))
        for a in attempts {
            w.key(a.key)
            w.u32(UInt32(clamping: a.retries))
            w.i64(a.due)
        }
        return w.bytes
    }

    static func encode(done keys: [DeliveryKey]) -> [UInt8] {
        var w = Writer(capacity: 5 + keys.count * 48)
        w.u32(UInt32(keys.count))
        for k in keys { w.key(k) }
        return w.bytes
    }

    // MARK: Decoding

    /// Reads a payload, failing with a message that names the record, the byte and the field.
    struct Reader {
        let bytes: [UInt8]
        /// The record's name with its article ("a delivery.done (42)").
        let record: String
        var offset = 0
        private var previous: [String?] = [nil, nil, nil, nil]

        /// Checks the version byte.
        init(_ bytes: [UInt8], record: String) throws(StateJournalFailure) {
            self.bytes = bytes
            self.record = record
            guard let first = bytes.first else { throw StateJournalFailure("\(record) record is empty (it should start with its layout version \(DeliveryRecordCodec.version))") }
            guard first == DeliveryRecordCodec.version else {
                throw StateJournalFailure("\(record) record has layout version \(first); this eventrouter reads version \(DeliveryRecordCodec.version) (written by a newer one, or corrupt)")
            }
            offset = 1
        }

        func fail(_ what: String) -> StateJournalFailure {
            StateJournalFailure("\(record) record (\(bytes.count) bytes) is cut short or corrupt at byte \(offset): \(what)")
        }

        private mutating func take(_ n: Int, _ what: String) throws(StateJournalFailure) -> Range<Int> {
            let (end, overflow) = offset.addingReportingOverflow(n)
            guard !overflow, end <= bytes.count else { throw fail("\(what) needs \(n) bytes, \(bytes.count - offset) are left") }
            defer { offset = end }
            return offset..<end
        }

        mutating func u32(_ what: String) throws(StateJournalFailure) -> UInt32 {
            let r = try take(4, what)
            var v: UInt32 = 0
            for i in r.reversed() { v = v << 8 | UInt32(bytes[i]) }
            return v
        }

        mutating func i64(_ what: String) throws(StateJournalFailure) -> Int64 {
            let r = try take(8, what)
            var v: UInt64 = 0
            for i in r.reversed() { v = v << 8 | UInt64(bytes[i]) }
            return Int64(bitPattern: v)
        }

        /// A count of items each at least `minimumSize` bytes: refused when the rest cannot hold them.
        mutating func count(_ what: String, minimumSize: Int) throws(StateJournalFailure) -> Int {
            let n = try Int(u32(what))
            let (need, overflow) = n.multipliedReportingOverflow(by: minimumSize)
            guard !overflow, need <= bytes.count - offset else { throw fail("\(what) is \(n), more than the \(bytes.count - offset) bytes left can hold") }
            return n
        }

        mutating func string(_ what: String, field: Int? = nil) throws(StateJournalFailure) -> String {
            let start = offset
            let n = try u32("the length of \(what)")
            if n == DeliveryRecordCodec.repeatMarker {
                guard let field, let value = previous[field] else {
                    offset = start
                    throw fail("\(what) says \"same as before\" but there is no earlier value")
                }
                return value
            }
            let r = try take(Int(n), what)
            guard let s = String(validating: bytes[r], as: UTF8.self) else {
                offset = r.lowerBound
                throw fail("\(what) is not valid UTF-8")
            }
            if let field { previous[field] = s }
            return s
        }

        mutating func key(_ index: Int) throws(StateJournalFailure) -> DeliveryKey {
            let eventId = try string("the event id of entry \(index)", field: 0)
            let ruleArn = try string("the rule ARN of entry \(index)", field: 1)
            return DeliveryKey(eventId: eventId, ruleArn: ruleArn, targetId: try string("the target id of entry \(index)", field: 2))
        }

        func end() throws(StateJournalFailure) {
            guard offset == bytes.count else { throw fail("\(bytes.count - offset) bytes follow the last entry") }
        }
    }

    static func decodeAccepted(_ bytes: [UInt8]) throws(StateJournalFailure) -> Accepted {
        var r = try Reader(bytes, record: "an event.accepted (40)")
        let at = try r.i64("the acceptance time")
        let n = try r.count("the number of events", minimumSize: 12)
        var events: [Accepted.Event] = []
        events.reserveCapacity(n)
        for i in 0..<n {
            let id = try r.string("the id of event \(i)")
            let bus = try r.string("the bus ARN of event \(i)", field: 0)
            events.append(Accepted.Event(id: id, busArn: bus, text: try r.string("the envelope of event \(i)")))
        }
        let m = try r.count("the number of deliveries", minimumSize: 12)
        var deliveries: [Accepted.Delivery] = []
        deliveries.reserveCapacity(m)
        for i in 0..<m {
            let index = try Int(r.u32("the event index of delivery \(i)"))
            guard index < n else { throw r.fail("delivery \(i) names event \(index), but the record has \(n) event\(n == 1 ? "" : "s")") }
            let rule = try r.string("the rule ARN of delivery \(i)", field: 1)
            deliveries.append(Accepted.Delivery(event: index, ruleArn: rule, targetId: try r.string("the target id of delivery \(i)", field: 2)))
        }
        try r.end()
        return Accepted(acceptedAt: at, events: events, deliveries: deliveries)
    }

    static func decodeAttempts(_ bytes: [UInt8]) throws(StateJournalFailure) -> [Attempt] {
        var r = try Reader(bytes, record: "a delivery.attempt (41)")
        let n = try r.count("the number of entries", minimumSize: 24)
        var attempts: [Attempt] = []
        attempts.reserveCapacity(n)
        for i in 0..<n {
            let key = try r.key(i)
            let retries = try Int(r.u32("the retries of entry \(i)"))
            attempts.append(Attempt(key: key, retries: retries, due: try r.i64("the next attempt time of entry \(i)")))
        }
        try r.end()
        return attempts
    }

    static func decodeDone(_ bytes: [UInt8]) throws(StateJournalFailure) -> [DeliveryKey] {
        var r = try Reader(bytes, record: "a delivery.done (42)")
        let n = try r.count("the number of entries", minimumSize: 12)
        var keys: [DeliveryKey] = []
        keys.reserveCapacity(n)
        for i in 0..<n { keys.append(try r.key(i)) }
        try r.end()
        return keys
    }
}

/// A rule delivery's identity across restarts: the event id, the rule and the target.
struct DeliveryKey: Sendable, Hashable {
    var eventId: String
    var ruleArn: String
    var targetId: String

    init(eventId: String, ruleArn: String, targetId: String) {
        self.eventId = eventId
        self.ruleArn = ruleArn
        self.targetId = targetId
    }

    init(_ r: DeliveryRequest) { self.init(eventId: r.event.id, ruleArn: r.ruleArn, targetId: r.targetId) }

    /// The session-6 text form `eventId|ruleArn|targetId` (snapshots and JSON records of then);
    /// nil when it has fewer than three parts.
    init?(text: String) {
        // Rule ARNs and target ids hold no "|"; an event id might.
        guard let last = text.lastIndex(of: "|") else { return nil }
        let head = text[..<last]
        guard let middle = head.lastIndex(of: "|") else { return nil }
        self.init(eventId: String(head[..<middle]), ruleArn: String(head[head.index(after: middle)...]), targetId: String(text[text.index(after: last)...]))
    }

    var text: String { "\(eventId)|\(ruleArn)|\(targetId)" }
}
