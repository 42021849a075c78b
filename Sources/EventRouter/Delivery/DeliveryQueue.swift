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
    /// The run: `run[head...]` are waiting, in order; the slots before `head` were taken
    /// (`nil`). One contiguous buffer that grows by moving its items (no reference counting)
    /// and is reused once emptied, so a burst of first attempts costs no copying per item.
    private var run: ContiguousArray<Item?> = []
    private var head = 0
    private var lastKey: Key?

    var count: Int { heap.count + run.count - head }

    /// The key of the run's first item.
    private var runFirst: Key? {
        guard head < run.count, let item = run[head] else { return nil }
        return Key(due: item.due, sequence: item.sequence)
    }

    /// The due time (nanoseconds since the epoch) of the earliest item.
    var firstDue: Int64? {
        guard let first = runFirst else { return heap.firstDue }
        guard let due = heap.firstDue else { return first.due }
        return min(due, first.due)
    }

    /// The due time of the earliest item as a timestamp.
    var firstDeadline: Timestamp? { firstDue.map { Timestamp(nanosecondsSinceEpoch: $0) } }

    /// Adds `item` at its (due, sequence) key.
    mutating func push(_ item: Item) {
        if head < run.count, let last = lastKey, item.due != last.due ? item.due < last.due : item.sequence < last.sequence {
            heap.push(due: item.due, sequence: item.sequence, item)
        } else {
            if head == run.count && head > 0 {
                run.removeAll(keepingCapacity: true)  // emptied: start again at the front
                head = 0
            } else if head >= 4096 && head * 2 >= run.count {
                run.removeFirst(head)  // mostly taken: move the waiting items to the front
                head = 0
            }
            lastKey = Key(due: item.due, sequence: item.sequence)
            run.append(item)
        }
    }

    /// Removes and returns the earliest item if it is due by `now`.
    mutating func popDue(_ now: Int64) -> Item? {
        let first = runFirst
        if let key = heap.firstKey, key.due <= now {
            guard let head = first, head.due != key.due ? head.due < key.due : head.sequence < key.sequence else { return heap.pop() }
        }
        guard let key = first, key.due <= now else { return nil }
        let item = run[head].take()
        head += 1
        if head == run.count {
            run.removeAll(keepingCapacity: true)
            head = 0
        }
        return item
    }
}
