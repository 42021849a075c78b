import Testing
@testable import EventRouterHTTP

/// An SNS call's parameters by name: short lists scanned, long ones indexed, the first value of a
/// repeated name winning either way.
@Suite struct SNSParameterValuesTests {
    static let short: [(String, String)] = [
        ("Action", "Publish"), ("TopicArn", "arn:aws:sns:us-east-1:123456789012:t"), ("Message", "m"),
        ("Subject", "s"), ("Action", "Later"), ("action", "lower"), ("Actioé", "other"), ("é", "accent"), ("", "empty"),
    ]

    /// Each name with its first value, names compared exactly (case, length and bytes).
    @Test(arguments: [false, true])
    func theFirstValueOfEachExactNameWins(_ long: Bool) {
        var parameters = Self.short
        if long { parameters += (0..<30).map { ("Padding.member.\($0)", "p\($0)") } }
        let values = SNSParameterValues(parameters)
        #expect(values["Action"] == "Publish")
        #expect(values["action"] == "lower")
        #expect(values["Actioé"] == "other")
        #expect(values["é"] == "accent")
        #expect(values[""] == "empty")
        #expect(values["Actio"] == nil)
        #expect(values["Actions"] == nil)
        #expect(values["Subject"] == "s")
        #expect(values.count == parameters.count - 1)
        if long { #expect(values["Padding.member.29"] == "p29") }
    }
}
