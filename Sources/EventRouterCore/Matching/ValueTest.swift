#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``ValueMatcher`` compiled for testing leaves straight from event bytes.
///
/// The reference compares strings by UTF-8 bytes, so exact, prefix, suffix, `anything-but`
/// and (unescaped) wildcard tests run on the event bytes as they are. Ignore-case tests fold
/// ASCII values byte by byte against the stored (already folded) pattern; a value with
/// non-ASCII bytes, a wildcard with escapes and `cidr` go to the reference
/// ``ValueMatcher/matches(_:)`` on a `JSONValue` made from the leaf.
final class ValueTest: Sendable {
    enum Kind: UInt8, Sendable {
        case exactString, exactNumber, exactTrue, exactFalse, exactNull
        case prefix, prefixIgnoreCase, suffix, suffixIgnoreCase, equalsIgnoreCase, wildcard
        case numeric, existsTrue, existsFalse
        case anythingButValues, anythingButPrefix, anythingButSuffix, anythingButWildcard, anythingButIgnoreCase
        case generic
    }

    let kind: Kind
    /// Byte-level evaluation is exact for every value (false for wildcards with escapes).
    let simple: Bool
    /// Pattern strings as bytes (ASCII-lowercased for the ignore-case kinds).
    let strings: [[UInt8]]
    let numbers: [Double]
    let range: NumericRange
    let matcher: ValueMatcher

