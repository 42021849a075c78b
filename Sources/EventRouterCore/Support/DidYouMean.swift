/// Suggests the closest known name for a misspelt one (edit distance, case-insensitive).
public enum DidYouMean {
    /// The candidate closest to `word`, if one is close enough to be a likely typo.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let w = Array(word.lowercased().utf8)
        var best: (name: String, distance: Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased().utf8))
            if d < (best?.distance ?? .max) { best = (c, d) }
        }
        guard let best else { return nil }
        let shorter = min(w.count, best.name.utf8.count)
        let threshold = max(1, shorter / 3)
        return best.distance <= threshold && best.distance < shorter ? best.name : nil
    }

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

    /// `unknown key 'X'` plus the suggestion, if any, and the list of valid keys.
    public static func unknownKeyReason(_ key: String, known: [String]) -> String {
        var text = "unknown key '\(key)'"
        if let s = suggestion(for: key, among: known) { text += "; did you mean '\(s)'?" }
        return text + " (valid keys: \(known.joined(separator: ", ")))"
    }
}
