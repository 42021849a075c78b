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

/// The fields of ``MatchScratch``, kept in manually allocated memory so that the hot loops
/// touch them without the dynamic exclusivity checks of class stored properties.
struct ScratchState {
    var leaves = GrowableBuffer<Leaf>(capacity: 64)
    /// (arrayID, index) pairs of leaf trails.
    var trails = GrowableBuffer<Int32>(capacity: 64)
    /// The current array trail while reading.
    var trailStack = GrowableBuffer<Int32>(capacity: 32)
    /// Decoded bytes of escaped strings; lowercased values.
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
    /// Indexes of the rules matched by the current event; a bitmap to sort many of them.
    var matched = GrowableBuffer<Int32>(capacity: 64)
    var bitmap = GrowableBuffer<UInt64>(capacity: 4)
    /// First leaf per path, valid when `headEpoch[path] == epoch`.
    var head = GrowableBuffer<Int32>(capacity: 4)
    var headEpoch = GrowableBuffer<UInt32>(capacity: 4)
    /// `trailEpoch[path] == epoch`: some leaf on the path lies inside an array.
    var trailEpoch = GrowableBuffer<UInt32>(capacity: 4)
    var alternativeEpoch = GrowableBuffer<UInt32>(capacity: 4)
    var ruleEpoch = GrowableBuffer<UInt32>(capacity: 4)
    var epoch: UInt32 = 0
    var nextArrayID: Int32 = 0
    var eventHasTrails = false

    func free() {
        leaves.free(); trails.free(); trailStack.free(); arena.free(); lower.free(); skipStack.free()
        visited.free(); candidates.free(); chosen.free(); matched.free(); bitmap.free(); head.free(); headEpoch.free(); trailEpoch.free()
        alternativeEpoch.free(); ruleEpoch.free()
    }
}

/// Per-event working memory of a ``RuleMatcher``, reused across events so that matching
/// allocates nothing in the common case. Owned by exactly one matcher value (copied on write).
final class MatchScratch: @unchecked Sendable {
    let state: UnsafeMutablePointer<ScratchState>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: ScratchState())
    }

    deinit {
        state.pointee.free()
        state.deallocate()
    }

    var leaves: GrowableBuffer<Leaf> {
        @inline(__always) _read { yield state.pointee.leaves }
        @inline(__always) _modify { yield &state.pointee.leaves }
    }
    var trails: GrowableBuffer<Int32> {
        @inline(__always) _read { yield state.pointee.trails }
        @inline(__always) _modify { yield &state.pointee.trails }
    }
    var trailStack: GrowableBuffer<Int32> {
        @inline(__always) _read { yield state.pointee.trailStack }
        @inline(__always) _modify { yield &state.pointee.trailStack }
    }
    var arena: GrowableBuffer<UInt8> {
        @inline(__always) _read { yield state.pointee.arena }
        @inline(__always) _modify { yield &state.pointee.arena }
    }
    var lower: GrowableBuffer<UInt8> {
        @inline(__always) _read { yield state.pointee.lower }
        @inline(__always) _modify { yield &state.pointee.lower }
    }
    var skipStack: GrowableBuffer<UInt8> {
        @inline(__always) _read { yield state.pointee.skipStack }
        @inline(__always) _modify { yield &state.pointee.skipStack }
    }
    var visited: GrowableBuffer<Int32> {
        @inline(__always) _read { yield state.pointee.visited }
        @inline(__always) _modify { yield &state.pointee.visited }
    }
    var candidates: GrowableBuffer<Int32> {
        @inline(__always) _read { yield state.pointee.candidates }
        @inline(__always) _modify { yield &state.pointee.candidates }
    }
    var chosen: GrowableBuffer<Int32> {
        @inline(__always) _read { yield state.pointee.chosen }
        @inline(__always) _modify { yield &state.pointee.chosen }
    }
    var matched: GrowableBuffer<Int32> {
        @inline(__always) _read { yield state.pointee.matched }
        @inline(__always) _modify { yield &state.pointee.matched }
    }
    var head: GrowableBuffer<Int32> {
        @inline(__always) _read { yield state.pointee.head }
        @inline(__always) _modify { yield &state.pointee.head }
    }
    var headEpoch: GrowableBuffer<UInt32> {
        @inline(__always) _read { yield state.pointee.headEpoch }
        @inline(__always) _modify { yield &state.pointee.headEpoch }
    }
    var trailEpoch: GrowableBuffer<UInt32> {
        @inline(__always) _read { yield state.pointee.trailEpoch }
        @inline(__always) _modify { yield &state.pointee.trailEpoch }
    }
    var alternativeEpoch: GrowableBuffer<UInt32> {
        @inline(__always) _read { yield state.pointee.alternativeEpoch }
        @inline(__always) _modify { yield &state.pointee.alternativeEpoch }
    }
    var ruleEpoch: GrowableBuffer<UInt32> {
        @inline(__always) _read { yield state.pointee.ruleEpoch }
        @inline(__always) _modify { yield &state.pointee.ruleEpoch }
    }
    var epoch: UInt32 {
        @inline(__always) _read { yield state.pointee.epoch }
        @inline(__always) _modify { yield &state.pointee.epoch }
    }
    var nextArrayID: Int32 {
        @inline(__always) _read { yield state.pointee.nextArrayID }
        @inline(__always) _modify { yield &state.pointee.nextArrayID }
    }
    var eventHasTrails: Bool {
        @inline(__always) _read { yield state.pointee.eventHasTrails }
        @inline(__always) _modify { yield &state.pointee.eventHasTrails }
    }

    /// Sizes the per-path and per-rule arrays for `plan` and starts a new event.
    func begin(paths: Int, alternatives: Int, rules: Int) {
        func size<T>(_ b: inout GrowableBuffer<T>, _ n: Int, _ zero: T) {
            while b.count < n { b.append(zero) }
        }
        if head.count < paths || alternativeEpoch.count < alternatives || ruleEpoch.count < rules {
            size(&head, paths, -1)
            size(&headEpoch, paths, 0)
            size(&trailEpoch, paths, 0)
            size(&alternativeEpoch, alternatives, 0)
            size(&ruleEpoch, rules, 0)
        }
        epoch &+= 1
        if epoch == 0 {
            for i in 0..<headEpoch.count { headEpoch[i] = 0 }
            for i in 0..<trailEpoch.count { trailEpoch[i] = 0 }
            for i in 0..<alternativeEpoch.count { alternativeEpoch[i] = 0 }
            for i in 0..<ruleEpoch.count { ruleEpoch[i] = 0 }
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
