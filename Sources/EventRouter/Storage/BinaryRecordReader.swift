/// Reads what ``BinaryRecordWriter`` wrote, checking every length against what remains before
/// any arithmetic; a short or malformed buffer throws a ``StateJournalFailure`` naming the field,
/// its byte offset and what is wrong.
struct BinaryRecordReader: ~Copyable {
    private let base: UnsafeRawBufferPointer
    /// The next byte's offset.
    private(set) var offset = 0
    /// The offset of the field read last (what ``failure(_:_:)`` names).
    private var fieldStart = 0
    /// What is read, for messages ("a message.put record", "the snapshot's queues section").
    let what: String

    init(_ base: UnsafeRawBufferPointer, what: String) {
        self.base = base
        self.what = what
    }

    var remaining: Int { base.count - offset }
    var isAtEnd: Bool { offset == base.count }

    func failure(_ field: @autoclosure () -> String, _ problem: String) -> StateJournalFailure {
        StateJournalFailure("\(what) is corrupt at byte \(fieldStart) (\(field())): \(problem)")
    }

    private mutating func take(_ count: Int, _ field: @autoclosure () -> String) throws(StateJournalFailure) -> Int {
        fieldStart = offset
        guard count >= 0, count <= remaining else {
            throw failure(field(), "\(count) byte\(count == 1 ? "" : "s") needed, \(remaining) left")
        }
        defer { offset += count }
        return offset
    }

    /// Passes `count` bytes.
    mutating func skip(_ count: Int, _ field: @autoclosure () -> String) throws(StateJournalFailure) { _ = try take(count, field()) }

    mutating func u8(_ field: @autoclosure () -> String) throws(StateJournalFailure) -> UInt8 {
        base[try take(1, field())]
    }

    mutating func u32(_ field: @autoclosure () -> String) throws(StateJournalFailure) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: try take(4, field()), as: UInt32.self))
    }

    mutating func u64(_ field: @autoclosure () -> String) throws(StateJournalFailure) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: try take(8, field()), as: UInt64.self))
    }

    mutating func i64(_ field: @autoclosure () -> String) throws(StateJournalFailure) -> Int64 { Int64(bitPattern: try u64(field())) }

    /// A u32 length and that many bytes, as a view into the buffer.
    mutating func data(_ field: @autoclosure () -> String) throws(StateJournalFailure) -> UnsafeRawBufferPointer {
        let count = Int(try u32(field() + " length"))
        let start = try take(count, field())
        return UnsafeRawBufferPointer(rebasing: base[start..<(start + count)])
    }

    /// A u32 length and that many bytes of valid UTF-8.
    mutating func string(_ field: @autoclosure () -> String) throws(StateJournalFailure) -> String {
        let at = offset
        let raw = try data(field())
        guard let text = String(validating: raw.assumingMemoryBound(to: UInt8.self), as: UTF8.self) else {
            throw StateJournalFailure("\(what) is corrupt at byte \(at) (\(field())): the \(raw.count) bytes are not valid UTF-8")
        }
        return text
    }
}

extension [UInt8] {
    /// `withUnsafeBytes` for a body that throws ``StateJournalFailure`` (the standard one rethrows `any Error`).
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws(StateJournalFailure) -> R) throws(StateJournalFailure) -> R {
        let result: Result<R, StateJournalFailure> = withUnsafeBytes { raw in
            Result { () throws(StateJournalFailure) -> R in try body(raw) }
        }
        return try result.get()
    }
}
