#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import EventRouter

/// `eventrouter test-event-pattern`: tests an event pattern against an event, or a stream of
/// NDJSON pairs with `--batch`. The logic lives in ``PatternTester``.
struct TestEventPatternCommand: Command {
    static let name = "test-event-pattern"
    static let summary = "Test an EventBridge event pattern against an event"
    static let flags: Set<String> = ["batch"]
    static let help = """
        Usage: eventrouter test-event-pattern --event-pattern JSON --event JSON
               eventrouter test-event-pattern --batch < pairs.ndjson

        Prints {"Result":true} or {"Result":false}, as 'aws events test-event-pattern' does.
        JSON may be given inline or as @FILE to read it from a file. The event must hold the
        envelope fields id, account, source, time, region, resources and detail-type.
        An invalid pattern or event prints the error on stderr and exits with status 1.

        Options:
          --event-pattern JSON   the event pattern (or @FILE)
          --event JSON           the event (or @FILE)
          --batch                read NDJSON lines {"pattern": P, "event": E} from stdin and write
                                 one line per input line: {"match":true|false} or {"error":"..."};
                                 P or E given as a JSON string is raw text to parse; no envelope
                                 fields are required
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        if arguments.flag("batch") {
            try arguments.finish()
            return await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: runBatch()) }
            }
        }
        let patternText = try readArgument(try arguments.requiredOption("event-pattern"), option: "event-pattern")
        let eventText = try readArgument(try arguments.requiredOption("event"), option: "event")
        try arguments.finish()
        do {
            let result = try PatternTester.test(pattern: patternText, event: eventText)
            Output.out(result ? "{\"Result\":true}\n" : "{\"Result\":false}\n")
            return 0
        } catch {
            Output.err("\(error)\n")
            return 1
        }
    }

    /// The text of an option: inline, or the contents of the file after `@`.
    private static func readArgument(_ value: String, option: String) throws(UsageError) -> String {
        do { return try TextFile.argument(value) } catch { throw UsageError("--\(option): \(error)") }
    }

    /// Streams stdin to stdout, one output line per input line. Blocking; runs off the
    /// cooperative pool.
    private static func runBatch() -> Int32 {
        var output = OutputBuffer(fd: 1)
        var lines = LineAccumulator()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        func emit(_ line: ArraySlice<UInt8>) { output.appendLine(PatternTester.batchLine(line)) }
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if n == 0 { break }
            lines.append(chunk[0..<n], line: emit)
        }
        lines.finish(line: emit)
        output.flush()
        return 0
    }
}
