import Testing
@testable import EventRouter

/// The one field reader: each kind of field, each wording (file, JSON path, severity, reason).
struct FieldReaderTests {
    /// Reads `key` of `json` with `read` and returns every problem's full text.
    private static func problems(_ json: String, _ read: (inout FieldReader, JSONObject) -> Void) throws -> [String] {
        let object = try #require(try JSONParser.parse(json).objectValue)
        var fields = FieldReader(file: "Rules/a.json")
        read(&fields, object)
        return fields.problems.map(\.description)
    }

    @Test(arguments: [
        // whole numbers with ranges
        (#"{"N": 200}"#, "Rules/a.json: $.X.N: error: 'N' must be between 0 and 185, got 200"),
        (#"{"N": -1}"#, "Rules/a.json: $.X.N: error: 'N' must be between 0 and 185, got -1"),
        (#"{"N": 1.5}"#, "Rules/a.json: $.X.N: error: 'N' must be a whole number, not 1.5"),
        (#"{"N": "7"}"#, "Rules/a.json: $.X.N: error: 'N' must be a whole number, not string"),
        (#"{"N": true}"#, "Rules/a.json: $.X.N: error: 'N' must be a whole number, not boolean"),
        (#"{}"#, "Rules/a.json: $.X: error: missing required key 'N'"),
    ])
    func wholeNumbers(json: String, expected: String) throws {
        let found = try Self.problems(json) { f, o in _ = f.int(o, "N", at: "$.X", range: 0...185, required: true) }
        #expect(found == [expected])
    }

    @Test func wholeNumbersInRangeAndNumericStrings() throws {
        let o = try #require(try JSONParser.parse(#"{"A": 185, "B": "60", "C": 0}"#).objectValue)
        var f = FieldReader(file: "f")
        #expect(f.int(o, "A", at: "$", range: 0...185) == 185)
        #expect(f.int(o, "B", at: "$", range: 0...100, acceptingStrings: true) == 60)
        #expect(f.int(o, "C", at: "$", range: 0...1) == 0)
        #expect(f.int(o, "Absent", at: "$", range: 0...1) == nil)
        #expect(f.duration(o, "B", at: "$", seconds: 60...86_400, acceptingStrings: true) == .seconds(60))
        #expect(f.problems.isEmpty)
        let found = try Self.problems(#"{"B": "6x"}"#) { f, o in _ = f.int(o, "B", at: "$", range: 0...9, acceptingStrings: true) }
        #expect(found == [#"Rules/a.json: $.B: error: 'B' must be a whole number, not "6x""#])
    }

    @Test(arguments: [
        (#"{"B": true}"#, true, [String]()),
        (#"{"B": "false"}"#, false, []),
        (#"{"B": 1}"#, nil, ["Rules/a.json: $.B: error: 'B' must be true or false, not number"]),
        (#"{"B": "yes"}"#, nil, ["Rules/a.json: $.B: error: 'B' must be true or false, not string"]),
    ] as [(String, Bool?, [String])])
    func booleans(json: String, value: Bool?, expected: [String]) throws {
        var read: Bool?
        let found = try Self.problems(json) { f, o in read = f.bool(o, "B", at: "$") }
        #expect(read == value)
        #expect(found == expected)
    }

    @Test func strictBooleansRefuseStrings() throws {
        let found = try Self.problems(#"{"B": "true"}"#) { f, o in _ = f.bool(o, "B", at: "$", strict: true) }
        #expect(found == ["Rules/a.json: $.B: error: 'B' must be true or false, not string"])
    }

    @Test(arguments: [
        (#"{"S": 5}"#, "Rules/a.json: $.S: error: 'S' must be a string, not number"),
        (#"{"S": ""}"#, "Rules/a.json: $.S: error: 'S' must not be empty"),
        (#"{"S": "bad name!"}"#, "Rules/a.json: $.S: error: 'S' must be 1 to 64 letters, digits, '.', '_' or '-', got 'bad name!'"),
        (#"{}"#, "Rules/a.json: $: error: missing required key 'S'"),
    ])
    func stringsWithPatterns(json: String, expected: String) throws {
        let found = try Self.problems(json) { f, o in
            _ = f.string(o, "S", at: "$", required: true, pattern: .name(maximumLength: 64, extra: "._-"))
        }
        #expect(found == [expected])
    }

    @Test(arguments: [
        ("123456789012", true), ("12345678901", false), ("12345678901x", false),
    ])
    func accountIDs(text: String, valid: Bool) throws {
        let found = try Self.problems(#"{"Account": "\#(text)"}"#) { f, o in _ = f.string(o, "Account", at: "$", pattern: .accountID) }
        #expect(found == (valid ? [] : ["Rules/a.json: $.Account: error: 'Account' must be a 12-digit account id, got '\(text)'"]))
    }

    @Test(arguments: [
        (#"{"E": "DISABLED"}"#, [String]()),
        (#"{"E": "ON"}"#, ["Rules/a.json: $.E: error: 'E' must be one of ENABLED, DISABLED, got 'ON'"]),
        (#"{"E": "enabled"}"#, ["Rules/a.json: $.E: error: 'E' must be one of ENABLED, DISABLED, got 'enabled' (values are case-sensitive: write 'ENABLED')"]),
        (#"{"E": ["ENABLED"]}"#, ["Rules/a.json: $.E: error: 'E' must be a string, not array"]),
    ])
    func enumerations(json: String, expected: [String]) throws {
        let found = try Self.problems(json) { f, o in _ = f.enumeration(o, "E", at: "$", allowed: ["ENABLED", "DISABLED"]) }
        #expect(found == expected)
    }

    @Test(arguments: [
        ("arn:aws:sqs:us-east-1:123456789012:q", [String]()),
        ("arn:aws:sns:us-east-1:123456789012:t", ["Rules/a.json: $.T.Arn: error: 'Arn' must be a queue ARN, not a topic ARN"]),
        ("arn:aws:events:us-east-1:123456789012:event-bus/b", ["Rules/a.json: $.T.Arn: error: 'Arn' must be a queue ARN, not an event bus ARN"]),
        ("nope", ["Rules/a.json: $.T.Arn: error: malformed ARN 'nope': it must have six ':'-separated parts starting with 'arn'; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE"]),
    ])
    func arns(text: String, expected: [String]) throws {
        let found = try Self.problems(#"{"Arn": "\#(text)"}"#) { f, o in _ = f.arn(o, "Arn", at: "$.T", kinds: [.queue]) }
        #expect(found == expected)
    }

    @Test func arnsOfSeveralKinds() throws {
        let found = try Self.problems(#"{"Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}"#) { f, o in
            _ = f.arn(o, "Arn", at: "$", kinds: [.queue, .topic, .function])
        }
        #expect(found == ["Rules/a.json: $.Arn: error: 'Arn' must be a queue, topic or function ARN, not a stream ARN"])
    }

    @Test(arguments: [
        (#"{"Sise": 1, "Other": 2}"#, ["Rules/a.json: $.Q.Sise: error: unknown key 'Sise' in a queue (did you mean 'Size'?); allowed: Name, Size",
                                      "Rules/a.json: $.Q.Other: error: unknown key 'Other' in a queue; allowed: Name, Size"]),
        (#"{"Name": 1}"#, []),
    ])
    func unknownKeysWithDidYouMean(json: String, expected: [String]) throws {
        let found = try Self.problems(json) { f, o in f.checkKeys(o, allowed: ["Name", "Size"], what: "a queue", at: "$.Q") }
        #expect(found == expected)
    }

    @Test(arguments: [
        (#"{"O": 1}"#, "Rules/a.json: $.O: error: 'O' must be an object, not number"),
        (#"{"O": null}"#, "Rules/a.json: $.O: error: 'O' must be an object, not null"),
        (#"{}"#, "Rules/a.json: $: error: missing required key 'O'"),
    ])
    func wrongJSONTypes(json: String, expected: String) throws {
        let found = try Self.problems(json) { f, o in _ = f.object(o, "O", at: "$", required: true) }
        #expect(found == [expected])
    }

    @Test func arraysAndWarnings() throws {
        let found = try Self.problems(#"{"A": {}}"#) { f, o in
            _ = f.array(o, "A", at: "$", of: "objects")
            f.warning("$.A", "just so you know")
        }
        #expect(found == ["Rules/a.json: $.A: error: 'A' must be an array of objects, not object", "Rules/a.json: $.A: warning: just so you know"])
    }

    @Test func problemsFoundRelativeToAnEntryAreRebasedIntoTheFile() {
        var f = FieldReader(file: "Rules/a.json")
        f.add([ValidationProblem(path: "$.Statement[0].Effect", "bad"), ValidationProblem(.warning, path: "$", "meh")], under: "$.EventBuses[1].Policy")
        #expect(f.problems.map(\.description) == ["Rules/a.json: $.EventBuses[1].Policy.Statement[0].Effect: error: bad",
                                                  "Rules/a.json: $.EventBuses[1].Policy: warning: meh"])
        #expect(f.errorCount == 1)
        #expect(ValidationProblem(path: "$.X", "no file").description == "$.X: error: no file")
    }
}
