import Testing
@testable import EventRouter

/// The SQS body check reads eight bytes at a time: a refused character must be found wherever it
/// falls (inside a word, across a word boundary, in the tail), and allowed text never refused.
@Suite struct QueueBodyCheckTests {
    @Test(arguments: ["\u{1}", "\u{1F}", "\u{FFFE}", "\u{FFFF}"])
    func aRefusedCharacterIsFoundAtEveryOffset(bad: String) {
        for prefix in 0..<24 {
            for suffix in [0, 1, 2, 7, 8, 9] {
                let body = String(repeating: "a", count: prefix) + bad + String(repeating: "b", count: suffix)
                #expect(!QueueStateMachine.bodyIsPlainText(body), "\(prefix) + bad + \(suffix)")
                #expect(QueueStateMachine.bodyIsPlainText(body) == body.unicodeScalars.allSatisfy(QueueStateMachine.isAllowedInBody))
            }
        }
    }

    /// Long ASCII text is read sixteen bytes at a time: a refused character, or an allowed one
    /// below 0x20, in any of the sixteen places, in the first block or a later one.
    @Test(arguments: [("\u{1}", false), ("\u{1F}", false), ("\u{FFFE}", false), ("\t", true), ("\n", true), ("\r", true), ("é", true)])
    func longTextIsCheckedAtEveryOffset(char: String, allowed: Bool) {
        for prefix in 0..<48 {
            for suffix in [0, 5, 16, 21] {
                let body = String(repeating: "a", count: prefix) + char + String(repeating: "b", count: suffix)
                #expect(QueueStateMachine.bodyIsPlainText(body) == allowed, "\(prefix) + char + \(suffix)")
            }
        }
    }

    @Test(arguments: ["\t", "\n", "\r", "\u{EF}", "\u{FFFD}", "\u{FEFF}", "\u{E000}", "é", "😀", "\u{7F}"])
    func allowedTextIsNeverRefused(good: String) {
        for prefix in 0..<20 {
            let body = String(repeating: "x", count: prefix) + good + String(repeating: "y", count: prefix % 9)
            #expect(QueueStateMachine.bodyIsPlainText(body), "\(prefix) + \(good.unicodeScalars.map(\.value))")
        }
    }
}
