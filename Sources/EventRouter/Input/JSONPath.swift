/// The JSONPath subset EventBridge accepts in `InputPath` and `InputPathsMap`:
/// `$`, `.name`, `['name']`, `[index]` and the wildcard `*` (`.*`, `[*]`).
///
/// A path without a wildcard selects at most one value; a path with one selects every match,
/// delivered as an array.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
        case wildcard
    }

    public let segments: [Segment]
    /// The text the path was parsed from.
    public let text: String

    /// Parses `text`.
    /// - Throws: ``EventRouterError`` (`ValidationException`) naming the offending character.
    public init(parsing text: String) throws(EventRouterError) {
        let b = Array(text.utf8)
        func fail(_ why: String) -> EventRouterError {
            EventRouterError(.validation, "invalid JSONPath '\(text)': \(why)")
        }
        guard b.first == UInt8(ascii: "$") else { throw fail("it must start with '$'") }
        var i = 1
        var segments: [Segment] = []
        func isNameByte(_ c: UInt8) -> Bool {
            c >= 0x80 || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: "$") || c == UInt8(ascii: "@")
        }
        while i < b.count {
            if b[i] == UInt8(ascii: ".") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "*") {
                    segments.append(.wildcard)
                    i += 1
                    continue
                }
                let start = i
                while i < b.count, isNameByte(b[i]) { i += 1 }
                guard i > start else { throw fail("expected a field name after '.' at character \(start + 1)") }
                segments.append(.key(String(decoding: b[start..<i], as: UTF8.self)))
            } else if b[i] == UInt8(ascii: "[") {
                i += 1
                guard i < b.count else { throw fail("unclosed '['") }
                if b[i] == UInt8(ascii: "*") {
                    i += 1
                    segments.append(.wildcard)
                } else if b[i] == UInt8(ascii: "'") || b[i] == UInt8(ascii: "\"") {
                    let quote = b[i]
                    i += 1
                    let start = i
                    while i < b.count, b[i] != quote { i += 1 }
                    guard i < b.count else { throw fail("unclosed quoted name") }
                    segments.append(.key(String(decoding: b[start..<i], as: UTF8.self)))
                    i += 1
                } else {
                    var value = 0
                    let start = i
                    while i < b.count, b[i] >= 0x30, b[i] <= 0x39, value < 100_000_000 {
                        value = value * 10 + Int(b[i] - 0x30)
                        i += 1
                    }
                    guard i > start else { throw fail("expected an index, a quoted name or '*' inside [] at character \(start + 1)") }
                    segments.append(.index(value))
                }
                guard i < b.count, b[i] == UInt8(ascii: "]") else { throw fail("expected ']' at character \(i + 1)") }
                i += 1
            } else {
                throw fail("unexpected '\(String(decoding: [b[i]], as: UTF8.self))' at character \(i + 1)")
            }
        }
        self.segments = segments
        self.text = text
    }

    /// Whether the path can select more than one value.
    public var hasWildcard: Bool { segments.contains(.wildcard) }

    /// The selected value: the one match, or an array of all matches for a wildcard path;
    /// `nil` when nothing matches.
    public func select(in root: JSONValue) -> JSONValue? {
        var current: [JSONValue] = [root]
        for segment in segments {
            var next: [JSONValue] = []
            for v in current {
                switch segment {
                case .key(let k):
                    if let x = v[k] { next.append(x) }
                case .index(let n):
                    if case .array(let a) = v, n < a.count { next.append(a[n]) }
                case .wildcard:
                    switch v {
                    case .array(let a): next.append(contentsOf: a)
                    case .object(let o): next.append(contentsOf: o.members.map(\.value))
                    default: break
                    }
                }
            }
            current = next
            if current.isEmpty { return nil }
        }
        if hasWildcard { return .array(current) }
        return current.first
    }

    public var description: String { text }
}
