/// Byte-wise comparisons of the UTF-8 forms of strings, without allocating.
///
/// Event-ruler compares bytes, so `"é"` (one scalar) and `"e\u{301}"` (two) differ here even
/// though Swift's `==` calls them equal.
enum UTF8Compare {
    /// Whether `a` and `b` have the same UTF-8 bytes.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        let au = a.utf8, bu = b.utf8
        guard au.count == bu.count else { return false }
        return withBytes(a, b) { pa, pb in
            pa.count == pb.count && region(pa, 0, pb)
        }
    }

    /// Whether the UTF-8 bytes of `s` start with those of `prefix`.
    @inline(__always)
    static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        guard s.utf8.count >= prefix.utf8.count else { return false }
        return withBytes(s, prefix) { ps, pp in region(ps, 0, pp) }
    }

    /// Whether the UTF-8 bytes of `s` end with those of `suffix`.
    @inline(__always)
    static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        let n = s.utf8.count, k = suffix.utf8.count
        guard n >= k else { return false }
        return withBytes(s, suffix) { ps, pp in region(ps, n - k, pp) }
    }

    /// Whether `haystack[offset ..< offset + needle.count]` equals `needle` (bounds checked by callers).
    @inline(__always)
    static func region(_ haystack: UnsafeBufferPointer<UInt8>, _ offset: Int, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < needle.count {
            if haystack[offset + i] != needle[i] { return false }
            i += 1
        }
        return true
    }

    /// Runs `body` over the contiguous UTF-8 of both strings (copying only for bridged strings).
    @inline(__always)
    static func withBytes<R>(
        _ a: String, _ b: String,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        if let r = a.utf8.withContiguousStorageIfAvailable({ pa in
            b.utf8.withContiguousStorageIfAvailable { pb in body(pa, pb) }
        }), let r {
            return r
        }
        let ca = Array(a.utf8), cb = Array(b.utf8)
        return ca.withUnsafeBufferPointer { pa in cb.withUnsafeBufferPointer { pb in body(pa, pb) } }
    }
}
