import Testing
@testable import EventRouter
@testable import EventRouterHTTP

/// `MessageAttributes.entry.N…` and the other indexed SNS parameters: ASCII names are split as
/// bytes, others by `Character`; both give the groups (or the error) the `Character` split gave.
@Suite struct SNSInputIndexedTests {
    @Test func asciiAndNonASCIINamesGroupAsBefore() throws {
        let input = SNSInput([
            ("MessageAttributes.entry.1.Name", "kind"), ("MessageAttributes.entry.1.Value.DataType", "String"),
            ("MessageAttributes.entry.1.Value.StringValue", "order"),
            ("MessageAttributes.entry.02.Name", "n"), ("MessageAttributes.entry.2..Value.DataType", "Number"),
            ("MessageAttributes.entry.2.Value.StringValue", "7"),
            ("MessageAttributes.entry.3.Name", "é"), ("MessageAttributes.entry.3.Value.DataTypé", "ignored"),
            ("MessageAttributes.entry.3.Value.DataType", "Binary"), ("MessageAttributes.entry.3.Value.BinaryValue", "AQID"),
            ("TopicArn", "arn:aws:sns:us-east-1:123456789012:t"), ("Message", "m"),
        ])
        let attributes = try input.messageAttributes()
        #expect(attributes == ["kind": .string("order"), "n": .number("7"), "é": .binary([1, 2, 3])])
    }

    /// Only the four field names, exactly, fill an entry; near misses of each length are ignored.
    @Test func onlyTheExactFieldNamesFillAnEntry() throws {
        let input = SNSInput([
            ("MessageAttributes.entry.1.Name", "kind"), ("MessageAttributes.entry.1.Value.DataType", "String"),
            ("MessageAttributes.entry.1.Value.StringValue", "order"), ("MessageAttributes.entry.1.name", "other"),
            ("MessageAttributes.entry.1.Value.DataTypE", "Number"), ("MessageAttributes.entry.1.Value.StringValuE", "x"),
            ("MessageAttributes.entry.1.Value.BinaryValuE", "AQID"), ("MessageAttributes.entry.1.Nam", "n"),
            ("MessageAttributes.entry.1.", "v"), ("MessageAttributes.entry.1", "v"),
        ])
        #expect(try input.messageAttributes() == ["kind": .string("order")])
    }

    static let badPositions: [(String, String)] = [
        ("MessageAttributes.entry.x.Name", "'x'"), ("MessageAttributes.entry.0.Name", "'0'"), ("MessageAttributes.entry.1001.Name", "'1001'"),
        ("MessageAttributes.entry..Name", "''"), ("MessageAttributes.entry.ü.Name", "'ü'"),
    ]

    @Test(arguments: badPositions)
    func aBadPositionIsRefusedSayingWhichOne(_ name: String, _ quoted: String) {
        do {
            _ = try SNSInput([(name, "v")]).messageAttributes()
            Issue.record("\(name) accepted")
        } catch {
            #expect(error.message == "Invalid parameter: MessageAttributes.entry Reason: \(quoted) in \(name) is not a list position: write MessageAttributes.entry.1, MessageAttributes.entry.2, …")
        }
    }

    @Test func membersAndTheWholeItem() throws {
        let input = SNSInput([("Attr.member.2", "b"), ("Attr.member.1", "a"), ("Attr.memberx.1", "no")])
        #expect(try input.strings("Attr") == ["a", "b"])
    }
}
