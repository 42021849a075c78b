#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable open-addressing hash table from (tag, byte string) keys to `Int32` values.
///
/// Built once; lookups hash the raw bytes of the key (no `String` is made), which is what lets
/// the matcher look up event keys and values straight from the event's UTF-8 text. The tag
/// lets one table hold the children of every node of a trie. Storage is manually allocated so
/// that a lookup touches no reference counts.
package final class ByteKeyTable: @unchecked Sendable {
    private struct Entry {
        var hash: UInt64
        /// The first eight bytes of the key, zero-padded.
        var head: UInt64
        var tag: Int32
        var start: Int32
        var length: Int32
        var value: Int32
    }

    private let arena: UnsafeMutablePointer<UInt8>
    private let entries: UnsafeMutablePointer<Entry>
    private let slots: UnsafeMutablePointer<Int32>
    private let mask: Int
    /// The number of keys.
    let count: Int

    /// A table holding `pairs` under tag 0; a key given twice keeps its first value.
    convenience init(_ pairs: [(key: [UInt8], value: Int32)]) {
        self.init(tagged: pairs.map { (0, $0.key, $0.value) })
    }

    /// A table holding `pairs`; a (tag, key) given twice keeps its first value.
    init(tagged pairs: [(tag: Int32, key: [UInt8], value: Int32)]) {
        var arena: [UInt8] = []
        var entries: [Entry] = []
        var capacity = 4
        while capacity < pairs.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for pair in pairs {
            let hash = pair.key.withUnsafeBufferPointer { ByteKeyTable.hash($0.baseAddress, $0.count, tag: pair.tag) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            var duplicate = false
            while slots[slot] >= 0 {
                let e = entries[Int(slots[slot])]
                if e.hash == hash, e.tag == pair.tag, Int(e.length) == pair.key.count,
                    arena[Int(e.start)..<Int(e.start) + Int(e.length)].elementsEqual(pair.key)
                {
                    duplicate = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if duplicate { continue }
            slots[slot] = Int32(entries.count)
            var head: UInt64 = 0
            for (k, b) in pair.key.prefix(8).enumerated() { head |= UInt64(b) << (8 * UInt64(k)) }
            entries.append(Entry(hash: hash, head: head, tag: pair.tag, start: Int32(arena.count), length: Int32(pair.key.count), value: pair.value))
            arena.append(contentsOf: pair.key)
        }
        self.arena = .allocate(capacity: max(arena.count, 1))
        self.arena.initialize(from: arena, count: arena.count)
        self.entries = .allocate(capacity: max(entries.count, 1))
        self.entries.initialize(from: entries, count: entries.count)
        self.slots = .allocate(capacity: capacity)
        self.slots.initialize(from: slots, count: capacity)
        self.mask = mask
        self.count = entries.count
    }

    deinit {
        arena.deallocate()
        entries.deallocate()
        slots.deallocate()
    }

    /// The value stored for the `count` bytes at `bytes` under `tag`, or -1.
    @inline(__always)
    func lookup(_ bytes: UnsafePointer<UInt8>, _ count: Int, tag: Int32 = 0) -> Int32 {
        if self.count == 0 { return -1 }
        let hash = ByteKeyTable.hash(bytes, count, tag: tag)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return -1 }
            let e = entries[Int(index)]
            if e.hash == hash, e.tag == tag, Int(e.length) == count,
                count == 0 || memcmp(arena + Int(e.start), bytes, count) == 0
            {
                return e.value
            }
            slot = (slot + 1) & mask
        }
    }

    /// The value stored for a key of at most eight bytes given as a zero-padded
    /// little-endian word, or -1.
    @inline(__always)
    func lookup(word: UInt64, _ count: Int, tag: Int32 = 0) -> Int32 {
        if self.count == 0 { return -1 }
        let hash = ByteKeyTable.hash(word: word, count, tag: tag)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return -1 }
            let e = entries[Int(index)]
            if e.hash == hash, e.head == word, e.tag == tag, Int(e.length) == count { return e.value }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private static func seed(_ count: Int, _ tag: Int32) -> UInt64 {
        0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count) ^ (UInt64(UInt32(bitPattern: tag)) << 32)
    }

    @inline(__always)
    private static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
        var h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return h
    }

    @inline(__always)
    private static func finish(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h >> 32
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return h
    }

    /// ``hash(_:_:tag:)`` of a key of at most eight bytes given as a zero-padded little-endian
    /// word: the same value for the same key, including the empty key (no word is mixed in).
    @inline(__always)
    package static func hash(word: UInt64, _ count: Int, tag: Int32) -> UInt64 {
        count == 0 ? finish(seed(0, tag)) : finish(mix(seed(count, tag), word))
    }

    /// A fast non-cryptographic hash of `count` bytes and a tag.
    @inline(__always)
    package static func hash(_ bytes: UnsafePointer<UInt8>?, _ count: Int, tag: Int32) -> UInt64 {
        var h = seed(count, tag)
        if let bytes, count > 0 {
            let raw = UnsafeRawPointer(bytes)
            var i = 0
            while i + 8 <= count {
                h = mix(h, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
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
                h = mix(h, w)
            }
        }
        return finish(h)
    }
}
