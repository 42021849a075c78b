/// A growable first-in-first-out buffer with O(1) append and removal at the front.
struct RingBuffer<Element: Sendable>: Sendable {
    private var storage: [Element?] = []
    private var head = 0
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = element
        count += 1
    }

    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        count -= 1
        return element
    }

    /// The element at offset `i` from the front.
    subscript(i: Int) -> Element {
        // Callers only index 0..<count.
        storage[(head + i) % storage.count]!
    }

    var first: Element? { count > 0 ? storage[head] : nil }

    mutating func removeAll() {
        storage = []
        head = 0
        count = 0
    }

    private mutating func grow() {
        var bigger = [Element?](repeating: nil, count: Swift.max(16, storage.count * 2))
        for i in 0..<count { bigger[i] = storage[(head + i) % storage.count] }
        storage = bigger
        head = 0
    }
}

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
}
