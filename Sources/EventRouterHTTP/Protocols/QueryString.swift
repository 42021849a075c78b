/// `name=value&…` text: URL query strings and `application/x-www-form-urlencoded` bodies.
public enum QueryString {
    /// The decoded pairs, in order, keeping what cannot be decoded as it is (the request parser
    /// has already rejected bad percent-encoding in targets). A name without `=` has an empty value.
    public static func pairs(_ text: String, decodePlus: Bool = true) -> [(String, String)] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let eq = item.firstIndex(of: "=")
            let name = eq.map { item[..<$0] } ?? item
            let value = eq.map { item[item.index(after: $0)...] } ?? ""
            return (PercentEncoding.decodeLeniently(name, plusAsSpace: decodePlus), PercentEncoding.decodeLeniently(value, plusAsSpace: decodePlus))
        }
    }

    /// Decodes a form body strictly: `+` is a space, `%XX` must be valid, the result UTF-8.
    /// - Throws: ``FormDecodingError`` naming the parameter and the offset.
    public static func decodeForm(_ body: [UInt8]) throws(FormDecodingError) -> [(String, String)] {
        var result: [(String, String)] = []
        var offset = 0
        for item in body.split(separator: 0x26, omittingEmptySubsequences: false) {
            defer { offset += item.count + 1 }
            if item.isEmpty { continue }
            let eq = item.firstIndex(of: 0x3D)
            let name = eq.map { item[..<$0] } ?? item[...]
            let value = eq.map { item[($0 + 1)...] } ?? []
            do {
                let decodedName = try PercentEncoding.decode(name, plusAsSpace: true)
                let decodedValue = try PercentEncoding.decode(value, plusAsSpace: true)
                result.append((decodedName, decodedValue))
            } catch {
                let shownName = HTTPRequestHead.printable(name.prefix(60))
                throw FormDecodingError(message: "invalid form encoding in parameter '\(shownName)' (body offset \(offset)): \(error.reason) ('\(error.text)')")
            }
        }
        return result
    }
}

/// A form body that cannot be decoded.
public struct FormDecodingError: Error, Sendable, Equatable {
    /// What is wrong, naming the parameter and offset.
    public var message: String
}
