import EventRouterStorage
import Foundation
import Testing

/// `SnapshotFile.read` / `withPayload` (the header first, then the mapped file): round trips
/// of several sizes, and every way a snapshot file can be wrong, each with its message.
@Suite struct SnapshotFileTests {
    static let remedy = "restore the data directory from a backup, or move it aside to start empty"
    static let name = "00000000000000000002.snapshot"

    /// Writes `payload` as the snapshot covering the segments before 2 and returns its path.
    private static func written(_ payload: [UInt8], in folder: TemporaryFolder) throws -> String {
        try SnapshotFile.write(payload, coveringBefore: 2, in: folder.path, operations: SystemFileOperations())
        return folder.path + "/" + name
    }

    @Test(arguments: [0, 1, 7, 4_096, 300_001])
    func roundTrips(size: Int) throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let path = try Self.written(payload, in: folder)
        #expect(try SnapshotFile.read(path, coveringBefore: 2) == payload)
    }

    /// How a good five-byte snapshot is spoiled, and the message that must name it.
    enum Spoil: Sendable { case cut(Int), set(Int, UInt8), append(UInt8), readAs(UInt64) }

    @Test(arguments: [
        ("cut to 10 bytes", Spoil.cut(10), "PATH is not a whole eventrouter snapshot (10 bytes, no \"ERSN\" header); REMEDY"),
        ("no magic", .set(0, UInt8(ascii: "X")), "PATH is not a whole eventrouter snapshot (33 bytes, no \"ERSN\" header); REMEDY"),
        ("a newer format", .set(4, 2), "PATH is a snapshot of format 2, written by a newer eventrouter; this one reads format 1. Run the eventrouter that wrote it, or move the data directory aside to start empty"),
        ("another segment", .readAs(9), "PATH says it covers the segments before 2, but its name says 9; REMEDY"),
        ("payload cut short", .cut(32), "PATH is corrupt: its header gives 5 payload bytes, the file holds 4; REMEDY"),
        ("a byte too many", .append(0), "PATH is corrupt: its header gives 5 payload bytes, the file holds 6; REMEDY"),
        ("a length beyond Int", .set(23, 0x80), "PATH is corrupt: its header gives 9223372036854775813 payload bytes, the file holds 5; REMEDY"),
    ])
    func aSpoiledSnapshotIsRefusedSayingWhy(_ label: String, spoil: Spoil, message: String) throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = try Self.written(Array("state".utf8), in: folder)
        var bytes = folder.bytes(Self.name)
        var segment: UInt64 = 2
        switch spoil {
        case .cut(let length): bytes.removeLast(bytes.count - length)
        case .set(let offset, let value): bytes[offset] = value
        case .append(let value): bytes.append(value)
        case .readAs(let number): segment = number
        }
        folder.write(Self.name, bytes)
        let error = #expect(throws: JournalError.self, "\(label)") { try SnapshotFile.read(path, coveringBefore: segment) }
        let expected = message.replacingOccurrences(of: "PATH", with: path).replacingOccurrences(of: "REMEDY", with: Self.remedy)
        #expect(error?.message == expected, "\(label)")
    }

    @Test func aFlippedPayloadByteIsACRCMismatch() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = try Self.written(Array("state".utf8), in: folder)
        var bytes = folder.bytes(Self.name)
        bytes[30] ^= 0x01
        folder.write(Self.name, bytes)
        let error = #expect(throws: JournalError.self) { try SnapshotFile.read(path, coveringBefore: 2) }
        #expect(error?.message.hasPrefix("\(path) is corrupt: CRC-32C mismatch (stored 0x") == true, "\(error?.message ?? "")")
        #expect(error?.message.hasSuffix(Self.remedy) == true)
    }

    @Test func aMissingSnapshotSaysItCannotBeRead() {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let error = #expect(throws: JournalError.self) { try SnapshotFile.read(folder.path + "/" + Self.name, coveringBefore: 2) }
        #expect(error?.message == "cannot read \(folder.path)/\(Self.name): \(SystemError(ENOENT))")
    }
}
