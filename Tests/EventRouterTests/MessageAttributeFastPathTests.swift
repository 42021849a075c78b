import Testing
@testable import EventRouter

/// The byte-wise attribute checks (``MessageAttributeValue/baseType``, the `AWS.`/`Amazon.`
/// prefix test, SQS's attribute-name check) answer what the `Character`-based checks answered.
@Suite struct MessageAttributeFastPathTests {
    static let types = ["String", "Number", "Binary", "Number.float", "String.Array", "Binary.png.x", ".", "String.", "",
                        "Strïng.x", "String.\u{301}x", "Number\u{301}.x", "e\u{301}.x"]

    @Test(arguments: types)
    func baseTypeAsBefore(_ type: String) {
        let before: String = type.firstIndex(of: ".").map { String(type[..<$0]) } ?? type
        #expect(MessageAttributeValue(dataType: type, stringValue: "1").baseType == before)
    }

    static let names = ["aws.x", "AWS.x", "Aws.", "aws", "awsx", "amazon.y", "AMAZON.y", "Amazon", "xaws.", "", "a", "AWS.\u{301}", "ÀWS.x", "amazon.é"]

    /// ASCII names: the only ones both name checks accept (a non-ASCII name fails them either way;
    /// "AWS." + U+0301 starts with "aws." bytewise but not by `Character`).
    @Test(arguments: names.filter { $0.utf8.allSatisfy { $0 < 0x80 } })
    func prefixTestAsBefore(_ name: String) {
        #expect(MessageAttributeValue.hasPrefixIgnoringASCIICase(name, "aws.") == name.lowercased().hasPrefix("aws."))
        #expect(MessageAttributeValue.hasPrefixIgnoringASCIICase(name, "amazon.") == name.lowercased().hasPrefix("amazon."))
    }

    static let attributeNames = ["kind", "a.b", "A-Z_09", ".x", "x.", "a..b", "aws.x", "Amazon.x", "é", "x y", "a\u{301}", "k\u{212A}", "AWS.\u{301}", "x.\u{301}", ".\u{301}x",
                                 String(repeating: "n", count: 256), String(repeating: "n", count: 257)]

    @Test(arguments: attributeNames)
    func sqsNameCheckAsBefore(_ name: String) {
        let lower = name.lowercased()
        let before = !name.isEmpty && name.utf8.count <= 256
            && name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == ".") })
            && !name.hasPrefix(".") && !name.hasSuffix(".") && !name.contains("..") && !lower.hasPrefix("aws.") && !lower.hasPrefix("amazon.")
        let accepted = (try? QueueStateMachine.validateAttributes([name: .string("v")])) != nil
        #expect(accepted == before)
    }

    @Test(arguments: attributeNames)
    func snsNameCheckAsBefore(_ name: String) {
        let before = !name.isEmpty && name.utf8.count <= 256 && !name.hasPrefix(".") && !name.hasSuffix(".")
            && !zip(name.utf8, name.utf8.dropFirst()).contains { $0 == 0x2E && $1 == 0x2E }
            && !name.lowercased().hasPrefix("aws.") && !name.lowercased().hasPrefix("amazon.")
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F || c == 0x2E
            }
        let accepted = (try? TopicMessage.validateAttribute(name, .string("v"))) != nil
        #expect(accepted == before)
    }

    @Test func sqsValueCheckStillNamesTheCharacter() {
        #expect(throws: QueueError.self) { try QueueStateMachine.validateAttributes(["k": .string("a\u{1}b")]) }
        #expect((try? QueueStateMachine.validateAttributes(["k": .string("tab\tand é 🎉")])) != nil)
        do {
            try QueueStateMachine.validateAttributes(["k": .string("a\u{FFFF}")])
            Issue.record("U+FFFF accepted")
        } catch {
            #expect(error.message.contains("#xFFFF"))
        }
    }
}
