/// Case-insensitive comparison as `equals-ignore-case` uses it: both sides are folded with
/// `lowercased()` (per Unicode scalar) and compared by UTF-8 bytes.
///
/// Pattern strings are stored folded (``fold(_:)``); event strings are folded on the fly, with an
/// allocation-free path when the compared bytes are ASCII.
public enum CaseFolding {
    /// The folded form stored in ``ValueMatcher/equalsIgnoreCase(_:)`` and its relatives.
    public static func fold(_ s: String) -> String { s.lowercased() }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// Whether `fold(s) == folded`.
    public static func equals(_ s: String, folded: String) -> Bool {
        let fast: Bool? = UTF8Compare.withBytes(s, folded) { ps, pf in
            var i = 0
            while i < ps.count {
                let b = ps[i]
                if b >= 0x80 { return nil }
                if i >= pf.count || lower(b) != pf[i] { return false }
                i += 1
            }
            return i == pf.count
        }
        if let fast { return fast }
        return UTF8Compare.equal(fold(s), folded)
    }

    /// Whether `fold(s)` starts with `folded`.
    public static func hasPrefix(_ s: String, folded: String) -> Bool {
        let fast: Bool? = UTF8Compare.withBytes(s, folded) { ps, pf in
            var i = 0
            while i < pf.count {
                guard i < ps.count else { return false }
                let b = ps[i]
                if b >= 0x80 { return nil }
                if lower(b) != pf[i] { return false }
                i += 1
            }
            return true
        }
        if let fast { return fast }
        return UTF8Compare.hasPrefix(fold(s), folded)
    }

    /// Whether `fold(s)` ends with `folded`.
    public static func hasSuffix(_ s: String, folded: String) -> Bool {
        let fast: Bool? = UTF8Compare.withBytes(s, folded) { ps, pf in
            var i = ps.count - 1, j = pf.count - 1
            while j >= 0 {
                guard i >= 0 else { return false }
                let b = ps[i]
                if b >= 0x80 { return nil }
                if lower(b) != pf[j] { return false }
                i -= 1
                j -= 1
            }
            return true
        }
        if let fast { return fast }
        return UTF8Compare.hasSuffix(fold(s), folded)
    }
}
