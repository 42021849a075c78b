import EventRouter
import Foundation

/// `eventrouter-bench patterns`: every rule set of `../shared/bench/rules/` against its data
/// file, reporting matches (checked against the expected counts), events/second (median of
/// several passes after a warm-up pass, one thread, parse + match from the raw JSON text; also
/// per second of the thread's CPU time, which a busy machine disturbs less) and the time to
/// parse and to compile the rules.
enum PatternBenchmark {
    static let summary = "event-pattern matching throughput on the ../shared/bench workloads"

    static let help = """
        Usage: swift run -c release eventrouter-bench patterns --data DIR [--rules DIR] [--only NAME,...] [--passes N]

        --data DIR    folder with citylots2-synth.json.gz and eb-synth.json.gz, made by
                      python3 ../shared/bench/gen_citylots.py DIR and gen_eb.py DIR; a
                      decompressed NAME.json next to NAME.json.gz is used instead when present
                      (otherwise the .gz is read through 'gzip -dc')
        --rules DIR   the rule sets (default ../shared/bench/rules)
        --only LIST   comma-separated rule-set names (default: all, in the README's order)
        --passes N    timed passes per rule set after one warm-up pass (default 5)
        """

    /// Rule sets in the order of the bench README, with the match counts a correct matcher reports.
    static let expected: [(name: String, matches: Int?)] = [
        ("EXACT", 3), ("WILDCARD", 1_710), ("PREFIX", 14_081), ("PREFIX_EQUALS_IGNORE_CASE", 14_081),
        ("SUFFIX", 69_907), ("SUFFIX_EQUALS_IGNORE_CASE", 69_907), ("EQUALS_IGNORE_CASE", 133_528),
        ("NUMERIC", 342_822), ("ANYTHING_BUT", 721_164), ("ANYTHING_BUT_IGNORE_CASE", 721_164),
        ("ANYTHING_BUT_PREFIX", 720_403), ("ANYTHING_BUT_SUFFIX", 714_392), ("ANYTHING_BUT_WILDCARD", 1_063_630),
        ("COMPLEX_ARRAYS", 345_528), ("PARTIAL_COMBO", 4_297_659), ("COMBO", 4_643_187),
        ("SCALE_EXACT_10", 12), ("SCALE_EXACT_100", 117), ("SCALE_EXACT_1000", 1_146), ("SCALE_EXACT_10000", 11_541),
        ("SCALE_PREFIX_10", 165), ("SCALE_PREFIX_100", 1_578), ("SCALE_PREFIX_1000", 15_140),
        ("SCALE_PREFIX_10000", 25_934),
        ("SCALE_2FIELD_EXACT_10", 132), ("SCALE_2FIELD_EXACT_100", 2_059), ("SCALE_2FIELD_EXACT_1000", 28_612),
        ("SCALE_2FIELD_EXACT_10000", 328_336),
        ("SCALE_NUMERIC_RANGE_10", 9_781), ("SCALE_NUMERIC_RANGE_100", 136_233),
        ("SCALE_NUMERIC_RANGE_1000", 1_702_402), ("SCALE_NUMERIC_RANGE_10000", 15_803_782),
        ("SCALE_WILDCARD_10", 37), ("SCALE_WILDCARD_100", 396), ("SCALE_WILDCARD_1000", 3_899),
        ("EB_EXACT_10", 58), ("EB_EXACT_100", nil), ("EB_EXACT_1000", nil), ("EB_EXACT_10000", 62_420),
        ("EB_MIXED_10", 32), ("EB_MIXED_100", 357), ("EB_MIXED_1000", 3_647), ("EB_MIXED_10000", 36_504),
    ]

    /// Events of one data file in memory: the text and the byte range of each line.
    final class EventFile {
        let bytes: [UInt8]
        let lines: [Range<Int>]
        init(bytes: [UInt8]) {
            self.bytes = bytes
            self.lines = RuleSetFile.lines(bytes).map(\.range)
        }
    }

