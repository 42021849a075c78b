/// How hard the wildcard values of one field are to match: the largest number of wildcard
/// positions that can be in progress at once while one string is read, byte by byte.
///
/// Each pattern is read as a small automaton whose positions are its tokens (`*` or a literal
/// byte). A position counts while it is active and lies at or after the pattern's first `*`;
/// a `*` stays active while it loops and also activates the token after it. Repeated character
/// sequences after a `*` keep several positions of one pattern active (`*a*a*a*` on `aaa`), and
/// many patterns on one field add up, which is what EventBridge's complexity limit guards
/// against ("try using fewer wildcard characters or fewer repeating character sequences after a
/// wildcard character"). The measure is computed by exploring every reachable set of active
/// positions (exploration is capped; a pattern that exceeds the cap counts as too complex).
public enum WildcardComplexity {
    /// Most sets of active positions explored before giving up.
    static let explorationCap = 5000
    private static let star = -1

    /// The measure for the valid wildcard `patterns` of one field, or a number above `limit` as
    /// soon as it is known to exceed it.
    public static func measure(_ patterns: [String], limit: Int) -> Int {
        let programs = patterns.map(tokens)
        guard !programs.isEmpty else { return 0 }
        // Global numbering of (pattern, position); positions run 0...count (count = accepted).
        var base: [Int] = []
        var total = 0
        for p in programs {
            base.append(total)
            total += p.count + 1
        }
        var owner = [Int](repeating: 0, count: total), position = [Int](repeating: 0, count: total)
        var counted = [Bool](repeating: false, count: total)
        var alphabet = Set<Int>()
        for (i, p) in programs.enumerated() {
            let firstStar = p.firstIndex(of: star) ?? p.count
            for pos in 0...p.count {
                owner[base[i] + pos] = i
                position[base[i] + pos] = pos
                counted[base[i] + pos] = pos < p.count && pos >= firstStar
            }
            for t in p where t != star { alphabet.insert(t) }
        }
        alphabet.insert(256) // a byte no literal matches
        let bytes = alphabet.sorted()

        func close(_ states: Set<Int>) -> [Int] {
            var result = states
            for s in states {
                let p = programs[owner[s]], pos = position[s]
                if pos < p.count, p[pos] == star { result.insert(s + 1) }
            }
            return result.sorted()
        }
        func weight(_ states: [Int]) -> Int { states.reduce(0) { $0 + (counted[$1] ? 1 : 0) } }

        let start = close(Set(base))
        var maximum = weight(start)
        var seen: Set<[Int]> = [start]
        var pending = [start]
        while let current = pending.popLast() {
            if maximum > limit { return maximum }
            if seen.count > explorationCap { return limit + 1 }
            for byte in bytes {
                var next = Set<Int>()
                for s in current {
                    let p = programs[owner[s]], pos = position[s]
                    guard pos < p.count else { continue }
                    if p[pos] == star { next.insert(s) } else if p[pos] == byte { next.insert(s + 1) }
                }
                guard !next.isEmpty else { continue }
                let closed = close(next)
                maximum = max(maximum, weight(closed))
                if seen.insert(closed).inserted { pending.append(closed) }
            }
        }
        return maximum
    }

    /// The tokens of a valid pattern: bytes, with `star` for an unescaped `*`.
    private static func tokens(_ text: String) -> [Int] {
        var result: [Int] = []
        var iterator = text.utf8.makeIterator()
        while let b = iterator.next() {
            if b == UInt8(ascii: "\\"), let next = iterator.next() {
                result.append(Int(next))
            } else {
                result.append(b == UInt8(ascii: "*") ? star : Int(b))
            }
        }
        return result
    }
}
