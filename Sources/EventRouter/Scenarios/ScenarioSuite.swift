import Foundation

/// The scenarios of a workspace (`Rules/scenarios/*.json`) or named files, read, checked and run
/// one by one, each on a fresh runtime (`eventrouter test`).
public enum ScenarioSuite {
    /// The folder of a workspace that holds its scenarios.
    public static let folder = "Rules/scenarios"

    /// One scenario file's result: invalid (problems), or run (outcome).
    public struct Entry: Sendable {
        public var name: String
        public var file: String
        public var problems: [ValidationProblem]
        public var outcome: ScenarioOutcome?

        public var passed: Bool { outcome?.passed == true && !problems.hasErrors }

        /// The line(s) `eventrouter test` prints.
        public var text: String {
            if problems.hasErrors {
                return "INVALID \(name) (\(file)):\n" + problems.filter { $0.severity == .error }.map { "     \($0.description)\n" }.joined()
            }
            return outcome?.text ?? "INVALID \(name)\n"
        }
    }

    /// The scenario files of `directory`'s `Rules/scenarios/`, sorted (empty when there is none).
    public static func files(inWorkspace directory: String) -> [String] {
        let folder = (directory as NSString).appendingPathComponent(Self.folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// Reads and checks the scenario at `path` (shown as `shownPath`) against `workspace`
    /// without running it (`eventrouter validate`): the scenario, or `nil` with the problems.
    public static func check(path: String, shownPath: String? = nil, workspace: Workspace, directory: String) -> (Scenario?, Entry) {
        let shown = shownPath ?? path
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let text: String
        do {
            guard let t = try TextFile.read(path) else {
                return (nil, Entry(name: name, file: shown, problems: [ValidationProblem(file: shown, path: "$", "no such scenario file")], outcome: nil))
            }
            text = t
        } catch {
            return (nil, Entry(name: name, file: shown, problems: [ValidationProblem(file: shown, path: "$", "cannot read the scenario: \(error)")], outcome: nil))
        }
        let (scenario, problems) = ScenarioParser.parse(text: text, file: shown, name: name, workspace: workspace, directory: directory)
        return (scenario, Entry(name: name, file: shown, problems: problems, outcome: nil))
    }

    /// Reads and runs the scenario at `path` (shown as `shownPath`).
    public static func run(path: String, shownPath: String? = nil, workspace: Workspace, directory: String, seed: UInt64,
                           functionRegistry: SwiftFunctionRegistry) async -> Entry {
        var (scenario, entry) = check(path: path, shownPath: shownPath, workspace: workspace, directory: directory)
        guard let scenario else { return entry }
        entry.outcome = await ScenarioRunner.run(scenario, workspace: workspace, seed: seed, functionRegistry: functionRegistry)
        return entry
    }

    /// JUnit XML (the common shape CI systems read: `testsuites/testsuite/testcase` with
    /// `failure` / `error` children). Times are 0: runs are on virtual time and the file is
    /// deterministic for a seed.
    public static func junit(_ entries: [Entry], seed: UInt64) -> String {
        let failures = entries.count { $0.outcome != nil && !$0.passed }
        let errors = entries.count { $0.outcome == nil }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuites name=\"eventrouter test\" tests=\"\(entries.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"0\">\n"
        x += "  <testsuite name=\"scenarios\" tests=\"\(entries.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\" time=\"0\">\n"
        x += "    <properties><property name=\"seed\" value=\"\(seed)\"/></properties>\n"
        for e in entries {
            x += "    <testcase classname=\"scenarios\" name=\"\(escape(e.name))\" file=\"\(escape(e.file))\" time=\"0\""
            if e.passed { x += "/>\n"; continue }
            x += ">\n"
            if let f = e.outcome?.failure {
                x += "      <failure message=\"\(escape(f.path + ": " + f.summary))\" type=\"ExpectationFailed\">\(escape(e.text, newlines: false))</failure>\n"
            } else {
                let first = e.problems.first { $0.severity == .error }?.description ?? "invalid scenario"
                x += "      <error message=\"\(escape(first))\" type=\"InvalidScenario\">\(escape(e.text, newlines: false))</error>\n"
            }
            x += "    </testcase>\n"
        }
        x += "  </testsuite>\n</testsuites>\n"
        return x
    }

    static func escape(_ s: String, newlines: Bool = true) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += newlines ? "&#10;" : "\n"
            default:
                if c.value < 0x20 && c != "\t" { out += "&#\(c.value);" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
