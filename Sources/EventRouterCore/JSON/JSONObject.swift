/// A JSON object: members in document order.
///
/// Lookup by key is a linear scan, which is the fastest choice for the small objects events
/// and rule files hold. Duplicate keys are kept (the parser can reject them, see
/// ``JSONParser/Options/rejectDuplicateKeys``); lookup returns the last one, as most JSON readers do.
public struct JSONObject: Sendable, Hashable {
    /// One key/value pair of an object.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members in document order.
    public var members: [Member]

    /// An object with `members` in the given order.
    public init(_ members: [Member] = []) { self.members = members }

    /// The keys in document order.
    public var keys: [String] { members.map(\.key) }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The number of members.
    public var count: Int { members.count }

    /// The value of `key` (the last one if the key is duplicated); setting replaces it in
    /// place or appends; setting `nil` removes every member with that key.
    public subscript(key: String) -> JSONValue? {
        get {
            var i = members.count - 1
            while i >= 0 {
                if members[i].key == key { return members[i].value }
                i -= 1
            }
            return nil
        }
        set {
            if let newValue {
                if let i = members.lastIndex(where: { $0.key == key }) {
                    members[i].value = newValue
                } else {
                    members.append(Member(key: key, value: newValue))
                }
            } else {
                members.removeAll { $0.key == key }
            }
        }
    }

    /// The first key that occurs more than once, if any.
    public var firstDuplicateKey: String? {
        var seen = Set<String>()
        for m in members where !seen.insert(m.key).inserted { return m.key }
        return nil
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object with these members, in order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Member(key: $0.0, value: $0.1) })
    }
}
