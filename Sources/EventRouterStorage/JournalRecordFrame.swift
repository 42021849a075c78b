import EventRouterCore

/// The journal's on-disk format (docs/durability.md, "Record format"). All integers are
/// little-endian.
///
/// A segment file starts with a 16-byte header:
///
///     offset 0  4 bytes  magic "ERJL"
///     offset 4  u32      format version (1)
///     offset 8  u64      segment number (the number in the file name)
///
/// and then holds records, each framed as:
///
///     u32  payload length L (at most ``maximumPayload``)
///     u32  CRC-32C of the type byte followed by the payload
///     u8   record type (1…255; 0 never written)
///     L bytes of payload
///
/// A record takes `9 + L` bytes. Lengths read from a file are checked before any arithmetic
/// on them (a length past ``maximumPayload`` or past the end of the file is a bad frame).
public enum JournalRecordFrame {
    /// The segment file's magic bytes, "ERJL".
    public static let magic: [UInt8] = Array("ERJL".utf8)
    /// The segment format this build writes and reads.
    public static let version: UInt32 = 1
    /// The size of a segment file's header.
    public static let headerSize = 16
    /// The size of a record's frame before its payload (length, CRC, type).
    public static let frameOverhead = 9
    /// The largest payload a record may carry (64 MiB).
    public static let maximumPayload = 64 << 20

    /// The header of segment `number`.
    public static func header(segment number: UInt64) -> [UInt8] {
        var bytes = magic
        appendLittleEndian(version, to: &bytes)
        appendLittleEndian(number, to: &bytes)
        return bytes
    }

    /// Appends `record`'s frame to `bytes`.
    /// - Precondition: the type is not 0 and the payload is at most ``maximumPayload`` (the
    ///   writer checks both and refuses the append with a ``JournalError`` otherwise).
    public static func encode(_ record: JournalRecord, into bytes: inout [UInt8]) {
        var crc = CRC32C.checksum([record.type])
        crc = CRC32C.checksum(record.payload, continuing: crc)
        appendLittleEndian(UInt32(truncatingIfNeeded: record.payload.count), to: &bytes)
        appendLittleEndian(crc, to: &bytes)
        bytes.append(record.type)
        bytes.append(contentsOf: record.payload)
    }

    /// Why `record` cannot be framed, or `nil` when it can.
    public static func problem(with record: JournalRecord) -> String? {
        if record.type == 0 { return "record type 0 is reserved (it would read as zero bytes); use 1…255" }
        if record.payload.count > maximumPayload {
            return "a record's payload is \(record.payload.count) bytes, over the limit of \(maximumPayload)"
        }
        return nil
    }

    /// What decoding at one offset found.
    public enum Decoded: Equatable, Sendable {
        /// A whole record whose CRC matches, and the offset just after it.
        case record(JournalRecord, next: Int)
        /// Not a record: the frame is cut short, its length is impossible, its type is 0 or its
        /// CRC does not match (the reason in words).
        case bad(String)
        /// The offset is the end of the bytes.
        case end
    }

    /// Decodes the record at `offset` of `bytes` (a whole segment, header included).
    public static func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Decoded {
        let available = bytes.count - offset
        if available <= 0 { return .end }
        guard available >= frameOverhead else { return .bad("a record frame cut short (\(available) of its \(frameOverhead) header bytes)") }
        let length = Int(readLittleEndian(UInt32.self, bytes, offset))
        guard length <= maximumPayload else { return .bad("a record length of \(length) bytes, over the limit of \(maximumPayload)") }
        let (end, overflow) = (offset + frameOverhead).addingReportingOverflow(length)
        guard !overflow, end <= bytes.count else {
            return .bad("a record of \(length) bytes cut short (\(available - frameOverhead) bytes present)")
        }
        let type = bytes[offset + 8]
        guard type != 0 else { return .bad("a record of type 0 (zero bytes, never written)") }
        let stored = readLittleEndian(UInt32.self, bytes, offset + 4)
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[(offset + 8)..<end]))
        guard stored == computed else { return .bad("a CRC-32C mismatch (stored \(hex(stored)), computed \(hex(computed)))") }
        let payload = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[(offset + frameOverhead)..<end]))
        return .record(JournalRecord(type: type, payload: payload), next: end)
    }

    /// The offset of the first whole, CRC-valid record in `bytes` after `offset` (the test
    /// that tells a torn tail — nothing valid after the bad frame — from corruption before data).
    public static func firstValidRecord(_ bytes: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        var candidate = offset + 1
        while candidate + frameOverhead <= bytes.count {
            if case .record = decode(bytes, at: candidate) { return candidate }
            candidate += 1
        }
        return nil
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer, _ offset: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
