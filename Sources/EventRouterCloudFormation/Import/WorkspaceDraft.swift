import EventRouter

/// What the templates become before it is written: entries of rule-file sections, function
/// folders, and what is still to be attached (subscriptions, bus policies, invoke configs).
struct WorkspaceDraft {
    struct Entry {
        var stack: String
        var account: String
        var region: String
        var section: String
        var object: JSONObject
    }

    struct FunctionDraft {
        var name: String
        var account: String
        var region: String
        var manifest: JSONObject
        var files: [ImportedFile]
        var source: String
        /// The template file and logical id it comes from (for messages).
        var file: String = ""
        var logicalId: String?
    }

    var entries: [Entry] = []
    var functions: [FunctionDraft] = []
    /// (topic ARN, subscription) from `AWS::SNS::Subscription` and SAM `SNS` events.
    var subscriptions: [(topicArn: String, subscription: JSONObject, origin: String)] = []
    /// (bus ARN, statement) from `AWS::Events::EventBusPolicy`.
    var busStatements: [(busArn: String, statement: JSONValue)] = []
    /// (function ARN, settings) from `AWS::Lambda::EventInvokeConfig`.
    var invokeConfigs: [(functionArn: String, settings: JSONObject, origin: String)] = []
    /// Lines of the import report, by heading.
    var report: [String: [String]] = [:]
    /// Stacks in order, with their account and region.
    var stacks: [(name: String, account: String, region: String)] = []

    mutating func note(_ heading: String, _ line: String) {
        if !(report[heading] ?? []).contains(line) { report[heading, default: []].append(line) }
    }

    static let reportHeadings = [
        "Imported", "Skipped resources", "Stand-in queues", "Stand-in functions", "Declared resources", "Ignored properties", "Notes",
    ]
}
