/// `wildcard` patterns: `*` matches any run of bytes (including none); `\*` is a literal `*`
/// and `\\` a literal `\`. Any other use of `\`, and two `*` in a row, are invalid (as in
/// event-ruler). Wildcards apply to string values only.
public enum Wildcard {
    private static let star = UInt8(ascii: "*")
    private static let backslash = UInt8(ascii: "\\")

    /// Why `text` is not a valid wildcard pattern, or `nil` when it is.
    public static func validationError(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case star:
                if i + 1 < bytes.count, bytes[i + 1] == star {
                    return "consecutive '*' characters at byte \(i) are not allowed; use a single '*'"
                }
            case backslash:
                guard i + 1 < bytes.count, bytes[i + 1] == star || bytes[i + 1] == backslash else {
                    return "'\\' at byte \(i) must be followed by '*' or '\\' (write '\\\\' for a backslash)"
                }
                i += 1
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// The literal runs between unescaped `*` of a valid pattern, escapes removed
    /// (`"a*b\\*c"` → `["a", "b*c"]`; a leading or trailing `*` gives an empty first or last run).
    public static func segments(_ text: String) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let b = iterator.next() {
            if b == backslash, let next = iterator.next() {
                current.append(next)
            } else if b == star {
                result.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(b)
            }
        }
        result.append(String(decoding: current, as: UTF8.self))
        return result
    }

    /// The simplest matcher equivalent to the valid pattern `text` (see ``ValueMatcher/wildcard(_:)``).
    public static func normalized(_ text: String) -> ValueMatcher {
        let parts = segments(text)
        switch parts.count {
        case 1: return .exactString(parts[0])
        case 2 where parts[1].isEmpty: return .prefix(parts[0])
        case 2 where parts[0].isEmpty: return .suffix(parts[1])
        default: return .wildcard(text)
        }
    }

    /// Whether `value` matches the valid wildcard `pattern` (compared byte by byte, no allocation).
    public static func matches(_ value: String, pattern: String) -> Bool {
        UTF8Compare.withBytes(value, pattern) { s, p in match(s, p) }
    }

    private static func match(_ s: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var si = 0, pi = 0
        var resumeP = -1, resumeS = 0
        while si < s.count {
            if pi < p.count {
                var b = p[pi]
                if b == star {
                    pi += 1
                    resumeP = pi
                    resumeS = si
                    continue
                }
                var width = 1
                if b == backslash, pi + 1 < p.count {
                    b = p[pi + 1]
                    width = 2
                }
                if s[si] == b {
                    si += 1
                    pi += width
                    continue
                }
            }
            guard resumeP >= 0 else { return false }
            resumeS += 1
            si = resumeS
            pi = resumeP
        }
        while pi < p.count, p[pi] == star { pi += 1 }
        return pi == p.count
    }
}
