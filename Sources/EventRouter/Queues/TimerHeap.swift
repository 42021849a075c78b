/// A binary min-heap of `(time, id)` timer entries.
struct TimerHeap: Sendable {
    struct Entry: Sendable, Comparable {
        var at: Timestamp
        var id: UInt64
        static func < (a: Entry, b: Entry) -> Bool { (a.at, a.id) < (b.at, b.id) }
    }

    private(set) var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var top: Entry? { entries.first }

    mutating func push(_ at: Timestamp, _ id: UInt64) {
        entries.append(Entry(at: at, id: id))
        var i = entries.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard entries[i] < entries[parent] else { break }
            entries.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(_ now: Timestamp) -> Entry? {
        guard let first = entries.first, first.at <= now else { return nil }
        let last = entries.removeLast()
        if entries.isEmpty { return first }
        entries[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < entries.count && entries[l] < entries[m] { m = l }
            if r < entries.count && entries[r] < entries[m] { m = r }
            if m == i { break }
            entries.swapAt(i, m)
            i = m
        }
        return first
    }

    mutating func removeAll() { entries = [] }

    /// Keeps only the entries `keep` accepts (a sorted array is a valid heap).
    mutating func retain(_ keep: (Entry) -> Bool) {
        entries = entries.filter(keep).sorted()
    }
}
