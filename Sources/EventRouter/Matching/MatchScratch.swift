/// The kind of a scalar value found in an event.
enum LeafKind: UInt8, Sendable {
    case null, `false`, `true`, number, string
}

/// One scalar value found at a path some rule mentions.
struct Leaf {
    var kind: LeafKind
    /// For strings: ASCII without CR (byte semantics equal `String` semantics).
    var simple: Bool
    /// The bytes live in the scratch arena (a decoded escaped string), not in the event text.
    var inArena: Bool
    var path: Int32
    /// Byte range of the string content or number text.
    var start: Int32
    var end: Int32
    /// The numeric value, when the path needs it (else NaN).
    var number: Double
    /// The array-element trail: `trailCount` (arrayID, index) pairs from `trailStart`.
    var trailStart: Int32
    var trailCount: Int32
    /// The next leaf on the same path, or -1.
    var next: Int32
}

/// A growable buffer of trivial values that never shrinks (reused across events).
struct GrowableBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        base = .allocate(capacity: self.capacity)
    }

    func free() { base.deallocate() }

    @inline(__always)
    mutating func append(_ value: T) {
        if count == capacity { grow(count + 1) }
        (base + count).initialize(to: value)
        count += 1
    }

    mutating func reserve(_ n: Int) { if n > capacity { grow(n) } }

    private mutating func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let b = UnsafeMutablePointer<T>.allocate(capacity: c)
        b.moveInitialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    @inline(__always)
    subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// Per-event working memory of a ``RuleMatcher``, reused across events so that matching
/// allocates nothing in the common case. Owned by exactly one matcher value (copied on write).
final class MatchScratch: @unchecked Sendable {
    var leaves = GrowableBuffer<Leaf>(capacity: 64)
    /// (arrayID, index) pairs of leaf trails.
    var trails = GrowableBuffer<Int32>(capacity: 64)
    /// The current array trail while reading.
    var trailStack = GrowableBuffer<Int32>(capacity: 32)
    /// Decoded bytes of escaped strings and lowercased values.
    var arena = GrowableBuffer<UInt8>(capacity: 256)
    var lower = GrowableBuffer<UInt8>(capacity: 256)
    /// Container kinds while skipping.
    var skipStack = GrowableBuffer<UInt8>(capacity: 64)
    /// Trie nodes already entered in each open object (to spot repeated keys).
    var visited = GrowableBuffer<Int32>(capacity: 32)
    /// Candidate alternatives of the current event.
    var candidates = GrowableBuffer<Int32>(capacity: 64)
    /// Leaves chosen during the array-consistent search.
    var chosen = GrowableBuffer<Int32>(capacity: 16)
    /// First leaf per path, valid when `headEpoch[path] == epoch`.
    var head: [Int32] = []
    var headEpoch: [UInt32] = []
    /// `trailEpoch[path] == epoch`: some leaf on the path lies inside an array.
    var trailEpoch: [UInt32] = []
    var alternativeEpoch: [UInt32] = []
    var ruleEpoch: [UInt32] = []
    var epoch: UInt32 = 0
    var nextArrayID: Int32 = 0
    var eventHasTrails = false

    init() {}

    deinit {
        leaves.free(); trails.free(); trailStack.free(); arena.free(); lower.free()
        skipStack.free(); visited.free(); candidates.free(); chosen.free()
    }

    /// Sizes the per-path and per-rule arrays for `plan` and starts a new event.
    func begin(paths: Int, alternatives: Int, rules: Int) {
        if head.count < paths {
            head = [Int32](repeating: -1, count: paths)
            headEpoch = [UInt32](repeating: 0, count: paths)
            trailEpoch = [UInt32](repeating: 0, count: paths)
        }
        if alternativeEpoch.count < alternatives { alternativeEpoch = [UInt32](repeating: 0, count: alternatives) }
        if ruleEpoch.count < rules { ruleEpoch = [UInt32](repeating: 0, count: rules) }
        epoch &+= 1
        if epoch == 0 {
            for i in headEpoch.indices { headEpoch[i] = 0 }
            for i in trailEpoch.indices { trailEpoch[i] = 0 }
            for i in alternativeEpoch.indices { alternativeEpoch[i] = 0 }
            for i in ruleEpoch.indices { ruleEpoch[i] = 0 }
            epoch = 1
        }
        leaves.count = 0
        trails.count = 0
        trailStack.count = 0
        arena.count = 0
        candidates.count = 0
        visited.count = 0
        nextArrayID = 0
        eventHasTrails = false
    }

    /// Whether some leaf on `path` lies inside an array.
    @inline(__always)
    func hasTrails(_ path: Int32) -> Bool { trailEpoch[Int(path)] == epoch }

    /// The first leaf on `path`, or -1.
    @inline(__always)
    func firstLeaf(_ path: Int32) -> Int32 {
        headEpoch[Int(path)] == epoch ? head[Int(path)] : -1
    }

    /// Records a leaf and links it into its path's list.
    @inline(__always)
    func addLeaf(_ leaf: Leaf) {
        var leaf = leaf
        let p = Int(leaf.path)
        leaf.next = headEpoch[p] == epoch ? head[p] : -1
        leaf.trailStart = Int32(trails.count)
        leaf.trailCount = Int32(trailStack.count >> 1)
        if trailStack.count > 0 {
            eventHasTrails = true
            trailEpoch[p] = epoch
            for i in 0..<trailStack.count { trails.append(trailStack[i]) }
        }
        head[p] = Int32(leaves.count)
        headEpoch[p] = epoch
        leaves.append(leaf)
    }

    /// Whether two leaves can belong to one match: wherever their trails pass through the
    /// same array, they go through the same element.
    @inline(__always)
    func consistent(_ a: Int32, _ b: Int32) -> Bool {
        let la = leaves[Int(a)]
        let lb = leaves[Int(b)]
        let n = Int(min(la.trailCount, lb.trailCount))
        var i = 0
        while i < n {
            let ia = Int(la.trailStart) + 2 * i
            let ib = Int(lb.trailStart) + 2 * i
            if trails[ia] != trails[ib] { return true }
            if trails[ia + 1] != trails[ib + 1] { return false }
            i += 1
        }
        return true
    }
}
