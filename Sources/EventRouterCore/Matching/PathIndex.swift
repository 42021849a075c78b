/// The anchor index of one field path: from a leaf value at that path to the alternatives
/// whose anchor condition it may satisfy (a superset; candidates are verified afterwards).
///
/// Exact strings go to a byte hash table, numbers to a hash map and an interval index,
/// prefixes and suffixes (also case-folded, and the literal ends of wildcards) to one byte
/// table per distinct length, so a lookup costs a handful of hash probes however many rules
/// there are. Tests that cannot be indexed (`anything-but`, `exists`, `cidr`, wildcards
/// without a literal end) are listed and become candidates for every leaf.
final class PathIndex: @unchecked Sendable {  // filled by its Builder, then never mutated
    private var exact = ByteKeyTable([])
    private var numbers: [Double: Int32] = [:]
    private var ranges = NumericIntervalIndex([])
    private var trueList: Int32 = -1
    private var falseList: Int32 = -1
    private var nullList: Int32 = -1
    private var prefixes: [(length: Int, table: ByteKeyTable)] = []
    private var suffixes: [(length: Int, table: ByteKeyTable)] = []
    private var prefixesFolded: [(length: Int, table: ByteKeyTable)] = []
    private var suffixesFolded: [(length: Int, table: ByteKeyTable)] = []
    private var equalsFolded = ByteKeyTable([])
    /// Literal heads and tails of wildcards (candidates only: the rest of the wildcard is verified).
    private var wildcardHeads: [(length: Int, table: ByteKeyTable)] = []
    private var wildcardTails: [(length: Int, table: ByteKeyTable)] = []
    private var folds = false
    /// Which of `prefixes`, `suffixes`, `wildcardHeads`, `wildcardTails` (bits 0…3) are not
    /// empty: an empty one is not even iterated (reading an array retains its buffer).
    private var affixes: UInt8 = 0
    /// Alternatives anchored on an ignore-case test (for values that are not ASCII).
    private var foldAnchored: Int32 = -1
    /// Candidates for every string leaf / every leaf.
    private var anyString: Int32 = -1
    private var anyLeaf: Int32 = -1
    private var listStart: [Int32] = [0]
    private var listItems: [Int32] = []
    /// Flag of a list entry that is a rule index, not an alternative: the rule's only
    /// alternative has one condition, so a certain hit is a match.
    static let directRule: Int32 = 0x4000_0000

    /// Leaves on this path need their numeric value.
    private(set) var needsNumber = false

    /// Collects anchor entries, then builds the index.
    struct Builder {
        var exact: [[UInt8]: [Int32]] = [:]
        var numbers: [Double: [Int32]] = [:]
        var ranges: [(range: NumericRange, value: Int32)] = []
        var trues: [Int32] = [], falses: [Int32] = [], nulls: [Int32] = []
        var prefixes: [[UInt8]: [Int32]] = [:], suffixes: [[UInt8]: [Int32]] = [:]
        var prefixesFolded: [[UInt8]: [Int32]] = [:], suffixesFolded: [[UInt8]: [Int32]] = [:]
        var equalsFolded: [[UInt8]: [Int32]] = [:]
        var wildcardHeads: [[UInt8]: [Int32]] = [:], wildcardTails: [[UInt8]: [Int32]] = [:]
        var foldAnchored: [Int32] = [], anyString: [Int32] = [], anyLeaf: [Int32] = []
        var needsNumber = false

        /// Notes that a test on this path reads numbers (anchored or not).
        mutating func noteTest(_ t: ValueTest) {
            switch t.kind {
            case .exactNumber, .numeric: needsNumber = true
            case .anythingButValues: if !t.numbers.isEmpty { needsNumber = true }
            default: break
            }
        }

        /// Makes `alt` a candidate of every leaf that `t` may accept. `direct` is the entry to
        /// store where a lookup hit is certain: ``PathIndex/directRule`` | rule when the
        /// alternative is its rule's only condition (a hit is a match), else `alt`.
        mutating func anchor(_ t: ValueTest, alt: Int32, direct: Int32) {
            let key = t.strings.first ?? []
            switch t.kind {
            case .exactString: exact[key, default: []].append(direct)
            case .exactNumber: numbers[t.numbers[0], default: []].append(direct)
            case .exactTrue: trues.append(direct)
            case .exactFalse: falses.append(direct)
            case .exactNull: nulls.append(direct)
            case .numeric: ranges.append((t.range, direct))
            case .prefix, .suffix, .prefixIgnoreCase, .suffixIgnoreCase, .equalsIgnoreCase, .wildcard:
                guard t.simple else { anyString.append(alt); return }
                switch t.kind {
                case .prefix: prefixes[key, default: []].append(direct)
                case .suffix: suffixes[key, default: []].append(direct)
                case .prefixIgnoreCase: prefixesFolded[key, default: []].append(direct); foldAnchored.append(alt)
                case .suffixIgnoreCase: suffixesFolded[key, default: []].append(direct); foldAnchored.append(alt)
                case .equalsIgnoreCase: equalsFolded[key, default: []].append(direct); foldAnchored.append(alt)
                default:  // wildcard: index its literal head or tail
                    if let star = key.firstIndex(of: 0x2A) {
                        let head = Array(key[..<star])
                        let tail = Array(key[(key.lastIndex(of: 0x2A)! + 1)...])
                        if !head.isEmpty {
                            wildcardHeads[head, default: []].append(alt)
                        } else if !tail.isEmpty {
                            wildcardTails[tail, default: []].append(alt)
                        } else {
                            anyString.append(alt)
                        }
                    } else {
                        wildcardHeads[key, default: []].append(alt)
                    }
                }
            default: anyLeaf.append(alt)
            }
        }

