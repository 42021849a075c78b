import EventRouterCore
import Testing

/// CRC-32C against the published vectors of RFC 3720 (iSCSI), Appendix B.4, and the common check
/// value, on every path (the CPU's instruction where it has one, the slicing-by-8 tables, one byte
/// at a time); the sliced and hardware algorithms against the byte-at-a-time one.
@Suite struct CRC32CTests {
    /// The iSCSI read PDU of RFC 3720 B.4 (48 bytes); its CRC-32C is 0xD9963A56
    /// (the value LevelDB, RocksDB and the crc32c crates check too).
    static let readPDU: [UInt8] = [
        0x01, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
        0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]

    @Test(arguments: [
        ("32 bytes of zeros", [UInt8](repeating: 0, count: 32), UInt32(0x8A91_36AA)),
        ("32 bytes of 0xFF", [UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        ("ascending 0…31", (0..<32).map { UInt8($0) }, 0x46DD_794E),
        ("descending 31…0", (0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C),
        ("iSCSI read PDU", CRC32CTests.readPDU, 0xD996_3A56),
        ("\"123456789\"", Array("123456789".utf8), 0xE306_9283),
        ("no bytes", [], 0),
    ])
    func publishedVectors(name: String, bytes: [UInt8], expected: UInt32) {
        #expect(CRC32C.checksum(bytes) == expected, "\(name)")
        #expect(bytes.withUnsafeBytes { CRC32C.checksumBytewise($0) } == expected, "\(name), byte at a time")
        #expect(bytes.withUnsafeBytes { CRC32C.checksumSlicingBy8($0) } == expected, "\(name), slicing-by-8")
        if CRC32C.usesHardware {
            #expect(bytes.withUnsafeBytes { CRC32C.checksumHardware($0) } == expected, "\(name), CPU instruction")
        }
    }

    /// The machines we build on (x86-64 with SSE4.2, ARMv8 with CRC) all have the instruction; a
    /// check that silently fell back to the tables would hide a broken detection.
    @Test func hardwarePathIsUsedOnX86AndARM() {
        #if arch(x86_64) || arch(arm64)
        #expect(CRC32C.usesHardware)
        #endif
    }

    @Test func slicedAndHardwareAgreeWithBytewiseAtEveryLengthAndAlignmentAndInPieces() {
        let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        data.withUnsafeBytes { raw in
            for start in 0..<9 {
                for end in stride(from: start, through: raw.count, by: 7) {
                    let part = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                    let expected = CRC32C.checksumBytewise(part)
                    #expect(CRC32C.checksumSlicingBy8(part) == expected, "bytes \(start)..<\(end), slicing-by-8")
                    if CRC32C.usesHardware {
                        #expect(CRC32C.checksumHardware(part) == expected, "bytes \(start)..<\(end), CPU instruction")
                        #expect(CRC32C.checksumHardware(part, continuing: 0x1234_5678) == CRC32C.checksumBytewise(part, continuing: 0x1234_5678), "bytes \(start)..<\(end), continuing")
                    }
                }
            }
        }
        let whole = CRC32C.checksum(data)
        for split in [0, 1, 7, 8, 9, 150, 300] {
            #expect(CRC32C.checksum(Array(data[split...]), continuing: CRC32C.checksum(Array(data[..<split]))) == whole, "split at \(split)")
        }
    }
}
