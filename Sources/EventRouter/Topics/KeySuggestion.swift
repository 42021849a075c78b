/// "Did you mean" suggestions for misspelt keys.
enum KeySuggestion {
    /// The known key closest to `key` (equal ignoring case, one a prefix of the other, or edit distance ≤ 2), if any.
    static func closest(to key: String, in known: [String]) -> String? {
        var best: (String, Int)?
        for k in known {
            if k.lowercased() == key.lowercased() { return k }
            if key.count >= 4, k.lowercased().hasPrefix(key.lowercased()) || key.lowercased().hasPrefix(k.lowercased()) { return k }
            let d = distance(Array(key.lowercased().utf8), Array(k.lowercased().utf8))
            if d <= 2, best.map({ d < $0.1 }) ?? true { best = (k, d) }
        }
        return best?.0
    }

    /// `Unknown key 'X' in WHERE: did you mean 'Y'?` or the list of known keys.
    static func unknownKey(_ key: String, in place: String, known: [String]) -> String {
        if let guess = closest(to: key, in: known) {
            return "Unknown key '\(key)' in \(place): did you mean '\(guess)'?"
        }
        return "Unknown key '\(key)' in \(place): use one of \(known.joined(separator: ", "))."
    }

    /// Levenshtein distance of two byte strings.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
