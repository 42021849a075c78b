import EventRouter

/// The InputTransformer: an input is an `InputPathsMap` JSON object, a template and an event
/// envelope, separated by the byte 0x1E. A transformer is built or refused with a message; a
/// rendering is refused with a message or, for a JSON template, is JSON; rendering is
/// deterministic; and `<aws.events.event.json>` renders the event itself.
struct InputTransformerTarget: FuzzTarget {
    let name = "transformer"
    let summary = "InputTransformer: paths map + template + event → output is JSON for JSON templates, errors have messages, deterministic"
    static let separator: UInt8 = 0x1E
    static let defaultEvent = #"{"version":"0","id":"1","detail-type":"t","source":"s","account":"123456789012","time":"2024-01-01T00:00:00Z","region":"us-east-1","resources":["r"],"detail":{"a":"x","n":[1,2],"o":{"k":"v"},"q":"say \"hi\""}}"#

    var seeds: [[UInt8]] {
        [
            (#"{"a":"$.detail.a","n":"$.detail.n"}"#, #"{"x": <a>, "list": <n>, "text": "a is <a>"}"#),
            (#"{"o":"$.detail.o","q":"$.detail.q"}"#, #""<q> and <o>""#),
            (#"{}"#, #"{"event": <aws.events.event>, "rule": "<aws.events.rule-name>", "at": "<aws.events.event.ingestion-time>"}"#),
            (#"{}"#, "<aws.events.event.json>"),
            (#"{"a":"$.detail.a","missing":"$.detail.nothing"}"#, "plain text <a> and <missing>!"),
            (#"{"d":"$.detail","id":"$.id","r":"$.resources[0]"}"#, #"[<d>, "<id>", <r>]"#),
        ].map { Array($0.0.utf8) + [Self.separator] + Array($0.1.utf8) + [Self.separator] + Array(Self.defaultEvent.utf8) }
    }

    var dictionary: [[UInt8]] {
        ["<a>", "\"<a>\"", "<aws.events.event>", "<aws.events.event.json>", "<aws.events.rule-arn>", "<>", "<a",
         "\"$.detail\"", "\"$.detail.n[0]\"", "\"$\"", "\"$..a\"", "\"$.detail.*\"", "[\u{1E}]"].map(\.bytes)
    }

    func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
        let sections = input.split(separator: Self.separator, maxSplits: 2, omittingEmptySubsequences: false)
        guard sections.count >= 2, let template = String(validating: sections[1], as: UTF8.self) else { return .rejected }
        guard case .object(let map)? = try? JSONParser.parse(bytes: sections[0]) else { return .rejected }
        var pairs: [(String, String)] = []
        for m in map.members {
            guard case .string(let path) = m.value else { return .rejected }
            pairs.append((m.key, path))
        }
        let eventText = sections.count > 2 ? Array(sections[2]) : Array(Self.defaultEvent.utf8)
        guard let envelope = try? JSONParser.parse(bytes: eventText),
              let event = try? Event(envelope: envelope, defaults: RouterDefaults(), now: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000),
                                     random: SharedRandom(seed: 1))
        else { return .rejected }
        let transformer: InputTransformer
        do {
            transformer = try InputTransformer(pathsMap: pairs, template: template)
        } catch {
            try require(!error.message.isEmpty, "a transformer error without a message")
            return .rejected
        }
        let context = InputContext(event: event, ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r", ruleName: "r",
                                   ingestionTime: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000))
        let output: String
        do {
            output = try transformer.render(context)
        } catch {
            try require(!error.message.isEmpty, "a rendering error without a message")
            return .rejected
        }
        if transformer.isJSONTemplate {
            do { _ = try JSONParser.parse(output) } catch { throw FuzzFailure("a JSON template rendered text that is not JSON (\(error)): \(output)") }
        }
        let again = try? transformer.render(context)
        try require(again == output, "rendering twice gives different output")
        if template == "<aws.events.event.json>" {
            try require((try? JSONParser.parse(output)) == event.json, "<aws.events.event.json> is not the event: \(output)")
        }
        return .accepted
    }
}
