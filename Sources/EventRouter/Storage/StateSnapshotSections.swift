/// The snapshot payload (format 2; docs/durability.md, "The snapshot payload"): named sections,
/// so the large `"queues"` section can be binary while the others stay JSON values.
///
///     4 bytes "ERSC", u32 version (2)
///     then sections to the end: string name (u32 length + UTF-8), u64 length, the bytes
///
/// `"queues"` is ``QueueSnapshotSection``; every other section is the compact JSON text of one
/// value (`"deliveries"`, `"streams"`, …), so adding a section is one more member of the JSON
/// object ``RouterRuntime/journalSnapshot()`` hands to ``encode(queues:json:)``.
/// A format-1 payload is one JSON object (`{"format":1,"queues":…}`) and is still read.
enum StateSnapshotSections {
    /// The first bytes of a format-2 payload.
    static let magic: [UInt8] = Array("ERSC".utf8)
    /// The payload format version.
    static let version: UInt32 = 2
    /// The binary section's name.
    static let queuesName = "queues"

    /// The payload: `queues` (binary) then one section per member of `json`.
    static func encode(queues: [UInt8], json: JSONObject) -> [UInt8] {
        encode(queues: { $0.bytes.append(contentsOf: queues) }, json: json)
    }

    /// The payload: the queues section `queues` appends (in place: a large section is not
    /// copied), then one section per member of `json`.
    static func encode(queues: (inout BinaryRecordWriter) -> Void, json: JSONObject) -> [UInt8] {
        var w = BinaryRecordWriter(capacity: 4096)
        w.bytes.append(contentsOf: magic)
        w.u32(version)
        w.string(queuesName)
        let at = w.bytes.count
        w.u64(0)
        queues(&w)
        let length = UInt64(w.bytes.count - at - 8).littleEndian
        withUnsafeBytes(of: length) { raw in for i in 0..<8 { w.bytes[at + i] = raw[i] } }
        for member in json.members {
            w.string(member.key)
            let text = Array(member.value.jsonText.utf8)
            w.u64(UInt64(text.count))
            w.bytes.append(contentsOf: text)
        }
        return w.bytes
    }

    /// Whether `bytes` is a format-2 payload (else it is read as format-1 JSON).
    static func isSectioned(_ bytes: [UInt8]) -> Bool { bytes.count >= 4 && Array(bytes[0..<4]) == magic }

    /// Hands each section's name and bytes to `section`, in order.
    /// - Throws: ``StateJournalFailure`` naming what is cut short or wrong, or what `section` throws.
    static func read(_ raw: UnsafeRawBufferPointer,
                     _ section: (String, UnsafeRawBufferPointer) throws(StateJournalFailure) -> Void) throws(StateJournalFailure) {
        var r = BinaryRecordReader(raw, what: "the snapshot payload")
        for i in 0..<4 { _ = try r.u8("magic byte \(i)") }
        let v = try r.u32("version")
        guard v == version else {
            throw r.failure("version", "payload format \(v), this eventrouter reads format \(version) (written by a newer one?)")
        }
        while !r.isAtEnd {
            let name = try r.string("a section name")
            let length = try r.u64("the length of section \(name)")
            guard length <= UInt64(r.remaining) else {
                throw r.failure("section \(name)", "its length is \(length) bytes, \(r.remaining) left")
            }
            let start = r.offset
            try r.skip(Int(length), "section \(name)")
            try section(name, UnsafeRawBufferPointer(rebasing: raw[start..<(start + Int(length))]))
        }
    }
}
