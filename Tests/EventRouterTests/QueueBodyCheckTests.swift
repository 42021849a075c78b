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

    @Test(arguments: ["\t", "\n", "\r", "\u{EF}", "\u{FFFD}", "\u{FEFF}", "\u{E000}", "é", "😀", "\u{7F}"])
    func allowedTextIsNeverRefused(good: String) {
        for prefix in 0..<20 {
            let body = String(repeating: "x", count: prefix) + good + String(repeating: "y", count: prefix % 9)
            #expect(QueueStateMachine.bodyIsPlainText(body), "\(prefix) + \(good.unicodeScalars.map(\.value))")
        }
    }
}
