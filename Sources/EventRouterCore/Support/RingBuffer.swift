/// A growable first-in-first-out buffer with O(1) append and removal at the front.
///
/// `@inlinable` because its users (the queues' ready lists) are in the engine module: a generic
/// called across a module boundary is not specialized otherwise.
package struct RingBuffer<Element: Sendable>: Sendable {
    @usableFromInline var storage: [Element?] = []
    @usableFromInline var head = 0
    @usableFromInline var stored = 0

    /// The number of elements.
    @inlinable package var count: Int { stored }

    @inlinable package init() {}

    @inlinable package var isEmpty: Bool { count == 0 }

    @inlinable package mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = element
        stored += 1
    }

    @inlinable package mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        stored -= 1
        return element
    }

    @inlinable package var first: Element? { count > 0 ? storage[head] : nil }

    @inlinable package mutating func removeAll() {
        storage = []
        head = 0
        stored = 0
    }

    @usableFromInline mutating func grow() {
        var bigger = [Element?](repeating: nil, count: Swift.max(16, storage.count * 2))
        for i in 0..<count { bigger[i] = storage[(head + i) % storage.count] }
        storage = bigger
        head = 0
    }
}