        func build() -> PathIndex {
            let index = PathIndex()
            func list(_ items: [Int32]) -> Int32 {
                if items.isEmpty { return -1 }
                index.listItems.append(contentsOf: items)
                index.listStart.append(Int32(index.listItems.count))
                return Int32(index.listStart.count - 2)
            }
            func table(_ map: [[UInt8]: [Int32]]) -> ByteKeyTable {
                ByteKeyTable(map.map { (key: $0.key, value: list($0.value)) })
            }
            func byLength(_ map: [[UInt8]: [Int32]]) -> [(length: Int, table: ByteKeyTable)] {
                let groups = Dictionary(grouping: map, by: { $0.key.count })
                return groups.sorted { $0.key < $1.key }.map { length, entries in
                    (length, ByteKeyTable(entries.map { (key: $0.key, value: list($0.value)) }))
                }
            }
            index.exact = table(exact)
            index.numbers = numbers.mapValues { list($0) }
            index.ranges = NumericIntervalIndex(ranges)
            index.trueList = list(trues)
            index.falseList = list(falses)
            index.nullList = list(nulls)
            index.prefixes = byLength(prefixes)
            index.suffixes = byLength(suffixes)
            index.prefixesFolded = byLength(prefixesFolded)
            index.suffixesFolded = byLength(suffixesFolded)
            index.equalsFolded = table(equalsFolded)
            index.wildcardHeads = byLength(wildcardHeads)
            index.wildcardTails = byLength(wildcardTails)
            index.folds = !prefixesFolded.isEmpty || !suffixesFolded.isEmpty || !equalsFolded.isEmpty
            index.affixes = (prefixes.isEmpty ? 0 : 1) | (suffixes.isEmpty ? 0 : 2) | (wildcardHeads.isEmpty ? 0 : 4) | (wildcardTails.isEmpty ? 0 : 8)
            index.foldAnchored = list(foldAnchored)
            index.anyString = list(anyString)
            index.anyLeaf = list(anyLeaf)
            index.needsNumber = needsNumber
            return index
        }
    }

    @inline(__always)
    private func emit(_ list: Int32, _ certain: Bool, _ body: (Int32, Bool) -> Void) {
        if list < 0 { return }
        listStart.withUnsafeBufferPointer { start in
            listItems.withUnsafeBufferPointer { items in
                var k = Int(start[Int(list)])
                let end = Int(start[Int(list) + 1])
                while k < end {
                    body(items[k], certain)
                    k += 1
                }
            }
        }
    }

    /// Calls `body` with every alternative whose anchor `leaf` may satisfy, and whether it
    /// certainly does (the lookup itself decided the test); `bytes`/`count` are the leaf's
    /// string content or number text, `lower` a buffer for folding.
    @inline(__always)
    func candidates(
        of leaf: Leaf, _ bytes: UnsafePointer<UInt8>, _ count: Int,
        lower: inout GrowableBuffer<UInt8>, _ body: (Int32, Bool) -> Void
    ) {
        switch leaf.kind {
        case .string:
            emit(exact.lookup(bytes, count), true, body)
            if affixes != 0 {
                if affixes & 1 != 0 {
                    for (length, table) in prefixes where length <= count { emit(table.lookup(bytes, length), true, body) }
                }
                if affixes & 2 != 0 {
                    for (length, table) in suffixes where length <= count {
                        emit(table.lookup(bytes + (count - length), length), true, body)
                    }
                }
                if affixes & 4 != 0 {
                    for (length, table) in wildcardHeads where length <= count { emit(table.lookup(bytes, length), false, body) }
                }
                if affixes & 8 != 0 {
                    for (length, table) in wildcardTails where length <= count {
                        emit(table.lookup(bytes + (count - length), length), false, body)
                    }
                }
            }
            if folds {
                if leaf.simple {
                    lower.count = 0
                    lower.reserve(count)
                    for i in 0..<count { lower.append(ValueTest.lower(bytes[i])) }
                    let l = UnsafePointer(lower.base)
                    for (length, table) in prefixesFolded where length <= count { emit(table.lookup(l, length), true, body) }
                    for (length, table) in suffixesFolded where length <= count {
                        emit(table.lookup(l + (count - length), length), true, body)
                    }
                    emit(equalsFolded.lookup(l, count), true, body)
                } else {
                    emit(foldAnchored, false, body)
                }
            }
            emit(anyString, false, body)
        case .number:
            if !numbers.isEmpty, let list = numbers[leaf.number] { emit(list, true, body) }
            // Ranges hold only within ±limit (NumericRange.contains); the slots are exact.
            if abs(leaf.number) <= NumericRange.limit { ranges.query(leaf.number) { body($0, true) } }
        case .true: emit(trueList, true, body)
        case .false: emit(falseList, true, body)
        case .null: emit(nullList, true, body)
        }
        emit(anyLeaf, false, body)
    }
}
