import EventRouter
import EventRouterFuzzing
import Foundation

/// `eventrouter-fuzz TARGET|all (--iterations N | --seconds T) [--seed S] [--corpus DIR]`
/// (docs/fuzzing.md). Exit status: 0 no failure, 1 a property failed, 2 bad arguments.

let usage = """
    usage: eventrouter-fuzz TARGET|all (--iterations N | --seconds T) [--seed S] [--corpus DIR]
           eventrouter-fuzz --list
    targets: \(FuzzTargets.all.map(\.name).joined(separator: ", "))
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("eventrouter-fuzz: \(message)\n\(usage)\n".utf8))
    exit(2)
}

let options: FuzzOptions
do {
    options = try FuzzOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    fail(error.message)
}
if options.list {
    for t in FuzzTargets.all { print("\(t.name)\t\(t.summary)") }
    exit(0)
}

let directory = ".build/fuzz"
try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
var failed = false
for target in options.targets {
    var corpus: [[UInt8]] = []
    if let dir = options.corpus {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { fail("cannot list the corpus folder '\(dir)'") }
        for name in names.sorted() {
            if let data = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(name)) { corpus.append(Array(data)) }
        }
    }
    let stem = "\(directory)/\(target.name)-seed\(options.seed)"
    FuzzCrashRecorder.install(path: stem + ".crash", target: target.name, maximumInputSize: target.maximumInputSize)
    let driver = FuzzDriver(target: target, seed: options.seed, corpus: corpus, willRun: { FuzzCrashRecorder.note($0) })
    let report = await driver.run(options.budget)
    print(FuzzReportText.line(report, seed: options.seed))
    if let failure = report.failure {
        failed = true
        let path = stem + ".failure"
        let saved = FileManager.default.createFile(atPath: path, contents: Data(failure.input))
        print("  FAILURE: \(failure.message)")
        print("  input (\(failure.input.count) bytes)\(saved ? ", saved to \(path)" : ""):")
        print("  escaped: \(FuzzReportText.escaped(failure.input))")
        print("  base64:  \(Data(failure.input).base64EncodedString())")
    }
}
exit(failed ? 1 : 0)
