import Testing
@testable import EventRouter

/// ``JSONSerializer/writeString(_:into:)`` copies runs of plain bytes at once; its output must be
/// the byte-by-byte escaping's for every string.
@Suite struct JSONStringWriterTests {
    /// The byte-by-byte escaping the run copy replaced.
    static func reference(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        let hex = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0x08: out += [0x5C, 0x62]
            case 0x0C: out += [0x5C, 0x66]
            case 0..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
        return out
    }

    @Test(arguments: ["", "plain", "\"", "\\", "a\"b\\c", "\n\r\t\u{8}\u{C}", "\u{0}\u{1}\u{1F}x", "ä😀€", "end\"", "\"start",
                      "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:1:t:id"])
    func escapesAsTheByteByByteWriter(text: String) {
        var out: [UInt8] = Array("prefix".utf8)
        JSONSerializer.writeString(text, into: &out)
        #expect(out == Array("prefix".utf8) + Self.reference(text))
        #expect(JSONSerializer.quoted(text) == String(decoding: Self.reference(text), as: UTF8.self))
    }

    /// Plain runs are skipped eight bytes at a time: one byte that needs an escape at any position
    /// of a long run is found, and bytes next to the tested values (0x1F/0x20, 0x21/0x23, 0x5B/0x5D,
    /// 0x7F, multi-byte UTF-8) are not taken for them.
    @Test(arguments: ["\"", "\\", "\u{1F}", "\u{0}", "\n", " ", "!", "#", "[", "]", "\u{7F}", "é", "\u{FFFF}"])
    func anEscapeAnywhereInALongRunIsFound(special: String) {
        for position in 0..<24 {
            let text = String(repeating: "x", count: position) + special + String(repeating: "y", count: 23 - position)
            var out: [UInt8] = []
            JSONSerializer.writeString(text, into: &out)
            #expect(out == Self.reference(text), "\(text.debugDescription)")
        }
    }

    @Test func randomStringsEscapeAsTheByteByByteWriter() {
        var g = SeededGenerator(seed: 13)
        let alphabet: [Character] = ["a", "\"", "\\", "\n", "\u{1}", "\u{1F}", " ", "ä", "😀", "\t", "/"]
        for _ in 0..<500 {
            let text = String((0..<Int(g.next() % 40)).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] })
            var out: [UInt8] = []
            JSONSerializer.writeString(text, into: &out)
            #expect(out == Self.reference(text), "\(text.debugDescription)")
        }
    }
}
