/// An archive declared in a rule file's `Archives` array:
/// `{"ArchiveName": "orders-archive", "EventSourceArn": "arn:aws:events:…:event-bus/orders",
///   "EventPattern": {"source": ["shop"]}, "RetentionDays": 30}`.
///
/// It keeps the events its bus receives that match its pattern (all of them without one), for
/// `RetentionDays` days (0 = forever); it lives in the account and region of its bus.
public struct ArchiveDefinition: Sendable, Hashable {
    public var name: String
    /// The bus it archives.
    public var source: BusReference
    /// `nil` archives every event of the bus.
    public var pattern: EventPattern?
    /// 0 keeps events forever.
    public var retentionDays: Int
    public var description: String?

    public init(name: String, source: BusReference, pattern: EventPattern? = nil, retentionDays: Int = 0, description: String? = nil) {
        self.name = name
        self.source = source
        self.pattern = pattern
        self.retentionDays = retentionDays
        self.description = description
    }

    /// `arn:aws:events:REGION:ACCOUNT:archive/NAME`
    public var arn: String { "arn:aws:events:\(source.region):\(source.account):archive/\(name)" }

    /// The ARN of the archived bus.
    public var sourceArn: String { source.arn }

    /// How long events are kept; `nil` for ever (also for more days than `Int64` seconds hold).
    public var retention: Duration? {
        let (seconds, overflow) = Int64(retentionDays).multipliedReportingOverflow(by: 86_400)
        return retentionDays == 0 || overflow ? nil : .seconds(seconds)
    }

    /// The keys an `Archives` entry may have.
    public static let keys = ["ArchiveName", "EventSourceArn", "EventPattern", "RetentionDays", "Description"]

    /// `ArchiveName`: 1 to 48 letters, digits, '.', '-' or '_'.
    public static let namePattern = FieldReader.Pattern.name(maximumLength: 48, extra: ".-_")

    /// Reads one `Archives` entry (a rule file's, or a `CreateArchive`/`UpdateArchive` request)
    /// with the one ``FieldReader``; every problem is reported with its path relative to `$` (the entry).
    /// - Parameters:
    ///   - account: the rule file's account; an archive must be in the account of its bus.
    /// - Returns: the archive, or `nil` when `problems` holds an error.
    public static func parse(_ value: JSONValue, account: String? = nil, problems: inout [ValidationProblem]) -> ArchiveDefinition? {
        guard case .object(let o) = value else {
            problems.append(ValidationProblem(path: "$", "an archive must be an object with ArchiveName and EventSourceArn, not \(value.kindName)"))
            return nil
        }
        var fields = FieldReader()
        fields.checkKeys(o, allowed: keys, what: "an archive", at: "$")
        let name = fields.string(o, "ArchiveName", at: "$", required: true, pattern: namePattern)
        var source: BusReference?
        if fields.value(o, "EventSourceArn", at: "$", required: true) == nil {
            fields.problems[fields.problems.count - 1].message += " (the ARN of the bus to archive)"
        } else if let s = fields.string(o, "EventSourceArn", at: "$") {
            if let bus = BusReference(arn: s) {
                source = bus
                if let account, bus.account != account {
                    fields.error("$.EventSourceArn", "an archive lives in the account of its bus; \(s) is in account \(bus.account), but this file's account is \(account) — declare the archive in a file (or with \"Account\") of account \(bus.account)")
                }
            } else {
                fields.error("$.EventSourceArn", "'EventSourceArn' must be an event bus ARN like arn:aws:events:us-east-1:123456789012:event-bus/NAME, got '\(s)'")
            }
        }
        var pattern: EventPattern?
        if let p = o["EventPattern"] {
            do {
                if case .string(let text) = p { pattern = try EventPattern(parsing: text) } else { pattern = try EventPattern(json: p) }
            } catch {
                fields.error(error.path.isEmpty ? "$.EventPattern" : "$.EventPattern.\(error.path)", "invalid event pattern: \(error.reason)")
            }
        }
        var retention = 0
        if let r = o["RetentionDays"] {
            if let n = r.intValue, n >= 0 { retention = n } else {
                fields.error("$.RetentionDays", "'RetentionDays' must be a whole number of days, 0 or more (0 keeps events forever), not \(r.jsonText)")
            }
        }
        let description = fields.string(o, "Description", at: "$")
        problems += fields.problems
        guard !fields.hasErrors, let name, let source else { return nil }
        return ArchiveDefinition(name: name, source: source, pattern: pattern, retentionDays: retention, description: description)
    }
}
