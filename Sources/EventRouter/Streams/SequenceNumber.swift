/// A record's sequence number: unique in its stream, increasing within each shard.
///
/// Written as a 56-digit decimal string like Kinesis's: `49`, then a 40-digit stream-wide
/// counter, then the 14-digit shard index. Equal-length decimal strings compare the same way
/// as text and as numbers, so the strings are comparable too; later writes get larger numbers,
/// so a child shard's numbers are larger than its parents'.
public struct SequenceNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The stream-wide write counter.
    public var counter: UInt64
    /// The index of the shard the record is in (`shardId-000000000003` → 3).
    public var shardIndex: Int

    public init(counter: UInt64, shardIndex: Int) {
        self.counter = counter
        self.shardIndex = shardIndex
    }

    /// Parses the 56-digit form; `nil` for anything else.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 56, b[0] == 0x34, b[1] == 0x39, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard let counter = UInt64(String(decoding: b[2..<42], as: UTF8.self)),
            let shard = Int(String(decoding: b[42..<56], as: UTF8.self))
        else { return nil }
        self.counter = counter
        self.shardIndex = shard
    }

    public var description: String {
        String(unsafeUninitializedCapacity: 56) { buffer in
            buffer[0] = 0x34
            buffer[1] = 0x39
            var c = counter
            for i in stride(from: 41, through: 2, by: -1) {
                buffer[i] = 0x30 + UInt8(c % 10)
                c /= 10
            }
            var s = UInt64(clamping: shardIndex)
            for i in stride(from: 55, through: 42, by: -1) {
                buffer[i] = 0x30 + UInt8(s % 10)
                s /= 10
            }
            return 56
        }
    }

    public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool {
        (lhs.counter, lhs.shardIndex) < (rhs.counter, rhs.shardIndex)
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
