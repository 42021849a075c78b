/// A test on one leaf value of an event (string, number, boolean or null; arrays are
/// searched element by element by the caller).
///
/// Each case documents its normal form: what ``PatternParser`` stores, so that a compiled
/// matcher can index on it. Strings compare by their UTF-8 bytes (as event-ruler does), never by
/// Unicode canonical equivalence. The string operators (exact, prefix, suffix, ignore-case,
/// wildcard, cidr) accept only string leaves.
public enum ValueMatcher: Sendable, Hashable {
    /// `"x"` or `{"exactly": "x"}`: the value is the string x (byte-equal).
    /// A literal that is an IP address becomes ``cidr(_:)`` instead (see there).
    case exactString(String)
    /// `300`: the value is a number equal to this one by value (`300.0` and `3e2` match `300`).
    /// Never matches a string (`"300"`). Stored as the number's `Double` value (`-0` as `0`);
    /// any magnitude is allowed here (`123456789012`), unlike in `numeric`.
    case exactNumber(Double)
    /// `true` / `false`.
    case exactBool(Bool)
    /// `null`: the value is JSON `null` (not an absent field, not an empty array).
    case exactNull
    /// `{"prefix": "x"}`: a string starting with x (`""` matches every string).
    /// Also the normal form of `{"wildcard": "x*"}` when x holds no other `*`.
    case prefix(String)
    /// `{"prefix": {"equals-ignore-case": "x"}}`. Stored case-folded (``CaseFolding/fold(_:)``,
    /// i.e. `lowercased()`); matches when the folded value starts with it.
    case prefixIgnoreCase(String)
    /// `{"suffix": "x"}`: a string ending with x.
    /// Also the normal form of `{"wildcard": "*x"}` when x holds no other `*`.
    case suffix(String)
    /// `{"suffix": {"equals-ignore-case": "x"}}`. Stored case-folded.
    case suffixIgnoreCase(String)
    /// `{"equals-ignore-case": "x"}`. Stored case-folded; matches when the folded value equals it.
    case equalsIgnoreCase(String)
    /// `{"wildcard": "a*b"}`: the pattern text as written, validated (no `**`, `\` only before
    /// `*` or `\`). Only patterns with two or more unescaped `*`, or one `*` in the middle, stay
    /// wildcards: one without `*` becomes ``exactString(_:)`` (escapes removed), `x*` becomes
    /// ``prefix(_:)`` and `*x` becomes ``suffix(_:)``.
    case wildcard(String)
    /// `{"numeric": [">", 0, "<=", 5]}` or `{"numeric": ["=", 3]}` (a closed range `[3, 3]`).
    /// Matches numbers within ±5e9 (EventBridge's limit) that fall in the range.
    case numeric(NumericRange)
    /// `{"exists": true|false}` (decided by the caller from presence of the path; see
    /// ``EventPattern/matches(_:)``). ``matches(_:)`` returns `true` for `exists(true)` (a leaf is
    /// present) and `false` for `exists(false)`.
    case exists(Bool)
    /// `{"cidr": "10.0.0.0/24"}`, and an exact string that is an IPv4/IPv6 literal (a single
    /// address: prefix length 32 or 128), so `"2001:db8::1"` matches `"2001:DB8:0:0:0:0:0:1"`.
    /// Matches a string leaf holding an address of the same family inside the block.
    case cidr(CIDRBlock)
    /// `{"anything-but": …}`: a leaf that matches none of the listed values (see ``AnythingBut``).
    case anythingBut(AnythingBut)
}
