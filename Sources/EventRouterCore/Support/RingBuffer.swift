/// A growable first-in-first-out buffer with O(1) append and removal at the front.
///
/// `@inlinable` because its users (the queues' ready lists, the delivery queue) are in the engine
/// module: a generic called across a module boundary is not specialized otherwise. It is `public`
/// (not `package`) because, measured with Swift 6.3 in a release build, the engine still called
/// the unspecialized `package` methods (generic metadata looked up on every call).
public struct RingBuffer<Element: Sendable>: Sendable {
    @usableFromInline var storage: [Element?] = []
    @usableFromInline var head = 0
    @usableFromInline var stored = 0

    /// The number of elements.
    @inlinable public var count: Int { stored }

    @inlinable public init() {}

    @inlinable public var isEmpty: Bool { count == 0 }

    @inlinable public mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = element
        stored += 1
    }

    @inlinable public mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        stored -= 1
        return element
    }

    @inlinable public var first: Element? { count > 0 ? storage[head] : nil }

    @inlinable public mutating func removeAll() {
        storage = []
        head = 0
        stored = 0
    }

    /// Doubles the storage. `@inlinable` too, so that it is specialized in the caller's module
    /// (it was called unspecialized, generic metadata looked up per element moved).
    @inlinable mutating func grow() {
        var bigger: [Element?] = []
        bigger.reserveCapacity(Swift.max(64, storage.count * 2))
        // The waiting elements in order: from `head` to the end, then the wrapped part.
        bigger.append(contentsOf: storage[head...])
        bigger.append(contentsOf: storage[..<head])
        bigger.append(contentsOf: repeatElement(nil, count: Swift.max(64, storage.count * 2) - bigger.count))
        storage = bigger
        head = 0
    }
}
