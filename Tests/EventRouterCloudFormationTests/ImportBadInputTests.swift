import Foundation
import Testing
import EventRouter
import EventRouterTesting
@testable import EventRouterCloudFormation

/// Every class of bad template input is reported with file, line and logical id — all at once,
/// nothing written.
@Suite struct ImportBadInputTests {
    static func problems(_ templates: [(String, String)], parameters: [String: String] = [:]) -> [String] {
        let sources = templates.map { TemplateSource(path: $0.0, text: $0.1, directory: nil, stackName: String($0.0.split(separator: ".")[0]),
                                                     account: "123456789012", region: "us-east-1") }
        do {
            _ = try TemplateImporter.run(sources, options: ImportOptions(parameters: parameters))
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    static func problems(_ text: String, parameters: [String: String] = [:]) -> [String] { problems([("t.yaml", text)], parameters: parameters) }

    static let rule = "Q:\n    Type: AWS::SQS::Queue\n"

    @Test(arguments: [
        ("syntax error",
         "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n   Properties: {}\n",
         "t.yaml:4: syntax error at column 4: this line is indented more than the mapping entries above it (column 3); align it or check the line before"),
        ("unknown intrinsic (long form)",
         "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {\"Fn::Concat\": [a, b]}\n",
         "t.yaml:5: Q: unknown intrinsic function Fn::Concat; CloudFormation's are \(StackContext.intrinsicKeys.sorted().joined(separator: ", "))"),
        ("unknown short-form tag",
         "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Concat [a, b]\n",
         "t.yaml:5: syntax error at column 18: unknown tag '!Concat'; CloudFormation's short forms are \(TemplateReader.intrinsicTags.keys.sorted().joined(separator: ", "))"),
        ("Ref to nothing",
         "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {source: [a]}\n      Targets: [{Id: t, Arn: !Ref Missing}]\n",
         "t.yaml:6: R: Ref Missing names no parameter, resource or pseudo parameter of this template"),
        ("GetAtt to nothing",
         "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {source: [a]}\n      Targets: [{Id: t, Arn: !GetAtt Missing.Arn}]\n",
         "t.yaml:6: R: Fn::GetAtt Missing names no resource of this template"),
        ("circular DependsOn",
         "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: B\n  B:\n    Type: AWS::SQS::Queue\n    DependsOn: [A]\n",
         "t.yaml:2: A: circular dependency: A → B → A (DependsOn and references may not form a circle)"),
        ("circular reference",
         "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${B.QueueName}-a'\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${A.QueueName}-b'\n",
         "t.yaml:2: A: circular dependency: A → B → A (DependsOn and references may not form a circle)"),
        ("DependsOn nothing",
         "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: Nope\n",
         "t.yaml:4: A: DependsOn Nope names no resource of this template"),
        ("missing parameter without default",
         "Parameters:\n  Env:\n    Type: String\nResources:\n  " + rule,
         "t.yaml:2: Env: parameter Env has no Default; give it with --parameter Env=VALUE"),
        ("undefined condition",
         "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: IsProd\n",
         "t.yaml:4: Q: condition IsProd is not defined in Conditions"),
        ("undefined condition in Fn::If",
         "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !If [Nope, a, b]\n",
         "t.yaml:5: Q: condition Nope is not defined in Conditions"),
        ("unresolved ImportValue",
         "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {source: [a]}\n      Targets: [{Id: t, Arn: !ImportValue other-QueueArn}]\n",
         "t.yaml:6: R: Fn::ImportValue 'other-QueueArn': no given template exports it; add the exporting template to the command (TEMPLATE@STACK) or replace the import"),
        ("property of the wrong type",
         "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: [30]\n",
         "t.yaml:5: Q: property VisibilityTimeout must be an integer, not a list"),
        ("targets not a list",
         "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {source: [a]}\n      Targets: {Id: t}\n",
         "t.yaml:6: R: property Targets must be a list, not a mapping"),
        ("serverless application",
         "Transform: AWS::Serverless-2016-10-31\nResources:\n  App:\n    Type: AWS::Serverless::Application\n    Properties: {Location: x}\n",
         "t.yaml:3: App: AWS::Serverless::Application (a nested application) cannot be imported; import its template as another TEMPLATE@STACK and replace its outputs with Fn::ImportValue"),
        ("multi-document",
         "Resources:\n  " + rule + "---\nResources: {}\n",
         "t.yaml:4: syntax error at column 1: a second YAML document starts here; a CloudFormation template is one document: remove the '---' and what follows, or split the file"),
    ])
    func eachBadInputClassHasItsMessage(_ name: String, _ template: String, _ expected: String) {
        let found = Self.problems(template)
        #expect(found.contains(expected), "\(name): \(found)")
    }

    @Test func aJSONTemplateNamesTheLineOfTheLogicalId() {
        let json = "{\n  \"Resources\": {\n    \"R\": {\n      \"Type\": \"AWS::Events::Rule\",\n      \"Properties\": {\"EventPattern\": {\"source\": [\"a\"]}, \"Targets\": [{\"Id\": \"t\", \"Arn\": {\"Ref\": \"Nope\"}}]}\n    }\n  }\n}\n"
        #expect(Self.problems([("t.json", json)]) == ["t.json:3: R: Ref Nope names no parameter, resource or pseudo parameter of this template"])
    }

    @Test func everyProblemOfEveryTemplateIsReportedAtOnce() {
        let a = "Parameters:\n  P:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: Missing\n"
        let b = "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {source: [a]}\n      Targets: [{Id: t, Arn: !Ref Nope}]\n"
        let c = "Resources: [\n"
        let found = Self.problems([("a.yaml", a), ("b.yaml", b), ("c.yaml", c)])
        #expect(found.count == 4, "\(found)")
        #expect(found.contains("a.yaml:2: P: parameter P has no Default; give it with --parameter P=VALUE"))
        #expect(found.contains("a.yaml:7: Q: condition Missing is not defined in Conditions"))
        #expect(found.contains("b.yaml:6: R: Ref Nope names no parameter, resource or pseudo parameter of this template"))
        #expect(found.contains { $0.hasPrefix("c.yaml:1: syntax error") })
    }

    @Test func aParameterGivenOnTheCommandLineAppliesToEveryTemplateThatDeclaresIt() {
        let t = "Parameters:\n  Env:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !Sub 'q-${Env}-${AWS::StackName}'}\n"
        #expect(Self.problems([("a.yaml", t), ("b.yaml", t)], parameters: ["Env": "dev", "Unused": "x"]).isEmpty)
    }

    // MARK: the command line

    /// Runs the built binary on a thread of its own (blocking pipe reads stay off the cooperative pool).
    static func run(_ arguments: [String], in directory: String) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await OwnThread.run { try runBlocking(arguments, in: directory) }
    }

    static func runBlocking(_ arguments: [String], in directory: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltExecutable.path("eventrouter"))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func theCommandWritesNothingAndExits1OnBadInputAnd2OnUsage() async throws {
        let dir = TemplateTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "Parameters:\n  Env:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !Sub 'q-${Env}'}\n"
            .write(toFile: dir + "/app.yaml", atomically: true, encoding: .utf8)
        let bad = try await Self.run(["import", "app.yaml", "--out", "ws"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr == "eventrouter import: 1 problem; nothing was written:\n  app.yaml:2: Env: parameter Env has no Default; give it with --parameter Env=VALUE\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/ws"))
        let usage = try await Self.run(["import", "app.yaml"], in: dir)
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("eventrouter import: missing required option --out"))
        let badSpec = try await Self.run(["import", "app.yaml@app:12", "--out", "ws"], in: dir)
        #expect(badSpec.status == 2)
        #expect(badSpec.stderr.hasPrefix("eventrouter import: 'app.yaml@app:12': account '12' must be 12 digits"))
        let good = try await Self.run(["import", "app.yaml@shop::eu-west-1", "--out", "ws", "--parameter", "Env=dev"], in: dir)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("- `app.yaml` as stack `shop` in 123456789012/eu-west-1"))
        let rules = try String(contentsOfFile: dir + "/ws/Rules/shop.json", encoding: .utf8)
        #expect(rules.contains("\"QueueName\": \"q-dev\""))
        #expect(FileManager.default.fileExists(atPath: dir + "/ws/IMPORT-REPORT.md"))
        let validate = try await Self.run(["validate", "--workspace", "ws"], in: dir)
        #expect(validate.status == 0, "\(validate.stderr)")
    }
}

