/// A binary min-heap of scheduled work, ordered by (due time, sequence number) so equal
/// due times run in the order they were scheduled.
///
/// The heap itself holds plain keys (no reference counting while sifting); the items live in
/// a slab indexed by the key's slot, with a free list.
struct DeliveryHeap {
    enum Kind {
        case attempt
        case deadLetter(DeliveryStateMachine.Failure)
    }

    struct Item {
        var due: Int64
        var sequence: UInt64
        var retries: Int
        var request: DeliveryRequest
        var kind: Kind
    }

    private struct Key {
        var due: Int64
        var sequence: UInt64
        var slot: Int

        @inline(__always) func precedes(_ other: Key) -> Bool {
            due != other.due ? due < other.due : sequence < other.sequence
        }
    }

    private var keys: [Key] = []
    private var slab: [Item?] = []
    private var free: [Int] = []

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }
    /// The due time of the earliest item.
    var firstDue: Int64? { keys.first?.due }

    mutating func push(_ item: Item) {
        let slot: Int
        if let s = free.popLast() {
            slab[s] = item
            slot = s
        } else {
            slot = slab.count
            slab.append(item)
        }
        let key = Key(due: item.due, sequence: item.sequence, slot: slot)
        var child = keys.count
        keys.append(key)
        while child > 0 {
            let parent = (child - 1) / 2
            guard key.precedes(keys[parent]) else { break }
            keys[child] = keys[parent]
            child = parent
        }
        keys[child] = key
    }

    mutating func pop() -> Item? {
        guard let top = keys.first else { return nil }
        let last = keys.removeLast()
        if !keys.isEmpty {
            var parent = 0
            let n = keys.count
            while true {
                let left = 2 * parent + 1
                guard left < n else { break }
                var best = left
                if left + 1 < n, keys[left + 1].precedes(keys[left]) { best = left + 1 }
                guard keys[best].precedes(last) else { break }
                keys[parent] = keys[best]
                parent = best
            }
            keys[parent] = last
        }
        let item = slab[top.slot].take()
        free.append(top.slot)
        return item
    }
}
