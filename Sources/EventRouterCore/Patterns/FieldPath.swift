/// How a key with dots names a path: EventBridge reads the event key `"x.b"` as the field `b`
/// inside `x`, in patterns and in events alike.
enum FieldPath {
    /// The field names of `key`, split at every `.` byte with empty names kept
    /// (`"a..b"` → `["a", "", "b"]`, `""` → `[""]`).
    ///
    /// Splits the UTF-8 bytes, not `Character`s: a dot followed by a combining mark (one
    /// `Character`) still separates names, exactly as in the joined dotted path the reference
    /// matcher compares. A dot byte is never part of a longer UTF-8 sequence, so every name is
    /// the key's own text.
    static func names(_ key: String) -> [String] {
        var names: [String] = []
        let utf8 = key.utf8
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            if utf8[i] == UInt8(ascii: ".") {
                names.append(String(decoding: utf8[start..<i], as: UTF8.self))
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        names.append(String(decoding: utf8[start..<i], as: UTF8.self))
        return names
    }
}
