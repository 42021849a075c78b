/// A binary min-heap of scheduled work, ordered by (due time, sequence number) so equal
/// due times run in the order they were scheduled.
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

        @inline(__always) func precedes(_ other: Item) -> Bool {
            due != other.due ? due < other.due : sequence < other.sequence
        }
    }

    private(set) var items: [Item] = []

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
    var first: Item? { items.first }

    mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Item? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        let n = items.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { break }
            var best = left
            if left + 1 < n, items[left + 1].precedes(items[left]) { best = left + 1 }
            guard items[best].precedes(items[parent]) else { break }
            items.swapAt(best, parent)
            parent = best
        }
        return top
    }
}
