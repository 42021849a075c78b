import EventRouter
import EventRouterCloudFormation

/// The CloudFormation/SAM YAML reader (``YAMLParser``, behind `eventrouter` stack imports): any
/// text is parsed or refused with a ``YAMLError`` whose line and column lie inside the text and
/// whose message is not empty; parsing is deterministic; a parsed document that types as a
/// template (``TemplateReader/convert(_:)``) is written by ``YAMLWriter`` as YAML that reads back
/// as the same JSON; ``TemplateReader/read(_:)`` (JSON or YAML) never traps. Aliases are bounded
/// (``YAMLParser/maximumNodes``), so "billion laughs" documents are refused, not expanded.
struct YAMLTarget: FuzzTarget {
    let name = "yaml"
    let summary = "YAMLParser: parsed or a YAMLError with a line and column inside the text; deterministic; YAMLWriter output reads back as the same JSON; aliases bounded"
    let maximumInputSize = 8192

    var seeds: [[UInt8]] {
        [
            """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Resources:
              Orders:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub "${AWS::StackName}-orders"
                  VisibilityTimeout: 30
              Rule:
                Type: AWS::Events::Rule
                Properties:
                  EventPattern:
                    source: [shop]
                    detail-type:
                      - OrderPlaced
                      - prefix: Order
                  Targets:
                    - Id: q
                      Arn: !GetAtt Orders.Arn
                      InputTransformer:
                        InputPathsMap: {id: $.detail.id}
                        InputTemplate: |
                          {"id": <id>,
                           "env": "dev"}
            Outputs:
              Url: {Value: !Ref Orders, Export: {Name: !Sub '${AWS::StackName}-url'}}
            """,
            """
            %YAML 1.2
            ---
            base: &base {Type: String, Default: 'it''s'}
            A: *base
            B: &seq [1, 0x1F, 0o17, -.inf, .nan, ~, null, true, yes, "\\u00e9\\x41\\t"]
            C: *seq
            folded: >-
              one
              two

              three
            kept: |+2
                indented

            ...
            """,
            // Ten to the sixth nodes once the aliases are expanded: over the bound, refused.
            "x: &a [l, l, l, l, l, l, l, l, l, l]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                + "w: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nv: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nu: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
            "\u{FEFF}Resources:\r\n  Q:\r\n    Type: AWS::SNS::Topic\r\n    Properties: {TopicName: t, Tags: [{Key: k, Value: v}]}\r\n",
            "- !Join ['', [a, !Select [0, !Split [',', 'b,c']]]]\n- !If [C, !Ref AWS::NoValue, {a: 1}]\n- ! plain\n- !!str 12\n- !<tag:yaml.org,2002:int> '7'\n",
            "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"QueueName\": \"q\"}}}}",
            "a:\n\tb: 1\n",
            // JSON, which the YAML reader must read as the JSON reader does.
            #"{"a":[1,2.50,-0,1E5,"x\u00e9\/"],"b":{"c":null,"d":true},"e":"\ud83d\ude00"}"#,
            "[ 1 ,\n\"a\\tb\", {\"k\" : [] , \"\" :{}}]",
            "key: 'multi\n  line'\nother: \"a\\\n  b\"\n# comment\nlast: plain # trailing\n  continued\n",
        ].map(\.bytes)
    }

    var dictionary: [[UInt8]] {
        ["!Ref ", "!Sub ", "!GetAtt ", "!If ", "&a ", "*a", "<<: ", ": ", "- ", "? ", "|", ">-", "|+", "'", "\"", "{", "}", "[", "]",
         ", ", "#", "\t", "\r\n", "\n  ", "---\n", "...\n", "%YAML 1.2\n", "%TAG ! tag:x:\n", "\\u", "\\x", "!!int ", "~", ".nan", "0x"].map(\.bytes)
    }