    init(_ matcher: ValueMatcher) {
        self.matcher = matcher
        var strings: [String] = []
        var numbers: [Double] = []
        var range = NumericRange(lower: nil, lowerInclusive: false, upper: nil, upperInclusive: false)
        var lowercase = false
        var wildcard = false
        let kind: Kind
        switch matcher {
        case .exactString(let s): kind = .exactString; strings = [s]
        case .exactNumber(let n): kind = .exactNumber; numbers = [n]
        case .exactBool(let b): kind = b ? .exactTrue : .exactFalse
        case .exactNull: kind = .exactNull
        case .prefix(let s): kind = .prefix; strings = [s]
        case .prefixIgnoreCase(let s): kind = .prefixIgnoreCase; strings = [s]; lowercase = true
        case .suffix(let s): kind = .suffix; strings = [s]
        case .suffixIgnoreCase(let s): kind = .suffixIgnoreCase; strings = [s]; lowercase = true
        case .equalsIgnoreCase(let s): kind = .equalsIgnoreCase; strings = [s]; lowercase = true
        case .wildcard(let s): kind = .wildcard; strings = [s]; wildcard = true
        case .numeric(let r): kind = .numeric; range = r
        case .exists(let e): kind = e ? .existsTrue : .existsFalse
        case .cidr: kind = .generic
        case .anythingBut(let a):
            switch a {
            case .values(let s, let n): kind = .anythingButValues; strings = s; numbers = n
            case .prefixes(let s): kind = .anythingButPrefix; strings = s
            case .suffixes(let s): kind = .anythingButSuffix; strings = s
            case .wildcards(let s): kind = .anythingButWildcard; strings = s; wildcard = true
            case .equalsIgnoreCase(let s): kind = .anythingButIgnoreCase; strings = s; lowercase = true
            }
        }
        self.kind = kind
        self.numbers = numbers
        self.range = range
        self.simple = !wildcard || strings.allSatisfy { !$0.utf8.contains(0x5C) }
        self.strings = strings.map { s in lowercase ? Array(s.utf8).map(ValueTest.lower) : Array(s.utf8) }
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// Whether this test accepts `leaf`, whose bytes are `count` bytes at `bytes`.
    /// Never called for `existsFalse` (absence is decided by the caller).
    func accepts(_ leaf: Leaf, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        switch leaf.kind {
        case .string:
            if !simple { return reference(leaf, bytes, count) }
            switch kind {
            case .exactString: return ValueTest.equal(bytes, count, strings[0])
            case .prefix: return ValueTest.hasPrefix(bytes, count, strings[0], fold: false)
            case .prefixIgnoreCase:
                if !leaf.simple { return reference(leaf, bytes, count) }
                return ValueTest.hasPrefix(bytes, count, strings[0], fold: true)
            case .suffix: return ValueTest.hasSuffix(bytes, count, strings[0], fold: false)
            case .suffixIgnoreCase:
                if !leaf.simple { return reference(leaf, bytes, count) }
                return ValueTest.hasSuffix(bytes, count, strings[0], fold: true)
            case .equalsIgnoreCase:
                if !leaf.simple { return reference(leaf, bytes, count) }
                return count == strings[0].count && ValueTest.hasPrefix(bytes, count, strings[0], fold: true)
            case .wildcard: return ValueTest.wildcard(bytes, count, strings[0])
            case .existsTrue: return true
            case .anythingButValues: return !strings.contains { ValueTest.equal(bytes, count, $0) }
            case .anythingButPrefix: return !strings.contains { ValueTest.hasPrefix(bytes, count, $0, fold: false) }
            case .anythingButSuffix: return !strings.contains { ValueTest.hasSuffix(bytes, count, $0, fold: false) }
            case .anythingButWildcard: return !strings.contains { ValueTest.wildcard(bytes, count, $0) }
            case .anythingButIgnoreCase:
                if !leaf.simple { return reference(leaf, bytes, count) }
                return !strings.contains { count == $0.count && ValueTest.hasPrefix(bytes, count, $0, fold: true) }
            case .exactNumber, .exactTrue, .exactFalse, .exactNull, .numeric, .existsFalse: return false
            case .generic: return reference(leaf, bytes, count)
            }
        case .number:
            switch kind {
            case .exactNumber: return numbers[0] == leaf.number
            case .numeric: return range.contains(leaf.number)
            case .existsTrue: return true
            case .anythingButValues: return !numbers.contains(leaf.number)
            case .anythingButPrefix, .anythingButSuffix, .anythingButWildcard, .anythingButIgnoreCase: return true
            case .exactString, .prefix, .prefixIgnoreCase, .suffix, .suffixIgnoreCase, .equalsIgnoreCase, .wildcard,
                .exactTrue, .exactFalse, .exactNull, .existsFalse:
                return false
            default: return reference(leaf, bytes, count)
            }
        case .null, .true, .false:
            switch kind {
            case .exactTrue: return leaf.kind == .true
            case .exactFalse: return leaf.kind == .false
            case .exactNull: return leaf.kind == .null
            case .existsTrue: return true
            case .anythingButValues, .anythingButPrefix, .anythingButSuffix, .anythingButWildcard, .anythingButIgnoreCase:
                return true
            case .exactString, .exactNumber, .prefix, .prefixIgnoreCase, .suffix, .suffixIgnoreCase, .equalsIgnoreCase,
                .wildcard, .numeric, .existsFalse:
                return false
            default: return reference(leaf, bytes, count)
            }
        }
    }

    /// The reference matcher on the leaf rebuilt as a `JSONValue`.
    func reference(_ leaf: Leaf, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        matcher.matches(ValueTest.value(of: leaf, bytes, count))
    }

    static func value(of leaf: Leaf, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> JSONValue {
        switch leaf.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number:
            return .number(JSONNumber(validatedText: String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)))
        case .string:
            return .string(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        }
    }

    @inline(__always)
    static func equal(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ s: [UInt8]) -> Bool {
        count == s.count && (count == 0 || s.withUnsafeBufferPointer { b in b.baseAddress.map { memcmp(bytes, $0, count) == 0 } ?? false })
    }

    @inline(__always)
    static func hasPrefix(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ p: [UInt8], fold: Bool) -> Bool {
        if p.count > count { return false }
        for i in 0..<p.count {
            let b = fold ? lower(bytes[i]) : bytes[i]
            if b != p[i] { return false }
        }
        return true
    }

    @inline(__always)
    static func hasSuffix(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ p: [UInt8], fold: Bool) -> Bool {
        if p.count > count { return false }
        let off = count - p.count
        for i in 0..<p.count {
            let b = fold ? lower(bytes[off + i]) : bytes[off + i]
            if b != p[i] { return false }
        }
        return true
    }

    /// `*` matches any run of bytes; every other byte matches itself.
    static func wildcard(_ s: UnsafePointer<UInt8>, _ n: Int, _ p: [UInt8]) -> Bool {
        var si = 0
        var pi = 0
        var star = -1
        var mark = 0
        let m = p.count
        while si < n {
            if pi < m, p[pi] == 0x2A {
                star = pi
                mark = si
                pi += 1
            } else if pi < m, p[pi] == s[si] {
                si += 1
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < m, p[pi] == 0x2A { pi += 1 }
        return pi == m
    }
}
