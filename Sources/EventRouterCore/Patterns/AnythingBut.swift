/// The forms of `anything-but`: the value must be present and match none of these.
///
/// Every form accepts `null`, booleans and leaves of the other type (a number under a string
/// form, a string under a number list): only a leaf that matches a listed value is refused.
/// Normal form: lists are non-empty, duplicates removed, in pattern order.
public enum AnythingBut: Sendable, Hashable {
    /// `{"anything-but": ["a", "b"]}`, `{"anything-but": [1, 2]}` or a single value. A list
    /// holds only strings or only numbers, so one of the two arrays is empty. Numbers compare by
    /// value and lie within ±5e9 with at most six decimal places.
    case values(strings: [String], numbers: [Double])
    /// `{"anything-but": {"prefix": "x"}}` or a list of prefixes (none empty).
    case prefixes([String])
    /// `{"anything-but": {"suffix": "x"}}` or a list of suffixes (none empty).
    case suffixes([String])
    /// `{"anything-but": {"wildcard": "x*"}}` or a list; validated pattern text as written.
    case wildcards([String])
    /// `{"anything-but": {"equals-ignore-case": "x"}}` or a list; stored case-folded.
    case equalsIgnoreCase([String])

    /// Whether the leaf `value` is accepted (matches none of the excluded values).
    public func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object:
            return false
        case .null, .bool:
            return true
        case .number(let n):
            if case .values(_, let numbers) = self {
                let d = n.double
                for x in numbers where x == d { return false }
            }
            return true
        case .string(let s):
            switch self {
            case .values(let strings, _):
                for x in strings where UTF8Compare.equal(s, x) { return false }
                return true
            case .prefixes(let list):
                for x in list where UTF8Compare.hasPrefix(s, x) { return false }
                return true
            case .suffixes(let list):
                for x in list where UTF8Compare.hasSuffix(s, x) { return false }
                return true
            case .wildcards(let list):
                for x in list where Wildcard.matches(s, pattern: x) { return false }
                return true
            case .equalsIgnoreCase(let list):
                for x in list where CaseFolding.equals(s, folded: x) { return false }
                return true
            }
        }
    }
}
