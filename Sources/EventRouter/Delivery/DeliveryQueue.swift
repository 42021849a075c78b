/// The attempts a ``DeliveryScheduler`` holds, in (due time, sequence) order: a ``DeadlineHeap``
/// for attempts due later (retries), and in front of it a first-in-first-out run of attempts
/// whose (due, sequence) keys only grow, which is what new events' first attempts are (due at
/// the clock's time, numbered in order). Those skip the heap's sifting; the order in which
/// attempts come out is exactly the heap's order alone.
struct DeliveryQueue<Item: Sendable>: Sendable {
    private var heap = DeadlineHeap<Item>()
    private var run = RingBuffer<(due: Int64, sequence: UInt64, item: Item)>()

    var count: Int { heap.count + run.count }

    /// The due time (nanoseconds since the epoch) of the earliest item.
    var firstDue: Int64? {
        guard let head = run.first else { return heap.firstDue }
        guard let due = heap.firstDue else { return head.due }
        return min(due, head.due)
    }

    /// The due time of the earliest item as a timestamp.
    var firstDeadline: Timestamp? { firstDue.map { Timestamp(nanosecondsSinceEpoch: $0) } }

    /// Adds `item`, due at `due`.
    mutating func push(due: Int64, sequence: UInt64, _ item: Item) {
        if let last = run.last, due != last.due ? due < last.due : sequence < last.sequence {
            heap.push(due: due, sequence: sequence, item)
        } else {
            run.append((due, sequence, item))
        }
    }

    /// Removes and returns the earliest item if it is due by `now`.
    mutating func popDue(_ now: Int64) -> Item? {
        let head = run.first
        if let key = heap.firstKey, key.due <= now, head.map({ key.due != $0.due ? key.due < $0.due : key.sequence < $0.sequence }) ?? true {
            return heap.pop()
        }
        guard let head, head.due <= now else { return nil }
        _ = run.popFirst()
        return head.item
    }
}
