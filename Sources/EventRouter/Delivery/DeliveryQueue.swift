/// The attempts a ``DeliveryScheduler`` holds, in (due time, sequence) order: a ``DeadlineHeap``
/// for attempts due later (retries), and in front of it a first-in-first-out run of attempts
/// whose (due, sequence) keys only grow, which is what new events' first attempts are (due at
/// the clock's time, numbered in order). Those skip the heap's sifting; the order in which
/// attempts come out is exactly the heap's order alone.
struct DeliveryQueue: Sendable {
    typealias Item = DeliveryScheduler.Item

    private struct Key: Sendable {
        var due: Int64
        var sequence: UInt64
    }

    private var heap = DeadlineHeap<Item>()
    private var run = RingBuffer<Item>()
    /// The keys of ``run`` (read without copying the items), and the last one pushed.
    private var runKeys = RingBuffer<Key>()
    private var lastKey: Key?

    var count: Int { heap.count + run.count }

    /// The due time (nanoseconds since the epoch) of the earliest item.
    var firstDue: Int64? {
        guard let head = runKeys.first else { return heap.firstDue }
        guard let due = heap.firstDue else { return head.due }
        return min(due, head.due)
    }

    /// The due time of the earliest item as a timestamp.
    var firstDeadline: Timestamp? { firstDue.map { Timestamp(nanosecondsSinceEpoch: $0) } }

    /// Adds `item` at its (due, sequence) key.
    mutating func push(_ item: Item) {
        if !run.isEmpty, let last = lastKey, item.due != last.due ? item.due < last.due : item.sequence < last.sequence {
            heap.push(due: item.due, sequence: item.sequence, item)
        } else {
            let key = Key(due: item.due, sequence: item.sequence)
            run.append(item)
            runKeys.append(key)
            lastKey = key
        }
    }

    /// Removes and returns the earliest item if it is due by `now`.
    mutating func popDue(_ now: Int64) -> Item? {
        if let key = heap.firstKey, key.due <= now {
            guard let head = runKeys.first, head.due != key.due ? head.due < key.due : head.sequence < key.sequence else { return heap.pop() }
        }
        guard let head = runKeys.first, head.due <= now else { return nil }
        _ = runKeys.popFirst()
        return run.popFirst()
    }
}
