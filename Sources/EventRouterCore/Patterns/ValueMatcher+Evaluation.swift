extension ValueMatcher {
    /// Whether this matcher accepts the leaf `value` (a string, number, boolean or `null`;
    /// arrays and objects are never accepted: the caller searches arrays element by element).
    ///
    /// Exact for every case. `.exists(true)` returns `true` and `.exists(false)` returns `false`:
    /// presence and absence of the path are decided by the caller.
    /// Exact, prefix and suffix comparisons do not allocate; ignore-case ones allocate only for
    /// non-ASCII text; wildcards are matched in place.
    @inline(__always)
    public func matches(_ value: JSONValue) -> Bool {
        switch self {
        case .exactString(let x):
            guard case .string(let s) = value else { return false }
            return UTF8Compare.equal(s, x)
        case .exactNumber(let x):
            guard case .number(let n) = value else { return false }
            return n.double == x
        case .exactBool(let x):
            guard case .bool(let b) = value else { return false }
            return b == x
        case .exactNull:
            if case .null = value { return true }
            return false
        case .prefix(let x):
            guard case .string(let s) = value else { return false }
            return UTF8Compare.hasPrefix(s, x)
        case .prefixIgnoreCase(let x):
            guard case .string(let s) = value else { return false }
            return CaseFolding.hasPrefix(s, folded: x)
        case .suffix(let x):
            guard case .string(let s) = value else { return false }
            return UTF8Compare.hasSuffix(s, x)
        case .suffixIgnoreCase(let x):
            guard case .string(let s) = value else { return false }
            return CaseFolding.hasSuffix(s, folded: x)
        case .equalsIgnoreCase(let x):
            guard case .string(let s) = value else { return false }
            return CaseFolding.equals(s, folded: x)
        case .wildcard(let x):
            guard case .string(let s) = value else { return false }
            return Wildcard.matches(s, pattern: x)
        case .numeric(let range):
            guard case .number(let n) = value else { return false }
            return range.contains(n.double)
        case .exists(let present):
            switch value {
            case .array, .object: return false
            default: return present
            }
        case .cidr(let block):
            guard case .string(let s) = value else { return false }
            return block.contains(s)
        case .anythingBut(let excluded):
            return excluded.matches(value)
        }
    }
}
