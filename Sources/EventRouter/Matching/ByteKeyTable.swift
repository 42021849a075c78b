#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable open-addressing hash table from byte strings to `Int32` values.
///
/// Built once from its entries; lookups hash the raw bytes of the key (no `String` is made),
/// which is what lets the matcher look up event values straight from the event's UTF-8 text.
struct ByteKeyTable: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var start: Int32
        var length: Int32
        var value: Int32
    }

    private let arena: [UInt8]
    private let entries: [Entry]
    private let slots: [Int32]
    private let mask: Int

    /// The number of keys.
    var count: Int { entries.count }

    /// A table holding `pairs`; a key given twice keeps its first value.
    init(_ pairs: [(key: [UInt8], value: Int32)]) {
        var arena: [UInt8] = []
        var entries: [Entry] = []
        var capacity = 4
        while capacity < pairs.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for pair in pairs {
            let hash = pair.key.withUnsafeBufferPointer { ByteKeyTable.hash($0.baseAddress, $0.count) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            var duplicate = false
            while slots[slot] >= 0 {
                let e = entries[Int(slots[slot])]
                if e.hash == hash, Int(e.length) == pair.key.count,
                    arena[Int(e.start)..<Int(e.start) + Int(e.length)].elementsEqual(pair.key)
                {
                    duplicate = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if duplicate { continue }
            slots[slot] = Int32(entries.count)
            entries.append(Entry(hash: hash, start: Int32(arena.count), length: Int32(pair.key.count), value: pair.value))
            arena.append(contentsOf: pair.key)
        }
        self.arena = arena
        self.entries = entries
        self.slots = slots
        self.mask = mask
    }

    /// The value stored for the `count` bytes at `bytes`, or -1.
    @inline(__always)
    func lookup(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
        if entries.isEmpty { return -1 }
        let hash = ByteKeyTable.hash(bytes, count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBufferPointer { arena in
                    while true {
                        let index = slots[slot]
                        if index < 0 { return -1 }
                        let e = entries[Int(index)]
                        if e.hash == hash, Int(e.length) == count {
                            if count == 0 { return e.value }
                            if let bytes, let a = arena.baseAddress, memcmp(a + Int(e.start), bytes, count) == 0 {
                                return e.value
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// A fast non-cryptographic hash of `count` bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        guard let bytes, count > 0 else { return h &* 0xBF58_476D_1CE4_E5B9 }
        let raw = UnsafeRawPointer(bytes)
        var i = 0
        while i + 8 <= count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        if i < count {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                w |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        }
        h ^= h >> 32
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return h
    }
}
