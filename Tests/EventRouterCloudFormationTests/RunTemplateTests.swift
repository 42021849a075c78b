import Foundation
import Testing
import EventRouterTesting

/// `eventrouter run --template`: imports into a temporary workspace and serves it.
@Suite struct RunTemplateTests {
    @Test func runServesAnImportedTemplateAndRefusesBadOnes() async throws {
        let dir = TemplateTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: served}\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {source: [a]}\n      Targets: [{Id: q, Arn: !GetAtt Q.Arn}]\n"
            .write(toFile: dir + "/app.yaml", atomically: true, encoding: .utf8)
        try "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: Nope\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)

        let bad = try await ImportBadInputTests.run(["run", "--template", "bad.yaml", "--in-memory", "--port", "0"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.yaml:4: Q: condition Nope is not defined in Conditions"))
        let both = try await ImportBadInputTests.run(["run", "--template", "app.yaml", "--workspace", ".", "--in-memory"], in: dir)
        #expect(both.status == 2)
        #expect(both.stderr.hasPrefix("eventrouter run: give --template or --workspace, not both"))

        let (text, errors) = try await OwnThread.run { () throws -> (String, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltExecutable.path("eventrouter"))
            process.arguments = ["run", "--template", "app.yaml", "--in-memory", "--port", "0"]
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            var text = ""
            while !text.contains("serving") {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            process.terminate()
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (text, errors)
        }
        #expect(text.contains("serving EventBridge, SQS, SNS, Kinesis, Lambda and STS for "), "\(text)\n\(errors)")
        #expect(text.contains("1 rule, 1 queue"), "\(text)")
        #expect(errors.contains("Imported into "))
    }
}
