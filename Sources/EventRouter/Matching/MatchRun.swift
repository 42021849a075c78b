/// Matching one event whose leaves the ``EventScanner`` has recorded: collects candidate
/// alternatives from the anchor indexes and verifies each against all its conditions.
struct MatchRun {
    let plan: MatchPlan
    let scratch: MatchScratch
    let source: UnsafePointer<UInt8>
    let arena: UnsafePointer<UInt8>

    @inline(__always)
    func bytes(_ leaf: Leaf) -> UnsafePointer<UInt8> {
        (leaf.inArena ? arena : source) + Int(leaf.start)
    }

    /// Appends the ids of the matching rules to `out` (unsorted, each once).
    func collect(into out: inout [Int]) {
        let s = scratch
        let epoch = s.epoch
        for li in 0..<s.leaves.count {
            let leaf = s.leaves[li]
            plan.paths[Int(leaf.path)].candidates(of: leaf, bytes(leaf), Int(leaf.end - leaf.start), lower: &s.lower) { alt in
                if s.alternativeEpoch[Int(alt)] != epoch {
                    s.alternativeEpoch[Int(alt)] = epoch
                    s.candidates.append(alt)
                }
            }
        }
        for alt in plan.always where s.alternativeEpoch[Int(alt)] != epoch {
            s.alternativeEpoch[Int(alt)] = epoch
            s.candidates.append(alt)
        }
        for k in 0..<s.candidates.count {
            let a = plan.alternatives[Int(s.candidates[k])]
            if s.ruleEpoch[Int(a.rule)] == epoch { continue }
            if verify(a) {
                s.ruleEpoch[Int(a.rule)] = epoch
                out.append(plan.ruleIDs[Int(a.rule)])
            }
        }
    }

    @inline(__always)
    private func accepts(_ c: MatchPlan.Condition, _ li: Int32) -> Bool {
        let leaf = scratch.leaves[Int(li)]
        let p = bytes(leaf)
        let n = Int(leaf.end - leaf.start)
        for t in c.tests where plan.tests[t].accepts(leaf, p, n) { return true }
        return false
    }

    private func verify(_ a: MatchPlan.Alternative) -> Bool {
        var trails = false
        for ci in a.conditions where scratch.hasTrails(plan.conditions[ci].path) {
            trails = true
            break
        }
        if !trails {
            // No array on these paths: every pair of leaves is consistent.
            for ci in a.conditions {
                let c = plan.conditions[ci]
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
        let c = plan.conditions[ci]
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
