#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import EventRouter

/// `eventrouter match`: compiles a JSON array of event patterns into one ``RuleMatcher`` and
/// matches every line of an NDJSON events file. The logic lives in ``RuleSetFile`` and
/// ``RuleMatcher``.
struct MatchCommand: Command {
    static let name = "match"
    static let summary = "Match NDJSON events against a file of event patterns"
    static let flags: Set<String> = ["count"]
    static let help = """
        Usage: eventrouter match --rules RULES.json --events EVENTS.ndjson [--count]

        Compiles RULES.json, a JSON array of event patterns (rule i is the pattern at index i),
        and prints for every non-blank line of EVENTS.ndjson the sorted JSON array of the
        indexes of the rules it matches, e.g. [0,4]. EVENTS.ndjson is plain NDJSON (one event
        per line; decompress .gz files first, e.g. with 'gzip -dc').

        An invalid rule stops with an error naming its index (exit status 1). A line that is
        not valid JSON prints {"error":"line N: ..."} instead and the command goes on; the
        exit status is then 1 (with --count it stops with that error on stderr).

        Options:
          --rules FILE    the JSON array of event patterns
          --events FILE   the NDJSON events
          --count         print only {"events":N,"matches":M,"eventsPerSecond":X,"compileSeconds":Y}:
                          M counts (event, rule) pairs; the rate covers matching alone, with
                          the events already in memory
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let rulesPath = try arguments.requiredOption("rules")
        let eventsPath = try arguments.requiredOption("events")
        let count = arguments.flag("count")
        try arguments.finish()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: execute(rulesPath: rulesPath, eventsPath: eventsPath, count: count))
            }
        }
    }

    /// Blocking work, off the cooperative pool.
    private static func execute(rulesPath: String, eventsPath: String, count: Bool) -> Int32 {
        let rulesBytes: [UInt8], events: [UInt8]
        switch (readFile(rulesPath), readFile(eventsPath)) {
        case (.success(let r), .success(let e)):
            (rulesBytes, events) = (r, e)
        case (.failure(let error), _), (_, .failure(let error)):
            Output.err("eventrouter match: \(error)\n")
            return 1
        }
        let clock = ContinuousClock()
        let compileStart = clock.now
        var matcher: RuleMatcher
        do {
            matcher = RuleSetFile.matcher(try RuleSetFile.patterns(fromJSON: rulesBytes))
        } catch {
            Output.err("eventrouter match: \(rulesPath): \(error)\n")
            return 1
        }
        let compileSeconds = seconds(clock.now - compileStart)
        var output = OutputBuffer(fd: 1)
        var status: Int32 = 0
        let matchStart = clock.now
        let (lines, matches) = RuleSetFile.matchLines(events, with: &matcher) { result in
            if case .failed(let message) = result {
                status = 1
                if count {
                    Output.err("eventrouter match: \(eventsPath): \(message)\n")
                    return false
                }
            }
            if !count { output.appendLine(result.outputLine) }
            return true
        }
        let matchSeconds = seconds(clock.now - matchStart)
        if count {
            if status != 0 { return status }
            let rate = matchSeconds > 0 ? Double(lines) / matchSeconds : 0
            output.appendLine(
                "{\"events\":\(lines),\"matches\":\(matches),\"eventsPerSecond\":\(Int(rate.rounded())),\"compileSeconds\":\(compileSeconds)}"
            )
        }
        output.flush()
        return status
    }

    private static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    private static func readFile(_ path: String) -> Result<[UInt8], TextFileError> {
        do {
            guard let bytes = try TextFile.readBytes(path) else { return .failure(TextFileError("cannot read \(path): it does not exist")) }
            return .success(bytes)
        } catch {
            return .failure(error)
        }
    }
}
