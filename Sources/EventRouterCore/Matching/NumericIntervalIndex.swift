/// A static stabbing index over numeric intervals: given a number, yields every interval
/// that contains it in O(log n + k).
///
/// The finite bounds are sorted into "elementary slots" (below the first bound, each bound
/// itself, between two bounds, above the last); an interval covers a contiguous run of slots
/// and is stored in the O(log n) canonical nodes of a segment tree over the slots. A query
/// finds the value's slot by binary search and walks from that leaf to the root.
struct NumericIntervalIndex: Sendable {
    private let bounds: [Double]
    private let size: Int
    private let nodeStart: [Int32]
    private let items: [Int32]

    var isEmpty: Bool { items.isEmpty }

    /// An index of `intervals`, each carrying a value reported by ``query(_:into:)``.
    init(_ intervals: [(range: NumericRange, value: Int32)]) {
        var points: [Double] = []
        points.reserveCapacity(intervals.count * 2)
        for (r, _) in intervals {
            if let l = r.lower, l.isFinite { points.append(l) }
            if let u = r.upper, u.isFinite { points.append(u) }
        }
        points.sort()
        var unique: [Double] = []
        unique.reserveCapacity(points.count)
        for p in points where unique.last != p { unique.append(p) }
        bounds = unique
        let slotCount = 2 * unique.count + 1
        var size = 1
        while size < slotCount { size *= 2 }
        self.size = size

        // Canonical nodes of every interval, counted then filled (CSR layout).
        var spans: [(node: Int, value: Int32)] = []
        spans.reserveCapacity(intervals.count * 4)
        for (r, value) in intervals {
            guard let (first, last) = NumericIntervalIndex.slots(of: r, bounds: unique, slotCount: slotCount),
                first <= last
            else { continue }
            var lo = first + size
            var hi = last + size + 1
            while lo < hi {
                if lo & 1 == 1 { spans.append((lo, value)); lo += 1 }
                if hi & 1 == 1 { hi -= 1; spans.append((hi, value)) }
                lo >>= 1
                hi >>= 1
            }
        }
        var start = [Int32](repeating: 0, count: 2 * size + 1)
        for s in spans { start[s.node + 1] += 1 }
        for i in 0..<(2 * size) { start[i + 1] += start[i] }
        var fill = start
        var items = [Int32](repeating: 0, count: spans.count)
        for s in spans {
            items[Int(fill[s.node])] = s.value
            fill[s.node] += 1
        }
        nodeStart = start
        self.items = items
    }

    /// The first and last slot an interval covers, or `nil` when it is empty.
    private static func slots(of r: NumericRange, bounds: [Double], slotCount: Int) -> (Int, Int)? {
        var first = 0
        var last = slotCount - 1
        if let l = r.lower {
            if l.isNaN { return nil }
            if l == .infinity { return nil }
            if l != -.infinity {
                let i = position(of: l, in: bounds)
                first = r.lowerInclusive ? 2 * i + 1 : 2 * i + 2
            }
        }
        if let u = r.upper {
            if u.isNaN { return nil }
            if u == -.infinity { return nil }
            if u != .infinity {
                let i = position(of: u, in: bounds)
                last = r.upperInclusive ? 2 * i + 1 : 2 * i
            }
        }
        return (first, last)
    }

    /// Index of the first bound not less than `v`.
    @inline(__always)
    private static func position(of v: Double, in bounds: [Double]) -> Int {
        var lo = 0
        var hi = bounds.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if bounds[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Calls `body` with the value of every interval containing `v`.
    @inline(__always)
    func query(_ v: Double, _ body: (Int32) -> Void) {
        if items.isEmpty || v.isNaN { return }
        let i = NumericIntervalIndex.position(of: v, in: bounds)
        let slot = (i < bounds.count && bounds[i] == v) ? 2 * i + 1 : 2 * i
        var node = slot + size
        nodeStart.withUnsafeBufferPointer { start in
            items.withUnsafeBufferPointer { items in
                while node >= 1 {
                    var k = Int(start[node])
                    let end = Int(start[node + 1])
                    while k < end {
                        body(items[k])
                        k += 1
                    }
                    node >>= 1
                }
            }
        }
    }
}
