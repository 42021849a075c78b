/// Suggests the closest known key for a misspelt one (`Timout` → `Timeout`).
enum DidYouMean {
    /// The candidate closest to `word` (case-insensitive edit distance ≤ max(2, a third of its length)), if any.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lower = Array(word.lowercased())
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(lower, Array(candidate.lowercased()))
            if let current = best, current.1 <= d { continue }
            best = (candidate, d)
        }
        guard let (candidate, d) = best, d <= max(2, lower.count / 3) else { return nil }
        return candidate
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
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

    /// `unknown key 'X'` plus the suggestion and the list of valid keys.
    static func unknownKeyReason(_ key: String, known: [String]) -> String {
        var text = "unknown key '\(key)'"
        if let s = suggestion(for: key, among: known) { text += "; did you mean '\(s)'?" }
        return text + " (valid keys: \(known.joined(separator: ", ")))"
    }
}