/// Small import behaviours without a template file of their own.
@Suite struct ImportDetailTests {
    static func run(_ text: String, parameters: [String: String] = [:]) throws -> TemplateImporter.Result {
        try TemplateImporter.run([TemplateSource(path: "t.yaml", text: text, directory: nil, stackName: "s", account: "123456789012", region: "us-east-1")],
                                 options: ImportOptions(parameters: parameters))
    }

    @Test func anAliasTargetDeliversToTheFunctionAndAnUnusedParameterIsNoted() throws {
        let result = try Self.run("""
            Resources:
              R:
                Type: AWS::Events::Rule
                Properties:
                  EventPattern: {source: [a]}
                  Targets: [{Id: f, Arn: arn:aws:lambda:us-east-1:123456789012:function:fn:live}]
            """, parameters: ["Nobody": "x"])
        let rules = try JSONParser.parse(result.files.first { $0.path == "Rules/s.json" }?.text ?? "")
        #expect(rules["Rules"]?[0]?["Targets"]?[0]?["Arn"] == "arn:aws:lambda:us-east-1:123456789012:function:fn")
        #expect(result.report.contains("rule s-R-"))
        #expect(result.report.contains("delivers to the function itself (EventRouter has no versions or aliases)"))
        #expect(result.report.contains("--parameter Nobody is declared by no template; it was not used"))
        #expect(result.files.contains { $0.path == "Functions/fn/standin.sh" && $0.executable })
    }

    @Test func codeFromALocalFolderIsCopiedWithLambdasManifestNames() throws {
        let source = TemplateSource(path: "app/t.yaml", text: """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: copy-me
                  Runtime: nodejs20.x
                  Handler: src/index.handler
                  CodeUri: fn/
                  Timeout: 7
                  ReservedConcurrentExecutions: 2
                  Environment: {Variables: {A: b}}
            """, directory: "app", stackName: "s", account: "123456789012", region: "us-east-1")
        let files = [ImportedFile(path: "src/index.js", text: "exports.handler = async e => e;\n"), ImportedFile(path: "package.json", text: "{}\n")]
        let result = try TemplateImporter.run([source], options: ImportOptions(fileReader: { path in path == "app/fn/" ? files : nil }))
        let manifest = try JSONParser.parse(result.files.first { $0.path == "Functions/copy-me/function.json" }?.text ?? "")
        #expect(manifest == ["Runtime": "nodejs20.x", "Handler": "src/index.handler", "Timeout": 7, "ReservedConcurrentExecutions": 2,
                             "Environment": ["Variables": ["A": "b"]], "Account": "123456789012", "Region": "us-east-1"])
        #expect(result.files.first { $0.path == "Functions/copy-me/src/index.js" }?.text == "exports.handler = async e => e;\n")
        #expect(result.report.contains("function copy-me (s/Fn): nodejs20.x, code from fn/"))
    }
}
