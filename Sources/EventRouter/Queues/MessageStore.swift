/// The messages of one queue by internal id, for ``QueueStateMachine``.
///
/// Internal ids are handed out in arrival order (1, 2, 3, …), and messages mostly leave in
/// about that order, so the store is an array indexed by `id - base`: a window from the oldest
/// message still held to the newest, with holes where messages left. Holes at the front are
/// trimmed as they appear. Looking a message up is an index computation, not a hash (the
/// dictionary this replaces was 8.7 % of the one-queue routing benchmark's time).
///
/// When a few old messages stay while many newer ones come and go (one message in flight for
/// hours), the window would fill with holes: once it holds more than twice as many slots as
/// messages (plus a margin), its messages move to a small dictionary (`overflow`) and the
/// window starts again after the newest, so memory stays proportional to what is held.
struct MessageStore: Sendable {
    private var window: [QueueMessage?] = []
    /// The index in `window` of id `base` (front holes already passed).
    private var start = 0
    /// The id at `window[start]`.
    private var base: UInt64 = 1
    /// Messages in the window.
    private var inWindow = 0
    /// Messages older than the window (see the type's description); every id here is below `base`.
    private var overflow: [UInt64: QueueMessage] = [:]

    /// Slots the window may span beyond twice its messages before they move to `overflow`.
    static let windowSlack = 4096

    init() {}

    /// Messages held.
    var count: Int { inWindow + overflow.count }

    /// The id one past the window's end: the next id the window appends.
    private var end: UInt64 { base &+ UInt64(window.count - start) }

    /// The window index of `id`, if the window covers it.
    @inline(__always)
    private func index(of id: UInt64) -> Int? {
        guard id >= base else { return nil }
        let offset = id &- base
        guard offset < UInt64(window.count - start) else { return nil }
        return start + Int(offset)
    }

    /// The message with internal id `id`; assigning `nil` removes it.
    subscript(id: UInt64) -> QueueMessage? {
        get {
            if let i = index(of: id) { return window[i] }
            return overflow.isEmpty ? nil : overflow[id]
        }
        set {
            if let newValue { store(newValue, id) } else { _ = removeValue(forKey: id) }
        }
    }

    /// Stores `message` under `id` (the same as assigning it through the subscript, without
    /// copying the message: the send path's insert).
    mutating func insert(_ message: consuming QueueMessage, id: UInt64) { store(consume message, id) }

    private mutating func store(_ message: consuming QueueMessage, _ id: UInt64) {
        if let i = index(of: id) {
            if window[i] == nil { inWindow += 1 }
            window[i] = consume message
            return
        }
        if id < base {
            overflow[id] = consume message
            return
        }
        if inWindow == 0 || id - end > UInt64(Self.windowSlack) {
            // An empty window, or one far behind `id`, starts again at `id` (every id in
            // `overflow` stays below `base`, so an id the window covers is never there).
            if inWindow > 0 { spill() }
            window.removeAll(keepingCapacity: true)
            start = 0
            base = id
        }
        while end < id { window.append(nil) }
        window.append(consume message)
        inWindow += 1
        if window.count - start > 2 * inWindow + Self.windowSlack { spill() }
    }

    /// Removes and returns the message with id `id`.
    @discardableResult
    mutating func removeValue(forKey id: UInt64) -> QueueMessage? {
        guard let i = index(of: id) else { return overflow.isEmpty ? nil : overflow.removeValue(forKey: id) }
        guard let message = window[i] else { return nil }
        window[i] = nil
        inWindow -= 1
        if i == start { trimFront() }
        return message
    }

    /// Passes the holes at the front of the window; gives back their memory now and then.
    private mutating func trimFront() {
        while start < window.count, window[start] == nil {
            start += 1
            base &+= 1
        }
        if start == window.count {
            window.removeAll(keepingCapacity: true)
            start = 0
        } else if start > Self.windowSlack, start * 2 > window.count {
            window.removeFirst(start)
            start = 0
        }
    }

    /// Moves the window's messages to `overflow` and starts an empty window after the newest.
    private mutating func spill() {
        let next = end
        for i in start..<window.count {
            if let m = window[i] { overflow[base &+ UInt64(i - start)] = m }
        }
        window.removeAll()
        start = 0
        base = next
        inWindow = 0
    }

    /// Removes every message.
    mutating func removeAll() {
        let next = end
        window.removeAll()
        start = 0
        base = next
        inWindow = 0
        overflow = [:]
    }

    /// Every message held, in no particular order.
    /// Every message in id (arrival) order: the overflow's, sorted (they are older than the
    /// window's), then the window's, which are in order already — no sort of the whole queue
    /// (snapshots capture this under the queue's lock).
    var valuesInIdOrder: [QueueMessage] {
        var all: [QueueMessage] = []
        all.reserveCapacity(count)
        if !overflow.isEmpty { all.append(contentsOf: overflow.values.sorted { $0.id < $1.id }) }
        for i in start..<window.count { if let m = window[i] { all.append(m) } }
        return all
    }

    var values: [QueueMessage] {
        var all: [QueueMessage] = []
        all.reserveCapacity(count)
        for i in start..<window.count { if let m = window[i] { all.append(m) } }
        all.append(contentsOf: overflow.values)
        return all
    }
}
