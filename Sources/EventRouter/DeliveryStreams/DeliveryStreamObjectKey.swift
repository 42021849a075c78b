/// Where Firehose puts an object in its bucket: `<evaluated prefix><suffix>`, the suffix
/// `NAME-VERSION-YYYY-MM-DD-HH-MM-SS-UUID`. A prefix without `!{…}` expressions is followed by
/// the time as `YYYY/MM/dd/HH/`; with them, it is evaluated as written: `!{timestamp:FORMAT}`
/// (the letters `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss` and `'quoted'` text),
/// `!{firehose:error-output-type}` (`processing-failed`) and `!{firehose:random-string}`.
/// Failed records go under `ErrorOutputPrefix`, by default `processing-failed/YYYY/MM/dd/HH/`.
/// All times are UTC; the time of an object is the arrival time of its oldest record.
public enum DeliveryStreamObjectKey {
    /// The error output type of records a transform failed.
    public static let processingFailed = "processing-failed"

    /// Whether `prefix` holds `!{…}` expressions.
    public static func hasExpressions(_ prefix: String) -> Bool { prefix.contains("!{") }

    /// What is wrong with `prefix` (named `key` in the message), or `nil`.
    public static func prefixProblem(_ prefix: String, key: String) -> String? {
        if prefix.utf8.count > 1024 { return "'\(key)' must be at most 1024 bytes, got \(prefix.utf8.count)" }
        if prefix.hasPrefix("/") { return "'\(key)' must not start with '/' (it follows the bucket name), got '\(prefix)'" }
        switch evaluate(prefix, time: Timestamp(nanosecondsSinceEpoch: 0), errorOutputType: processingFailed, random: { "" }) {
        case .success: return nil
        case .failure(let problem): return "'\(key)': \(problem.message)"
        }
    }

    /// A prefix that cannot be evaluated.
    public struct Problem: Error, Sendable, Hashable {
        public var message: String
    }

    /// `prefix` with its expressions evaluated at `time`.
    public static func evaluate(_ prefix: String, time: Timestamp, errorOutputType: String?, random: () -> String) -> Result<String, Problem> {
        var out = ""
        var rest = Substring(prefix)
        while let start = rest.range(of: "!{") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                return .failure(Problem(message: "the expression at '\(rest[start.lowerBound...])' has no closing '}'"))
            }
            let body = rest[start.upperBound..<end]
            rest = rest[rest.index(after: end)...]
            let parts = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let namespace = parts.first.map(String.init) ?? ""
            let value = parts.count > 1 ? String(parts[1]) : ""
            switch (namespace, value) {
            case ("timestamp", _):
                switch format(time, value) {
                case .success(let text): out += text
                case .failure(let problem): return .failure(problem)
                }
            case ("firehose", "error-output-type"):
                guard let errorOutputType else {
                    return .failure(Problem(message: "!{firehose:error-output-type} may only appear in ErrorOutputPrefix"))
                }
                out += errorOutputType
            case ("firehose", "random-string"): out += random()
            default:
                return .failure(Problem(message: "EventRouter evaluates !{timestamp:FORMAT}, !{firehose:error-output-type} and !{firehose:random-string}, not !{\(body)}"))
            }
        }
        return .success(out + rest)
    }

    /// `time` in the pattern letters `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss` (Java's
    /// DateTimeFormatter names), with `'quoted'` text and other non-letters as they are.
    static func format(_ time: Timestamp, _ pattern: String) -> Result<String, Problem> {
        let t = Parts(time)
        let fields: [(String, String)] = [("yyyy", t.year), ("MM", t.month), ("dd", t.day), ("HH", t.hour), ("mm", t.minute), ("ss", t.second)]
        var out = ""
        var rest = Substring(pattern)
        if rest.isEmpty { return .failure(Problem(message: "!{timestamp:} needs a format such as yyyy/MM/dd")) }
        next: while let c = rest.first {
            if c == "'" {
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: "'") else { return .failure(Problem(message: "the quoted text in !{timestamp:\(pattern)} has no closing quote")) }
                out += body[..<close]
                rest = body[body.index(after: close)...]
                continue
            }
            for (letters, value) in fields where rest.hasPrefix(letters) {
                out += value
                rest = rest.dropFirst(letters.count)
                continue next
            }
            if c.isLetter {
                return .failure(Problem(message: "!{timestamp:\(pattern)}: EventRouter formats yyyy, MM, dd, HH, mm and ss, not the letter '\(c)' here"))
            }
            out.append(c)
            rest = rest.dropFirst()
        }
        return .success(out)
    }

    /// The prefix of an object at `time`: `prefix` evaluated, or followed by `YYYY/MM/dd/HH/`
    /// when it has no expressions; for failed records (`errorOutputType` set) `ErrorOutputPrefix`
    /// the same way, by default `processing-failed/YYYY/MM/dd/HH/`.
    public static func prefix(_ configuration: DeliveryStreamConfiguration, errorOutputType: String?, time: Timestamp,
                              random: () -> String) -> String {
        let t = Parts(time)
        let hours = "\(t.year)/\(t.month)/\(t.day)/\(t.hour)/"
        var written = configuration.prefix
        if let errorOutputType {
            written = configuration.errorOutputPrefix ?? ""
            if written.isEmpty { return "\(errorOutputType)/" + hours }
        }
        guard hasExpressions(written) else { return written + hours }
        // Checked when the stream was configured; a failure here keeps the prefix as written.
        switch evaluate(written, time: time, errorOutputType: errorOutputType ?? processingFailed, random: random) {
        case .success(let text): return text
        case .failure: return written + hours
        }
    }

    /// The full key: the prefix (see ``prefix(_:errorOutputType:time:random:)``) and
    /// `NAME-VERSION-YYYY-MM-DD-HH-MM-SS-UUID`.
    public static func key(_ configuration: DeliveryStreamConfiguration, errorOutputType: String?, time: Timestamp, uuid: String) -> String {
        let t = Parts(time)
        let suffix = "\(configuration.name)-\(configuration.version)-\(t.year)-\(t.month)-\(t.day)-\(t.hour)-\(t.minute)-\(t.second)-\(uuid)"
        return prefix(configuration, errorOutputType: errorOutputType, time: time, random: { String(uuid.replacingOccurrences(of: "-", with: "").prefix(11)) }) + suffix
    }

    /// The UTC parts of a time, zero-padded.
    struct Parts {
        var year, month, day, hour, minute, second: String

        init(_ time: Timestamp) {
            // `2024-05-01T12:00:00Z`
            let s = Array(time.iso8601.utf8)
            func part(_ from: Int, _ to: Int) -> String { String(decoding: s[from..<to], as: UTF8.self) }
            let offset = s.count - 20  // years past 9999 have more digits
            year = part(0, 4 + offset)
            month = part(5 + offset, 7 + offset)
            day = part(8 + offset, 10 + offset)
            hour = part(11 + offset, 13 + offset)
            minute = part(14 + offset, 16 + offset)
            second = part(17 + offset, 19 + offset)
        }
    }
}
