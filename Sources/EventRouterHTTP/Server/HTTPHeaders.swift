/// The header fields of a request or response, in the order they arrived, with case-insensitive
/// lookup (HTTP field names are case-insensitive).
///
/// A request has about ten fields, so a lookup scans them in order, comparing names as ASCII
/// bytes (lengths first): cheaper than hashing, and no lowercased copies.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    /// One field; `name` keeps the spelling it arrived with.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Every field, in order.
    public private(set) var fields: [Field]

    public init(_ fields: [(String, String)] = []) { self.fields = fields.map { Field(name: $0.0, value: $0.1) } }

    /// No fields yet, with room for `capacity` of them.
    init(reservingCapacity capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    /// Appends a field (a name may repeat).
    public mutating func add(_ name: String, _ value: String) { fields.append(Field(name: name, value: value)) }

    /// Replaces every field called `name` with one holding `value`.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    /// Removes every field called `name`.
    public mutating func remove(_ name: String) { fields.removeAll { Self.sameName($0.name, name) } }

    /// The value of the first field called `name`, if any.
    public subscript(name: String) -> String? {
        for field in fields where Self.sameName(field.name, name) { return field.value }
        return nil
    }

    /// The values of every field called `name`, in order.
    public func values(_ name: String) -> [String] {
        var found: [String] = []
        for field in fields where Self.sameName(field.name, name) { found.append(field.value) }
        return found
    }

    /// Whether some field called `name` lists `token` (comma-separated, case-insensitive),
    /// as `Connection: keep-alive, Upgrade` lists `keep-alive`.
    public func contains(_ name: String, token: String) -> Bool {
        var wanted: String?
        for field in fields where Self.sameName(field.name, name) {
            let lowered = wanted ?? token.lowercased()
            wanted = lowered
            if field.value.split(separator: ",").contains(where: { $0.trimmingSpaces.lowercased() == lowered }) { return true }
        }
        return false
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// ASCII case-insensitive comparison of two field names (inlined: most names in a lookup
    /// differ in length, which ends it).
    @inline(__always)
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && sameSizedName(a, b)
    }

    private static func sameSizedName(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        let compared = x.withContiguousStorageIfAvailable { p in
            y.withContiguousStorageIfAvailable { q in sameName(p, q) }
        }
        if case let same?? = compared { return same }
        let xs = Array(x), ys = Array(y)  // text without contiguous UTF-8 (none on Linux)
        return xs.withUnsafeBufferPointer { p in ys.withUnsafeBufferPointer { q in sameName(p, q) } }
    }

    /// ASCII case-insensitive comparison of two names of the same length: bytes equal, or
    /// letters differing only in case.
    @inline(__always)
    private static func sameName(_ p: UnsafeBufferPointer<UInt8>, _ q: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<p.count {
            let c = p[i], d = q[i]
            if c != d {
                let folded = c | 0x20
                guard folded == d | 0x20, folded >= 0x61, folded <= 0x7A else { return false }
            }
        }
        return true
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let bytes = Array(utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
