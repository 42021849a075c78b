import EventRouter

/// Seeded mutations of byte strings: bit flips, byte inserts and deletes, copies, splices with
/// another input, interesting bytes, and JSON-aware ones (replace, insert, duplicate or drop a
/// token or a bracketed subtree). The same seed gives the same sequence of mutations.
public struct FuzzMutator: Sendable {
    /// The source of every choice (seeded: the same seed, the same mutations).
    public var random: SeededGenerator
    /// Extra tokens for the JSON-aware mutations (a target's ``FuzzTarget/dictionary``).
    public var dictionary: [[UInt8]]

    /// A mutator whose choices are fixed by `seed`, with the target's `dictionary` of tokens.
    public init(seed: UInt64, dictionary: [[UInt8]] = []) {
        random = SeededGenerator(seed: seed)
        self.dictionary = FuzzMutator.jsonTokens + dictionary
    }

    /// Tokens every JSON input may meet: odd numbers, escapes, deep brackets, separators.
    static let jsonTokens: [[UInt8]] = [
        "0", "-0", "1e400", "-1e-400", "1E+2", "0.0000001", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "1.7976931348623157e308", "5e-324", "123456789012345678901234567890",
        "true", "false", "null", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud83d\\ude00\"",
        "\"\\\"\"", "\"\\\\\"", "\"é\"", "\"e\u{301}\"", "\"\u{212A}\"", "\"a.b\"", "\".\"", "\"\\u002e\"",
        "[]", "{}", "[[[[[[[[", "]]]]]]]]", "{\"\":", ",", ":", " ", "\t", "\r\n", "\n",
    ].map { Array($0.utf8) }

    static let interestingBytes: [UInt8] = [
        0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x2C, 0x2D, 0x2E, 0x30, 0x3A, 0x5B, 0x5C, 0x5D, 0x65,
        0x7B, 0x7D, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF8, 0xFF,
    ]

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(random.next() % UInt64(n)) }

    /// Applies one to five mutations to `input`, keeping it at most `limit` bytes;
    /// `other` is a second input for splicing.
    public mutating func mutate(_ input: inout [UInt8], other: [UInt8], limit: Int) {
        for _ in 0...below(5) { mutateOnce(&input, other: other) }
        if input.count > limit { input.removeLast(input.count - limit) }
    }

    mutating func mutateOnce(_ input: inout [UInt8], other: [UInt8]) {
        let n = input.count
        switch below(12) {
        case 0 where n > 0:  // flip one bit
            input[below(n)] ^= 1 << UInt8(below(8))
        case 1 where n > 0:  // an interesting byte in place
            input[below(n)] = FuzzMutator.interestingBytes[below(FuzzMutator.interestingBytes.count)]
        case 2:  // insert a byte
            let b = random.next() % 2 == 0 ? UInt8(truncatingIfNeeded: random.next()) : FuzzMutator.interestingBytes[below(FuzzMutator.interestingBytes.count)]
            input.insert(b, at: below(n + 1))
        case 3 where n > 0:  // delete a range
            let start = below(n)
            input.removeSubrange(start..<min(n, start + 1 + below(8)))
        case 4 where n > 0:  // copy a range elsewhere
            let start = below(n)
            let piece = Array(input[start..<min(n, start + 1 + below(16))])
            input.insert(contentsOf: piece, at: below(n + 1))
        case 5 where !other.isEmpty:  // splice: our head, the other's tail
            let cut = below(n + 1)
            let from = below(other.count)
            input = Array(input[..<cut]) + other[from...]
        case 6, 7:  // replace a token with a dictionary token
            let tokens = FuzzMutator.tokens(input)
            let word = dictionary[below(dictionary.count)]
            if let t = tokens.isEmpty ? nil : tokens[below(tokens.count)] {
                input.replaceSubrange(t, with: word)
            } else {
                input.insert(contentsOf: word, at: below(n + 1))
            }
        case 8:  // insert a dictionary token at a token boundary
            let tokens = FuzzMutator.tokens(input)
            let at = tokens.isEmpty ? below(n + 1) : (random.next() % 2 == 0 ? tokens[below(tokens.count)].lowerBound : tokens[below(tokens.count)].upperBound)
            input.insert(contentsOf: dictionary[below(dictionary.count)], at: at)
        case 9:  // duplicate or drop a bracketed subtree
            let trees = FuzzMutator.subtrees(input)
            guard !trees.isEmpty else { return mutateOnce(&input, other: other) }
            let t = trees[below(trees.count)]
            if random.next() % 2 == 0 {
                input.insert(contentsOf: Array(input[t]) + [UInt8(ascii: ",")], at: t.lowerBound)
            } else {
                input.removeSubrange(t)
            }
        case 10:  // a token of the other input in place of one of ours
            let mine = FuzzMutator.tokens(input)
            let theirs = FuzzMutator.tokens(other) + FuzzMutator.subtrees(other)
            guard !mine.isEmpty, !theirs.isEmpty else { return mutateOnce(&input, other: other) }
            input.replaceSubrange(mine[below(mine.count)], with: other[theirs[below(theirs.count)]])
        case 11 where n > 0:  // repeat a byte many times (long runs, deep nesting)
            let i = below(n)
            input.insert(contentsOf: [UInt8](repeating: input[i], count: 1 + below(64)), at: i)
        default:
            input.insert(FuzzMutator.interestingBytes[below(FuzzMutator.interestingBytes.count)], at: below(n + 1))
        }
    }

    /// The ranges of the strings, numbers and literals of JSON-like text (a lexer that never
    /// fails: an unterminated string runs to the end).
    static func tokens(_ b: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                var j = i + 1
                while j < b.count && b[j] != 0x22 { j += b[j] == 0x5C ? 2 : 1 }
                let end = min(j + 1, b.count)
                result.append(i..<end)
                i = end
            } else if c == 0x2D || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) {
                var j = i + 1
                while j < b.count, b[j] == 0x2B || b[j] == 0x2D || b[j] == 0x2E || (b[j] >= 0x30 && b[j] <= 0x39) || (b[j] >= 0x61 && b[j] <= 0x7A) || b[j] == 0x45 { j += 1 }
                result.append(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        return result
    }

    /// The ranges of balanced `{…}` and `[…]` subtrees (brackets inside strings ignored).
    static func subtrees(_ b: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var open: [Int] = []
        var i = 0
        while i < b.count {
            switch b[i] {
            case 0x22:
                i += 1
                while i < b.count && b[i] != 0x22 { i += b[i] == 0x5C ? 2 : 1 }
            case 0x7B, 0x5B: open.append(i)
            case 0x7D, 0x5D: if let s = open.popLast() { result.append(s..<(i + 1)) }
            default: break
            }
            i += 1
        }
        return result
    }
}
