import Testing
@testable import EventRouter

@Suite struct InputTransformerTests {
    static let detail: JSONValue = try! JSONParser.parse(#"{"s":"he said \"hi\"","n":5,"o":{"a":1,"b":"x"},"arr":["HIGH"],"b":true,"nul":null}"#)
    let context = InputContext(
        event: Event(id: "e-1", detailType: "Placed", source: "shop", account: "123456789012",
                     time: Timestamp(iso8601: "2024-01-01T00:00:00Z")!, region: "us-east-1", resources: ["r"], detail: InputTransformerTests.detail),
        ruleArn: "arn:aws:events:us-east-1:123456789012:rule/orders/big", ruleName: "big",
        ingestionTime: Timestamp(iso8601: "2024-01-01T00:00:05Z")!)

    static let map: [(String, String)] = [
        ("s", "$.detail.s"), ("n", "$.detail.n"), ("o", "$.detail.o"), ("arr", "$.detail.arr"), ("b", "$.detail.b"),
        ("nul", "$.detail.nul"), ("missing", "$.detail.nope"),
    ]

    func render(_ template: String) throws -> String {
        try InputTransformer(pathsMap: Self.map, template: template).render(context)
    }

    @Test(arguments: [
        // JSON templates: bare placeholders insert JSON, strings with quotes.
        (#"{"v": <s>}"#, #"{"v": "he said \"hi\""}"#),
        (#"{"v": <n>}"#, #"{"v": 5}"#),
        (#"{"v": <o>}"#, #"{"v": {"a":1,"b":"x"}}"#),
        (#"{"v": <arr>}"#, #"{"v": ["HIGH"]}"#),
        (#"{"v": <b>}"#, #"{"v": true}"#),
        (#"{"v": <nul>}"#, #"{"v": null}"#),
        (#"{"v": <missing>}"#, #"{"v": ""}"#),
        // Inside a string literal: no added quotes, escaped so the result stays JSON.
        (#"{"v": "<s>"}"#, #"{"v": "he said \"hi\""}"#),
        (#"{"v": "n=<n>"}"#, #"{"v": "n=5"}"#),
        (#"{"v": "x<missing>y"}"#, #"{"v": "xy"}"#),
        (#"[<n>, "<b>"]"#, #"[5, "true"]"#),
        // String templates (starting with a quote): each line a string, values as text, not JSON.
        (#""<s> is here""#, #""he said "hi" is here""#),
        (#""Payload of <o>""#, #""Payload of {a:1,b:x}""#),
        (#""<arr> items""#, #""[HIGH] items""#),
        (#"  "x<missing>y""#, #"  "xy""#),
        ("\"n=<n>\"\n\"b=<b> <nul>\"", "\"n=5\"\n\"b=true null\""),
        // Text templates: strings raw, containers without quotes, missing values empty.
        ("Order <s>", #"Order he said "hi""#),
        ("<o>", "{a:1,b:x}"),
        ("priority <arr>", "priority [HIGH]"),
        ("x<missing>y", "xy"),
        ("n=<n> b=<b>", "n=5 b=true"),
        ("a < b and <n> > 3", "a < b and 5 > 3"),
    ])
    func quoting(template: String, expected: String) throws {
        #expect(try render(template) == expected)
    }

    /// Issue 17 item 7: an object or array inside a string in a JSON template makes AWS's result
    /// invalid JSON, so the target gets nothing (here INVALID_INPUT, and the dead-letter queue).
    @Test(arguments: [
        (#"{"v": "<o>"}"#, "<o>, which holds an object,"),
        (#"{"p": "users/<arr>"}"#, "<arr>, which holds an array,"),
        (#"[1, "<o> and <n>"]"#, "<o>, which holds an object,"),
    ])
    func anObjectOrArrayInsideAStringOfAJSONTemplateIsNotDelivered(template: String, placed: String) {
        let error = #expect(throws: EventRouterError.self) { try render(template) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "InputTemplate places \(placed) inside a string, so the result is not valid JSON and EventBridge delivers "
            + "nothing to this target; write \(placed.prefix { $0 != "," }) outside quotes to insert it as JSON")
    }

    @Test func theTemplatesKindComesFromItsFirstCharacter() throws {
        #expect(try InputTransformer(pathsMap: Self.map, template: " {\"a\": 1}").kind == .json)
        #expect(try InputTransformer(pathsMap: Self.map, template: "\n[1]").kind == .json)
        #expect(try InputTransformer(pathsMap: Self.map, template: "\t\"a\"").kind == .string)
        #expect(try InputTransformer(pathsMap: Self.map, template: "a \"b\"").kind == .text)
        // A string template need not be JSON: this one would never be, and it is accepted.
        #expect(try render(#""a" "<s>""#) == #""a" "he said "hi"""#)
        let error = #expect(throws: EventRouterError.self) { try InputTransformer(pathsMap: Self.map, template: #""<aws.events.event>""#) }
        #expect(error?.message == "<aws.events.event> may only be used as a JSON value, not inside a string in InputTemplate")
    }

    @Test func reservedVariables() throws {
        #expect(try render(#"{"arn": "<aws.events.rule-arn>", "name": <aws.events.rule-name>, "at": "<aws.events.event.ingestion-time>"}"#)
            == #"{"arn": "arn:aws:events:us-east-1:123456789012:rule/orders/big", "name": "big", "at": "2024-01-01T00:00:05Z"}"#)
        #expect(try render(#"{"e": <aws.events.event>}"#)
            == #"{"e": {"version":"0","id":"e-1","detailType":"Placed","source":"shop","account":"123456789012","time":"2024-01-01T00:00:00Z","region":"us-east-1","resources":["r"]}}"#)
        #expect(try render("<aws.events.event.json>") == context.event.jsonText)
    }

    @Test(arguments: [
        ([("alpha", "$.x")], "{\"v\": <b>}", "InputTemplate uses <b>, which is not a key of InputPathsMap"),
        ([("order", "$.x")], "{\"v\": <ordr>}", "InputTemplate uses <ordr>, which is not a key of InputPathsMap (did you mean <order>?)"),
        ([], "{\"v\": \"<aws.events.event>\"}", "<aws.events.event> may only be used as a JSON value, not inside a string in InputTemplate"),
        ([], "{\"v\": \"<aws.events.event.json>\"}", "<aws.events.event.json> may only be used as a JSON value, not inside a string in InputTemplate"),
        ([("a.b", "$.x")], "x", "InputPathsMap variable 'a.b' may only contain letters, digits, '_' and '-'"),
        ([("a", "detail.x")], "x", "invalid JSONPath 'detail.x': it must start with '$'"),
    ] as [([(String, String)], String, String)])
    func invalidTransformers(map: [(String, String)], template: String, message: String) {
        let error = #expect(throws: EventRouterError.self) { try InputTransformer(pathsMap: map, template: template) }
        #expect(error?.message == message)
    }

    @Test func atMostOneHundredVariables() throws {
        let ok = (0..<100).map { ("v\($0)", "$.detail") }
        _ = try InputTransformer(pathsMap: ok, template: "x")
        let error = #expect(throws: EventRouterError.self) { try InputTransformer(pathsMap: ok + [("v100", "$.detail")], template: "x") }
        #expect(error?.message == "InputPathsMap has 101 variables; at most 100 are allowed")
    }

    @Test func aJSONTemplateThatDoesNotYieldJSONForThisEventIsNotDelivered() {
        // A placeholder as a key renders JSON only for string values.
        let error = #expect(throws: EventRouterError.self) { try render(#"{<n>: 1}"#) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == #"InputTemplate did not produce valid JSON (invalid JSON at byte 1: expected a string key in the object, found '5'): {5: 1}"#)
    }

    /// Issue 10 item 6: templates that no event can turn into JSON fail validation (the one
    /// check `validate` and the runtime share), instead of dead-lettering every delivery.
    @Test(arguments: [
        (#"{"x": <a}"#, #"InputTemplate starts like JSON but can never produce valid JSON, whatever the event (invalid JSON at byte 6: expected a JSON value, found '<', with every placeholder filled in: {"x": <a}); check brackets, quotes and commas, and write each placeholder as <name>"#),
        (#"{"x": <>}"#, #"InputTemplate starts like JSON but can never produce valid JSON, whatever the event (invalid JSON at byte 6: expected a JSON value, found '<', with every placeholder filled in: {"x": <>}); check brackets, quotes and commas, and write each placeholder as <name>"#),
        (#"{"v": <n>"#, #"InputTemplate starts like JSON but can never produce valid JSON, whatever the event (invalid JSON at byte 8: expected ',' or '}' after an object member, found end of input, with every placeholder filled in: {"v": ""); check brackets, quotes and commas, and write each placeholder as <name>"#),
    ])
    func templatesThatCanNeverBeJSONAreRejected(template: String, message: String) {
        let error = #expect(throws: EventRouterError.self) { try InputTransformer(pathsMap: Self.map, template: template) }
        #expect(error?.code == .validation)
        #expect(error?.message == message)
    }

    @Test(arguments: [
        ("$.detail.o", #"{"a":1,"b":"x"}"#),
        ("$.detail.s", #""he said \"hi\"""#),
        ("$.detail.arr[0]", #""HIGH""#),
        ("$['detail']['n']", "5"),
        ("$.detail.o.*", "[1,\"x\"]"),
        ("$.resources[*]", "[\"r\"]"),
    ])
    func inputPath(path: String, expected: String) throws {
        let input = TargetInput.path(try JSONPath(parsing: path))
        #expect(try input.render(context) == expected)
    }

    @Test func inputPathToTheRootIsTheWholeEvent() throws {
        #expect(try TargetInput.path(try JSONPath(parsing: "$")).render(context) == context.event.jsonText)
        #expect(try TargetInput.event.render(context) == context.event.jsonText)
        #expect(try TargetInput.constant("{\"k\":1}").render(context) == "{\"k\":1}")
    }

    @Test func inputPathThatSelectsNothingFails() {
        let error = #expect(throws: EventRouterError.self) { try TargetInput.path(try JSONPath(parsing: "$.detail.nope")).render(context) }
        #expect(error?.message == "InputPath $.detail.nope selects nothing in event e-1")
    }

    @Test(arguments: [
        ("detail", "invalid JSONPath 'detail': it must start with '$'"),
        ("$.", "invalid JSONPath '$.': expected a field name after '.' at character 3"),
        ("$.a[", "invalid JSONPath '$.a[': unclosed '['"),
        ("$.a[x]", "invalid JSONPath '$.a[x]': expected an index, a quoted name or '*' inside [] at character 5"),
        ("$.a[1", "invalid JSONPath '$.a[1': expected ']' at character 6"),
        ("$ a", "invalid JSONPath '$ a': unexpected ' ' at character 2"),
    ])
    func invalidPaths(path: String, message: String) {
        let error = #expect(throws: EventRouterError.self) { try JSONPath(parsing: path) }
        #expect(error?.message == message)
    }
}
