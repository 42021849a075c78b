import Foundation
import Testing
import EventRouter
@testable import EventRouterCloudFormation

/// CloudFormation's short-form tags, template shapes from AWS's documentation, and bad YAML
/// with the line and column in the message.
@Suite struct YAMLTemplateTests {
    static func json(_ yaml: String) throws -> JSONValue { try TemplateReader.read(yaml).json }

    @Test(arguments: [
        ("a: !Ref Bucket", #"{"a":{"Ref":"Bucket"}}"#),
        ("a: !GetAtt Queue.Arn", #"{"a":{"Fn::GetAtt":["Queue","Arn"]}}"#),
        ("a: !GetAtt [Queue, Arn]", #"{"a":{"Fn::GetAtt":["Queue","Arn"]}}"#),
        ("a: !GetAtt\n  - Queue\n  - QueueName", #"{"a":{"Fn::GetAtt":["Queue","QueueName"]}}"#),
        ("a: !Sub 'arn:${AWS::Partition}:s3:::${B}'", #"{"a":{"Fn::Sub":"arn:${AWS::Partition}:s3:::${B}"}}"#),
        ("a: !Sub\n  - '${A}-${x}'\n  - x: !Ref Y", #"{"a":{"Fn::Sub":["${A}-${x}",{"x":{"Ref":"Y"}}]}}"#),
        ("a: !Join [':', [a, !Ref B]]", #"{"a":{"Fn::Join":[":",["a",{"Ref":"B"}]]}}"#),
        ("a: !Select [0, !GetAZs '']", #"{"a":{"Fn::Select":[0,{"Fn::GetAZs":""}]}}"#),
        ("a: !Split [',', !ImportValue Shared-Subnets]", #"{"a":{"Fn::Split":[",",{"Fn::ImportValue":"Shared-Subnets"}]}}"#),
        ("a: !If [IsProd, 5, !Ref AWS::NoValue]", #"{"a":{"Fn::If":["IsProd",5,{"Ref":"AWS::NoValue"}]}}"#),
        ("a: !Equals [!Ref Env, prod]", #"{"a":{"Fn::Equals":[{"Ref":"Env"},"prod"]}}"#),
        ("a: !And [!Condition A, !Not [!Condition B]]", #"{"a":{"Fn::And":[{"Condition":"A"},{"Fn::Not":[{"Condition":"B"}]}]}}"#),
        ("a: !Or [!Condition A, !Condition B]", #"{"a":{"Fn::Or":[{"Condition":"A"},{"Condition":"B"}]}}"#),
        ("a: !FindInMap [M, !Ref AWS::Region, Size]", #"{"a":{"Fn::FindInMap":["M",{"Ref":"AWS::Region"},"Size"]}}"#),
        ("a: !Base64 hello", #"{"a":{"Fn::Base64":"hello"}}"#),
        ("a: !Cidr [10.0.0.0/16, 4, 8]", #"{"a":{"Fn::Cidr":["10.0.0.0/16",4,8]}}"#),
        ("a: !Sub |\n  {\"id\": \"${Id}\"}\n", #"{"a":{"Fn::Sub":"{\"id\": \"${Id}\"}\n"}}"#),
        ("a: !ImportValue\n  Fn::Sub: '${Net}-Bus'", #"{"a":{"Fn::ImportValue":{"Fn::Sub":"${Net}-Bus"}}}"#),
        ("a: &x !Ref Q\nb: *x", #"{"a":{"Ref":"Q"},"b":{"Ref":"Q"}}"#),
        ("Account: 012345678901", #"{"Account":12345678901}"#),
    ])
    func shortFormTagsBecomeTheLongForm(_ yaml: String, _ expected: String) throws {
        #expect(try Self.json(yaml) == (try JSONParser.parse(expected)), "\(yaml)")
    }

    @Test func anAccountIdWithALeadingZeroKeepsItsTextAsAString() throws {
        let node = try TemplateReader.read("Account: 012345678901")
        #expect(node["Account"]?.scalarText == "012345678901")
    }

    static let awsDocsRule = """
    AWSTemplateFormatVersion: "2010-09-09"
    Description: >-
      EventBridge rule that sends EC2 state changes
      to an SQS queue
    Parameters:
      Env:
        Type: String
        AllowedValues: [dev, prod]
    Resources:
      MyQueue:
        Type: AWS::SQS::Queue
      EventRule:
        Type: AWS::Events::Rule
        Properties:
          Description: "EventRule"
          EventPattern:
            source:
              - "aws.ec2"
            detail-type:
              - "EC2 Instance State-change Notification"
            detail:
              state:
                - "stopping"
          State: "ENABLED"
          Targets:
            -
              Arn: !GetAtt MyQueue.Arn
              Id: "TargetQueue"
              InputTransformer:
                InputPathsMap:
                  instance: $.detail.instance-id
                InputTemplate: |
                  "Instance <instance> is stopping" # not a comment
    Outputs:
      QueueUrl:
        Value: !Ref MyQueue
        Export: { Name: !Sub "${AWS::StackName}-Queue" }
    """

    @Test func aRuleTemplateInTheShapeOfAWSsDocumentationReads() throws {
        let t = try TemplateReader.read(Self.awsDocsRule)
        #expect(t["Description"]?.json == "EventBridge rule that sends EC2 state changes to an SQS queue")
        let rule = try #require(t["Resources"]?["EventRule"]?["Properties"])
        #expect(rule["EventPattern"]?.json == ["source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": ["state": ["stopping"]]])
        let target = try #require(rule["Targets"]?.items?.first)
        #expect(target["Arn"]?.json == ["Fn::GetAtt": ["MyQueue", "Arn"]])
        #expect(target["InputTransformer"]?["InputTemplate"]?.json == "\"Instance <instance> is stopping\" # not a comment\n")
        #expect(target["InputTransformer"]?["InputPathsMap"]?["instance"]?.json == "$.detail.instance-id")
        #expect(t["Outputs"]?["QueueUrl"]?["Export"]?["Name"]?.json == ["Fn::Sub": "${AWS::StackName}-Queue"])
        #expect(t["Resources"]?.members?.first { $0.key == "EventRule" }?.line == 12)
    }

    @Test(arguments: [
        ("a: 1\n---\nb: 2\n", YAMLError(line: 2, column: 1, "a second YAML document starts here; a CloudFormation template is one document: remove the '---' and what follows, or split the file")),
        ("a: !Reff X\n", YAMLError(line: 1, column: 4, "unknown tag '!Reff'; CloudFormation's short forms are \(TemplateReader.intrinsicTags.keys.sorted().joined(separator: ", "))")),
        ("a:\n\tb: 1\n", YAMLError(line: 2, column: 1, "a tab character indents this line; YAML indentation must be spaces")),
        ("a: \"open\nb: 1\n", YAMLError(line: 1, column: 4, "unterminated double-quoted scalar; add the closing \"")),
        ("a: [1, 2\n", YAMLError(line: 1, column: 4, "unterminated flow sequence; add ']'")),
        ("a: 1\na: 2\n", YAMLError(line: 2, column: 1, "duplicate mapping key 'a' (first at line 1); keys must be unique")),
        ("a: *nothing\n", YAMLError(line: 1, column: 4, "alias '*nothing' names no anchor defined above it; define '&nothing' first")),
        ("a:\n  b: 1\n   c: 2\n", YAMLError(line: 3, column: 4, "this line is indented more than the mapping entries above it (column 3); align it or check the line before")),
        ("a: b: c\n", YAMLError(line: 1, column: 4, "a mapping cannot start on the same line as its key; start it on the next line")),
        ("a: \"\\q\"\n", YAMLError(line: 1, column: 5, "unknown escape '\\q' in a double-quoted scalar; write \\\\ for a backslash")),
        ("a: !GetAtt Queue\n", YAMLError(line: 1, column: 4, "!GetAtt Queue needs the form LogicalId.Attribute")),
        ("{\"a\": 1,}", YAMLError(line: 1, column: 9, "invalid JSON: expected a string key in the object, found '}'")),
    ])
    func badYAMLNamesTheLineAndColumn(_ yaml: String, _ expected: YAMLError) {
        #expect(throws: expected) { try TemplateReader.read(yaml) }
    }

    @Test func aliasesThatExpandTooFarAreRefused() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for k in 1...8 { yaml += "a\(k): &a\(k) [" + Array(repeating: "*a\(k - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(throws: YAMLError.self) { try TemplateReader.read(yaml) }
    }
}

/// Seeded mutations of the test templates: the reader and the importer return or throw, never crash or hang.
@Suite struct YAMLMutationTests {
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    @Test func mutatedTemplatesAreReadOrRefusedWithAPosition() throws {
        let folder = TemplateTestSupport.templates
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let texts = try names.map { Array(try String(contentsOfFile: folder + "/" + $0, encoding: .utf8).utf8) }
        let alphabet = Array(" \n\t:-[]{},'\"|>#&*!?%@`\\.0aZ".utf8)
        var rng = SplitMix(state: 16)
        var refused = 0
        for round in 0..<400 {
            var bytes = texts[round % texts.count]
            for _ in 0...rng.below(4) {
                guard !bytes.isEmpty else { break }
                let at = rng.below(bytes.count)
                switch rng.below(3) {
                case 0: bytes[at] = alphabet[rng.below(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            // The importer too: every problem has a file and a message, nothing crashes.
            let source = TemplateSource(path: names[round % names.count], text: text, directory: nil, stackName: "m", account: "123456789012", region: "us-east-1")
            do { _ = try TemplateImporter.run([source], options: ImportOptions(parameters: ["Env": "prod"])) } catch {
                #expect(error.problems.allSatisfy { !$0.message.isEmpty && $0.file == source.path })
            }
            do throws(YAMLError) { _ = try TemplateReader.read(text) } catch {
                refused += 1
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
        #expect(refused > 20)
    }
}

/// Found by the `yaml` fuzz target (JSON read through the YAML reader): JSON writes characters
/// beyond the BMP as a `\u` surrogate pair, which YAML 1.2's JSON compatibility reads as one
/// character; the reader refused it. And `\u` / `\x` took a sign (`"\u+041"` read as `A`).
extension YAMLTemplateTests {
    @Test(arguments: [
        (#"a: "\ud83d\ude00""#, "\u{1F600}"), (#"a: "x\uD83D\uDE00y""#, "x\u{1F600}y"), (#"a: "\U0001F600""#, "\u{1F600}"),
        (#"a: "\u00e9\x41""#, "éA"),
    ])
    func surrogatePairsReadAsOneCharacter(_ yaml: String, _ expected: String) throws {
        #expect(try YAMLParser.parse(yaml) == YAMLParser.parse("a: \"\(expected)\""))
    }

    @Test(arguments: [
        (#"a: "\ud83d""#, YAMLError(line: 1, column: 5, #"escape \uD83D is the first half of a UTF-16 surrogate pair with no \uDC00…\uDFFF after it; write the pair or the character itself"#)),
        (#"a: "\ud83d\u0041""#, YAMLError(line: 1, column: 5, #"escape \uD83D is the first half of a UTF-16 surrogate pair with no \uDC00…\uDFFF after it; write the pair or the character itself"#)),
        (#"a: "\ude00""#, YAMLError(line: 1, column: 5, "escape \\u needs 4 hexadecimal digits naming a Unicode scalar")),
        (#"a: "\u+041""#, YAMLError(line: 1, column: 5, "escape \\u needs 4 hexadecimal digits naming a Unicode scalar")),
        (#"a: "\x-1""#, YAMLError(line: 1, column: 5, "escape \\x needs 2 hexadecimal digits naming a Unicode scalar")),
    ])
    func badUnicodeEscapesNameTheEscape(_ yaml: String, _ expected: YAMLError) {
        #expect(throws: expected) { try YAMLParser.parse(yaml) }
    }
}
