#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Matching one event whose leaves the ``EventScanner`` has recorded: collects candidate
/// alternatives from the anchor indexes and verifies each against all its conditions.
struct MatchRun {
    let plan: MatchPlan
    let scratch: MatchScratch
    let source: UnsafePointer<UInt8>
    let arena: UnsafePointer<UInt8>
    /// The plan's tables, borrowed for the duration of ``collect(into:)``.
    private var tests: UnsafeBufferPointer<ValueTest>
    private var fastTests: UnsafeBufferPointer<MatchPlan.FastTest>
    private var pool: UnsafePointer<UInt8>?
    private var conditions: UnsafeBufferPointer<MatchPlan.Condition>

    init(plan: MatchPlan, scratch: MatchScratch, source: UnsafePointer<UInt8>, arena: UnsafePointer<UInt8>) {
        self.plan = plan
        self.scratch = scratch
        self.source = source
        self.arena = arena
        tests = UnsafeBufferPointer(start: nil, count: 0)
        fastTests = UnsafeBufferPointer(start: nil, count: 0)
        conditions = UnsafeBufferPointer(start: nil, count: 0)
    }

    @inline(__always)
    func bytes(_ leaf: Leaf) -> UnsafePointer<UInt8> {
        (leaf.inArena ? arena : source) + Int(leaf.start)
    }

    /// Appends the ids of the matching rules to `out` in ascending order, each once.
    mutating func collect(into out: inout [Int]) {
        scratch.matched.count = 0
        defer { sortedIDs(into: &out) }
        let t = plan.tables
        tests = t.tests
        conditions = t.conditions
        fastTests = t.fastTests
        pool = t.pool.baseAddress
        collectBorrowed()
    }

    /// Leaves the indexes of the matching rules in `matched` (unsorted, each once).
    private func collectBorrowed() {
        let st = scratch.state
        let epoch = st.pointee.epoch
        let t = plan.tables
        let alternatives = t.alternatives
        let paths = t.paths
        let altEpoch = st.pointee.alternativeEpoch.base
        let ruleEpoch = st.pointee.ruleEpoch.base
        for li in 0..<st.pointee.leaves.count {
            let leaf = st.pointee.leaves[li]
            paths[Int(leaf.path)]._withUnsafeGuaranteedRef { index in
                index.candidates(of: leaf, bytes(leaf), Int(leaf.end - leaf.start), lower: &st.pointee.lower) { alt, certain in
                    if alt & PathIndex.directRule != 0 {
                        // Certain hit on a rule with one alternative of one condition.
                        let rule = Int(alt & ~PathIndex.directRule)
                        if ruleEpoch[rule] != epoch {
                            ruleEpoch[rule] = epoch
                            st.pointee.matched.append(Int32(rule))
                        }
                        return
                    }
                    if altEpoch[Int(alt)] == epoch { return }
                    altEpoch[Int(alt)] = epoch
                    let a = alternatives[Int(alt)]
                    if certain && a.single {
                        if ruleEpoch[Int(a.rule)] != epoch {
                            ruleEpoch[Int(a.rule)] = epoch
                            st.pointee.matched.append(a.rule)
                        }
                    } else {
                        // The high bit: the anchor condition certainly holds.
                        st.pointee.candidates.append(certain ? alt | Int32.min : alt)
                    }
                }
            }
        }
        for alt in t.always where altEpoch[Int(alt)] != epoch {
            altEpoch[Int(alt)] = epoch
            st.pointee.candidates.append(alt)
        }
        for k in 0..<st.pointee.candidates.count {
            let entry = st.pointee.candidates[k]
            let a = alternatives[Int(entry & Int32.max)]
            if ruleEpoch[Int(a.rule)] == epoch { continue }
            if verify(a, skip: entry < 0 ? Int(a.anchor) : -1) {
                ruleEpoch[Int(a.rule)] = epoch
                st.pointee.matched.append(a.rule)
            }
        }
    }

