/// Text for XML documents.
public enum XMLText {
    /// `text` with `& < > "` escaped, for element content and attribute values (as AWS escapes).
    /// Characters XML 1.0 cannot carry at all, even as references (control characters other
    /// than tab, LF and CR; U+FFFE and U+FFFF), are written as the text `\uXXXX`, so that an
    /// error message echoing such input stays a document a client's XML parser reads.
    public static func escape(_ text: String) -> String {
        // 0xEF leads the UTF-8 of U+FFFE and U+FFFF (and of other U+Fxxx, rare in AWS text).
        let special = text.utf8.withContiguousStorageIfAvailable { bytes in
            var found: UInt8 = 0
            for c in bytes { found |= (c == 0x26 ? 1 : 0) | (c == 0x3C ? 1 : 0) | (c == 0x3E ? 1 : 0) | (c == 0x22 ? 1 : 0) | (c < 0x20 ? 1 : 0) | (c == 0xEF ? 1 : 0) }
            return found != 0
        } ?? text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 < 0x20 || $0 == 0xEF })
        guard special else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `<name>escaped text</name>`.
    public static func element(_ name: String, _ text: String) -> String { "<\(name)>\(escape(text))</\(name)>" }
}