    func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
        let text = String(decoding: input, as: UTF8.self)
        let lines = text.utf8.split(separator: 10, omittingEmptySubsequences: false).map(\.count)
        // The template reader (JSON or YAML by the first character) never traps; its errors say where.
        do { _ = try TemplateReader.read(text) } catch { try Self.check(error, lines: lines, "TemplateReader.read") }
        try Self.checkJSONAsYAML(text)
        let first: Result<YAMLNode, YAMLError> = Result { () throws(YAMLError) in try YAMLParser.parse(text) }
        let second: Result<YAMLNode, YAMLError> = Result { () throws(YAMLError) in try YAMLParser.parse(text) }
        try require(first == second, "parsing the same text twice gave \(first) and then \(second)")
        let node: YAMLNode
        switch first {
        case .failure(let error):
            try Self.check(error, lines: lines, "YAMLParser.parse")
            return .rejected
        case .success(let parsed): node = parsed
        }
        // A document expanded by aliases to many nodes is read, but not written back (time).
        guard Self.nodes(node, upTo: 20_000) < 20_000 else { return .accepted }
        let json: JSONValue
        do { json = try TemplateReader.convert(node).json } catch {
            try Self.check(error, lines: lines, "TemplateReader.convert")
            return .rejected
        }
        let written = YAMLWriter.write(json)
        do {
            let back = try TemplateReader.read(written).json
            try require(back.jsonText == json.jsonText, "YAMLWriter's output reads back as \(back.jsonText), not \(json.jsonText); it wrote:\n\(written)")
        } catch {
            throw FuzzFailure("YAMLWriter's output does not read back (\(error)); it wrote:\n\(written)")
        }
        return .accepted
    }

    /// JSON is YAML 1.2 flow (and templates embed it, e.g. `EventPattern: {"source": ["a"]}`):
    /// JSON text the JSON reader accepts (no duplicate keys, nesting within the YAML bound) reads
    /// as the same value through the YAML reader. Not checked: JSON whose lines are indented with
    /// tabs, which YAML refuses by design ("a tab character indents this line").
    static func checkJSONAsYAML(_ text: String) throws(FuzzFailure) {
        let indentedWithTabs = text.utf8.split(separator: 10, omittingEmptySubsequences: false).contains { line in
            line.prefix { $0 == 32 || $0 == 9 || $0 == 13 }.contains(9)
        }
        guard !indentedWithTabs, let expected = try? JSONParser.parse(text, options: JSONParser.Options(maximumDepth: 300, rejectDuplicateKeys: true)) else { return }
        switch expected {
        case .object, .array: break
        default: return
        }
        do {
            let read = try TemplateReader.convert(YAMLParser.parse(text)).json
            try require(read.jsonText == expected.jsonText, "JSON read through the YAML reader as \(read.jsonText), the JSON reader gives \(expected.jsonText)")
        } catch {
            throw FuzzFailure("JSON refused by the YAML reader: \(error)")
        }
    }

    /// The number of nodes of `node`, counting no further than `limit`.
    static func nodes(_ node: YAMLNode, upTo limit: Int) -> Int {
        var count = 1
        switch node.content {
        case .scalar: break
        case .sequence(let items):
            for item in items where count < limit { count += nodes(item, upTo: limit - count) }
        case .mapping(let pairs):
            for pair in pairs where count < limit { count += nodes(pair.key, upTo: limit - count) + nodes(pair.value, upTo: limit - count) }
        }
        return count
    }

    /// An error names a line and a column inside the text and says something.
    /// `lines` holds the byte length of each line (split at LF, as the parser counts lines).
    static func check(_ error: YAMLError, lines: [Int], _ reader: String) throws(FuzzFailure) {
        try require(!error.message.isEmpty, "\(reader): a YAMLError without a message at line \(error.line)")
        try require(error.line >= 1 && error.line <= lines.count, "\(reader): line \(error.line) outside the text's \(lines.count) lines: \(error)")
        try require(error.column >= 1 && error.column <= lines[error.line - 1] + 1,
                    "\(reader): column \(error.column) outside line \(error.line) (\(lines[error.line - 1]) bytes): \(error)")
    }
}