    /// Appends `ruleIDs` of the matched rule indexes in ascending order (rules are numbered
    /// in id order): insertion sort for a few, a bitmap over the rule range for many.
    private func sortedIDs(into out: inout [Int]) {
        let st = scratch.state
        let m = st.pointee.matched.base
        let n = st.pointee.matched.count
        if n == 0 { return }
        if n <= 24 {
            for k in 1..<max(n, 1) {
                let v = m[k]
                var j = k - 1
                while j >= 0 && m[j] > v {
                    m[j + 1] = m[j]
                    j -= 1
                }
                m[j + 1] = v
            }
        } else {
            var low = Int.max
            var high = 0
            let words = (plan.tables.ruleIDs.count + 63) >> 6
            while st.pointee.bitmap.count < words { st.pointee.bitmap.append(0) }
            let bits = st.pointee.bitmap.base
            for k in 0..<n {
                let r = Int(m[k])
                bits[r >> 6] |= 1 << UInt64(r & 63)
                low = min(low, r >> 6)
                high = max(high, r >> 6)
            }
            var k = 0
            for w in low...high {
                var word = bits[w]
                if word == 0 { continue }
                bits[w] = 0
                while word != 0 {
                    m[k] = Int32((w << 6) | word.trailingZeroBitCount)
                    k += 1
                    word &= word &- 1
                }
            }
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: n))
        let ids = plan.tables.ruleIDs
        out.withUnsafeMutableBufferPointer { o in
            for k in 0..<n { o[start + k] = ids[Int(m[k])] }
        }
    }

    @inline(__always)
    private func accepts(_ c: MatchPlan.Condition, _ li: Int32) -> Bool {
        let leaf = scratch.state.pointee.leaves[Int(li)]
        let p = bytes(leaf)
        let n = Int(leaf.end - leaf.start)
        for t in c.tests {
            let f = fastTests[t]
            switch f.kind {
            case ValueTest.Kind.exactString.rawValue:
                if leaf.kind == .string && n == Int(f.count) && (n == 0 || memcmp(p, pool! + Int(f.start), n) == 0) { return true }
            case ValueTest.Kind.prefix.rawValue:
                if leaf.kind == .string && n >= Int(f.count) && (f.count == 0 || memcmp(p, pool! + Int(f.start), Int(f.count)) == 0) { return true }
            case ValueTest.Kind.suffix.rawValue:
                if leaf.kind == .string && n >= Int(f.count)
                    && (f.count == 0 || memcmp(p + (n - Int(f.count)), pool! + Int(f.start), Int(f.count)) == 0)
                {
                    return true
                }
            case ValueTest.Kind.exactNumber.rawValue:
                if leaf.kind == .number && leaf.number == f.number { return true }
            case ValueTest.Kind.exactTrue.rawValue: if leaf.kind == .true { return true }
            case ValueTest.Kind.exactFalse.rawValue: if leaf.kind == .false { return true }
            case ValueTest.Kind.exactNull.rawValue: if leaf.kind == .null { return true }
            case ValueTest.Kind.existsTrue.rawValue: return true
            default: if tests[t].accepts(leaf, p, n) { return true }
            }
        }
        return false
    }

    /// Whether alternative `a` matches; condition `skip` (when not -1) is known to hold.
    private func verify(_ a: MatchPlan.Alternative, skip: Int) -> Bool {
        var trails = false
        for ci in a.conditions where scratch.hasTrails(conditions[ci].path) {
            trails = true
            break
        }
        if !trails {
            // No array on these paths: every pair of leaves is consistent.
            for ci in a.conditions where ci != skip {
                let c = conditions[ci]
                var li = scratch.firstLeaf(c.path)
                if li < 0 {
                    if c.absentOK { continue }
                    return false
                }
                var ok = false
                while li >= 0 {
                    if accepts(c, li) {
                        ok = true
                        break
                    }
                    li = scratch.leaves[Int(li)].next
                }
                if !ok { return false }
            }
            return true
        }
        scratch.chosen.count = 0
        return search(a, a.conditions.lowerBound)
    }

    /// Depth-first search, condition by condition in path order, for leaves that agree on
    /// every array they share. A condition that may be absent holds when no leaf on its path
    /// is consistent with the leaves chosen before it (as the reference decides).
    private func search(_ a: MatchPlan.Alternative, _ ci: Int) -> Bool {
        if ci == a.conditions.upperBound { return true }
        let s = scratch
        let c = conditions[ci]
        var li = s.firstLeaf(c.path)
        var anyConsistent = false
        while li >= 0 {
            if consistentWithChosen(li) {
                anyConsistent = true
                if accepts(c, li) {
                    s.chosen.append(li)
                    if search(a, ci + 1) { return true }
                    s.chosen.count -= 1
                }
            }
            li = s.leaves[Int(li)].next
        }
        if !anyConsistent && c.absentOK { return search(a, ci + 1) }
        return false
    }

    @inline(__always)
    private func consistentWithChosen(_ li: Int32) -> Bool {
        for k in 0..<scratch.chosen.count where !scratch.consistent(scratch.chosen[k], li) { return false }
        return true
    }
}
