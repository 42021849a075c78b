/// Text for XML documents.
public enum XMLText {
    /// `text` with `& < > "` escaped, for element content and attribute values (as AWS escapes).
    public static func escape(_ text: String) -> String {
        let special = text.utf8.withContiguousStorageIfAvailable { bytes in
            var found: UInt8 = 0
            for c in bytes { found |= (c == 0x26 ? 1 : 0) | (c == 0x3C ? 1 : 0) | (c == 0x3E ? 1 : 0) | (c == 0x22 ? 1 : 0) }
            return found != 0
        } ?? text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 })
        guard special else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `<name>escaped text</name>`.
    public static func element(_ name: String, _ text: String) -> String { "<\(name)>\(escape(text))</\(name)>" }
}