    static func run(_ arguments: [String]) -> Int32 {
        var data: String?
        var rules = ["../shared/bench/rules", "../../shared/bench/rules"].first { FileManager.default.fileExists(atPath: $0) }
            ?? "../shared/bench/rules"
        var only: Set<String>?
        var passes = 5
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            let value = i + 1 < arguments.count ? arguments[i + 1] : nil
            switch a {
            case "--help", "-h":
                Console.out(help)
                return 0
            case "--data": data = value; i += 1
            case "--rules": rules = value ?? rules; i += 1
            case "--only": only = Set((value ?? "").split(separator: ",").map(String.init)); i += 1
            case "--passes": passes = max(1, Int(value ?? "") ?? 5); i += 1
            default:
                Console.err("eventrouter-bench patterns: unknown option '\(a)'\n\n\(help)\n")
                return 2
            }
            i += 1
        }
        guard let data else {
            Console.err("eventrouter-bench patterns: --data DIR is required\n\n\(help)\n")
            return 2
        }
        var selected = expected.filter { only?.contains($0.name) ?? true }
        if let only {
            for name in only.sorted() where !selected.contains(where: { $0.name == name }) { selected.append((name, nil)) }
        }
        var files: [String: EventFile] = [:]
        Console.out("| rule set | rules | matches | expected | events/s | events/CPU-s | parse ms | compile ms |")
        Console.out("|---|---:|---:|---|---:|---:|---:|---:|")
        var failures = 0
        for (name, expectedMatches) in selected {
            let fileName = name.hasPrefix("EB_") ? "eb-synth" : "citylots2-synth"
            if files[fileName] == nil {
                do {
                    files[fileName] = EventFile(bytes: try loadEvents(directory: data, name: fileName))
                } catch {
                    Console.err("eventrouter-bench patterns: \(error)\n")
                    return 1
                }
            }
            guard let events = files[fileName] else { return 1 }
            guard let result = measure(name: name, rulesDirectory: rules, events: events, passes: passes) else {
                failures += 1
                continue
            }
            let check: String
            if let expectedMatches {
                check = expectedMatches == result.matches ? "OK" : "MISMATCH (\(expectedMatches))"
                if expectedMatches != result.matches { failures += 1 }
            } else {
                check = "n/a"
            }
            Console.out("| \(name) | \(result.rules) | \(result.matches) | \(check) | \(format(result.eventsPerSecond)) | \(format(result.eventsPerCPUSecond)) | \(String(format: "%.1f", result.parseMs)) | \(String(format: "%.1f", result.compileMs)) |")
        }
        return failures == 0 ? 0 : 1
    }

    struct Result {
        var rules: Int
        var matches: Int
        var eventsPerSecond: Double
        /// Events per second of this thread's CPU time: less sensitive to a busy machine.
        var eventsPerCPUSecond: Double
        var parseMs: Double
        var compileMs: Double
    }

    static func measure(name: String, rulesDirectory: String, events: EventFile, passes: Int) -> Result? {
        let path = rulesDirectory + "/" + name + ".json"
        guard let ruleBytes = FileManager.default.contents(atPath: path) else {
            Console.err("eventrouter-bench patterns: cannot read \(path)\n")
            return nil
        }
        let clock = ContinuousClock()
        let t0 = clock.now
        let patterns: [EventPattern]
        do {
            patterns = try RuleSetFile.patterns(fromJSON: [UInt8](ruleBytes))
        } catch {
            Console.err("eventrouter-bench patterns: \(path): \(error)\n")
            return nil
        }
        let t1 = clock.now
        var matcher = RuleSetFile.matcher(patterns)
        let t2 = clock.now
        var rates: [Double] = []
        var cpuRates: [Double] = []
        var matches = 0
        var ids: [Int] = []
        for pass in 0...passes {
            var total = 0
            var errors = 0
            let start = clock.now
            let cpuStart = threadCPUSeconds()
            events.bytes.withUnsafeBytes { raw in
                for range in events.lines {
                    do {
                        try matcher.matches(eventUTF8: UnsafeRawBufferPointer(rebasing: raw[range]), into: &ids)
                        total += ids.count
                    } catch {
                        errors += 1
                    }
                }
            }
            let elapsed = seconds(clock.now - start)
            let cpu = threadCPUSeconds() - cpuStart
            if errors > 0 { Console.err("\(name): \(errors) events could not be read\n") }
            matches = total
            if pass > 0 {
                rates.append(Double(events.lines.count) / elapsed)
                cpuRates.append(Double(events.lines.count) / max(cpu, 1e-9))
            }
        }
        rates.sort()
        cpuRates.sort()
        return Result(
            rules: patterns.count, matches: matches, eventsPerSecond: rates[rates.count / 2],
            eventsPerCPUSecond: cpuRates[cpuRates.count / 2],
            parseMs: seconds(t1 - t0) * 1000, compileMs: seconds(t2 - t1) * 1000)
    }

    /// The events of `name`: `DIR/name.json` when present, else `DIR/name.json.gz` through `gzip -dc`.
    static func loadEvents(directory: String, name: String) throws -> [UInt8] {
        let plain = directory + "/" + name + ".json"
        if let data = FileManager.default.contents(atPath: plain) { return [UInt8](data) }
        let gz = plain + ".gz"
        guard FileManager.default.fileExists(atPath: gz) else {
            throw BenchError("no \(plain) or \(gz): generate it with python3 ../shared/bench/\(name.hasPrefix("eb") ? "gen_eb.py" : "gen_citylots.py") \(directory)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", gz]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("gzip -dc \(gz) failed with status \(process.terminationStatus)") }
        return [UInt8](data)
    }

    struct BenchError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// CPU time this thread has used, in seconds.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    static func format(_ rate: Double) -> String {
        rate >= 1e6 ? String(format: "%.2fM", rate / 1e6) : String(format: "%.0fK", rate / 1e3)
    }
}
