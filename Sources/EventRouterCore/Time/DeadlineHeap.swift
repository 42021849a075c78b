/// The one priority queue of timed work in EventRouter: a binary min-heap ordered by
/// (due time, sequence number), so items due at the same time come out in the order of their
/// sequence numbers (callers number them as they schedule).
///
/// The heap sifts plain keys (no reference counting while sifting); payloads live in a slab
/// indexed by the key's slot, with a free list. Used by the delivery scheduler, queue timers
/// and topic retries.
///
/// Its users are in the engine module, so the heap is `@inlinable`: a generic called across a
/// module boundary is not specialized otherwise, and the heap is on the path of every delivery.
package struct DeadlineHeap<Payload> {
    @usableFromInline
    struct Key {
        @usableFromInline var due: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var slot: Int

        @inlinable
        init(due: Int64, sequence: UInt64, slot: Int) {
            self.due = due
            self.sequence = sequence
            self.slot = slot
        }

        @inlinable @inline(__always) func precedes(_ other: Key) -> Bool {
            due != other.due ? due < other.due : sequence < other.sequence
        }
    }

    @usableFromInline var keys: [Key] = []
    @usableFromInline var slab: [Payload?] = []
    @usableFromInline var free: [Int] = []

    @inlinable package init() {}

    @inlinable package var count: Int { keys.count }
    @inlinable package var isEmpty: Bool { keys.isEmpty }
    /// The due time (nanoseconds since the epoch) of the earliest item.
    @inlinable package var firstDue: Int64? { keys.first?.due }
    /// The due time of the earliest item as a timestamp.
    @inlinable package var firstDeadline: Timestamp? { keys.first.map { Timestamp(nanosecondsSinceEpoch: $0.due) } }

    /// Adds `payload`, due at `due` nanoseconds since the epoch.
    @inlinable package mutating func push(due: Int64, sequence: UInt64, _ payload: Payload) {
        let slot: Int
        if let s = free.popLast() {
            slab[s] = payload
            slot = s
        } else {
            slot = slab.count
            slab.append(payload)
        }
        let key = Key(due: due, sequence: sequence, slot: slot)
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

    /// Adds `payload`, due at `due`.
    @inlinable package mutating func push(at due: Timestamp, sequence: UInt64, _ payload: Payload) {
        push(due: due.nanosecondsSinceEpoch, sequence: sequence, payload)
    }

    /// Removes and returns the earliest item.
    @inlinable package mutating func pop() -> Payload? {
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

    /// Removes and returns the earliest item if it is due at `now`.
    @inlinable package mutating func popDue(_ now: Timestamp) -> Payload? {
        guard let due = keys.first?.due, due <= now.nanosecondsSinceEpoch else { return nil }
        return pop()
    }

    @inlinable package mutating func removeAll() {
        keys = []
        slab = []
        free = []
    }

    /// Keeps only the payloads `keep` accepts (a sorted array of keys is a valid heap).
    @inlinable package mutating func retain(_ keep: (Payload) -> Bool) {
        var kept: [Key] = []
        for key in keys {
            if let p = slab[key.slot], keep(p) { kept.append(key) } else { slab[key.slot] = nil; free.append(key.slot) }
        }
        keys = kept.sorted { $0.precedes($1) }
    }
}

extension DeadlineHeap: Sendable where Payload: Sendable {}

/// A queue timer: message `id` changes (becomes visible, or expires) at `at`.
package struct QueueTimer: Sendable {
    package var at: Timestamp
    package var id: UInt64

    @inlinable
    package init(at: Timestamp, id: UInt64) {
        self.at = at
        self.id = id
    }
}

extension DeadlineHeap where Payload == QueueTimer {
    /// Schedules message `id` for `at`; equal times come out in id order.
    @inlinable package mutating func push(_ at: Timestamp, _ id: UInt64) {
        push(at: at, sequence: id, QueueTimer(at: at, id: id))
    }
}
