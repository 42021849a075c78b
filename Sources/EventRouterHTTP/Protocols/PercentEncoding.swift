/// RFC 3986 percent-encoding as AWS uses it: only `A–Z a–z 0–9 - _ . ~` stay as they are.
public enum PercentEncoding {
    private static let digits = Array("0123456789ABCDEF".utf8)

    /// `text` with every byte but the unreserved ones written `%XX` (upper-case hex).
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for c in text.utf8 {
            switch c {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E:
                out.append(c)
            default:
                out.append(0x25)
                out.append(digits[Int(c >> 4)])
                out.append(digits[Int(c & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` (and `+` as a space when `plusAsSpace`) and checks the result is UTF-8.
    /// - Throws: ``PercentDecodingError`` giving the offset and the bad bytes.
    public static func decode(_ text: some Collection<UInt8>, plusAsSpace: Bool) throws(PercentDecodingError) -> String {
        let bytes = Array(text)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x25 {
                guard i + 2 < bytes.count, let hi = HTTPRequestHead.hexValue(bytes[i + 1]), let lo = HTTPRequestHead.hexValue(bytes[i + 2]) else {
                    throw PercentDecodingError(offset: i, text: HTTPRequestHead.printable(bytes[i..<min(i + 3, bytes.count)]),
                                               reason: "'%' must be followed by two hex digits")
                }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(plusAsSpace && c == 0x2B ? 0x20 : c)
                i += 1
            }
        }
        guard let string = String(validating: out, as: UTF8.self) else {
            throw PercentDecodingError(offset: 0, text: HTTPRequestHead.printable(bytes), reason: "the decoded bytes are not UTF-8")
        }
        return string
    }

    /// Like ``decode(_:plusAsSpace:)`` but keeps what cannot be decoded as it is.
    public static func decodeLeniently(_ text: some StringProtocol, plusAsSpace: Bool) -> String {
        (try? decode(text.utf8, plusAsSpace: plusAsSpace)) ?? String(text)
    }
}

/// Percent-encoded text that cannot be decoded.
public struct PercentDecodingError: Error, Sendable, Equatable {
    /// The byte offset of the problem in the encoded text.
    public var offset: Int
    /// The bytes in question.
    public var text: String
    /// What is wrong.
    public var reason: String
}
