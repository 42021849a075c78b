/// A shard's inclusive range of 128-bit hash keys.
public struct HashKeyRange: Sendable, Hashable {
    /// The first hash key of the range.
    public var start: UInt128
    /// The last hash key of the range (inclusive).
    public var end: UInt128

    public init(start: UInt128, end: UInt128) {
        self.start = start
        self.end = end
    }

    /// Whether `key` lies in the range.
    public func contains(_ key: UInt128) -> Bool { key >= start && key <= end }

    /// The whole hash-key space, 0…2^128−1.
    public static let all = HashKeyRange(start: 0, end: .max)

    /// `count` ranges that split 0…2^128−1 as Kinesis's CreateStream does: each is
    /// ⌊2^128 / count⌋ keys long and the last one runs to 2^128−1.
    /// - Precondition: `count >= 1` (callers validate ShardCount first).
    public static func evenSplit(count: Int) -> [HashKeyRange] {
        guard count > 1 else { return [.all] }
        let n = UInt128(count)
        // ⌊2^128 / n⌋ without overflowing: 2^128 = max + 1.
        let step = UInt128.max / n + (UInt128.max % n + 1 == n ? 1 : 0)
        return (0..<count).map { i in
            let start = step * UInt128(i)
            let end = i == count - 1 ? UInt128.max : start + step - 1
            return HashKeyRange(start: start, end: end)
        }
    }

    /// `{"StartingHashKey": "…", "EndingHashKey": "…"}` with decimal strings, as Kinesis writes it.
    public var jsonValue: JSONValue {
        ["StartingHashKey": .string(String(start)), "EndingHashKey": .string(String(end))]
    }

    /// Parses a decimal hash key 0…2^128−1 (digits only).
    static func parseKey(_ text: String) -> UInt128? {
        guard !text.isEmpty, text.utf8.count <= 39, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt128(text)
    }
}
