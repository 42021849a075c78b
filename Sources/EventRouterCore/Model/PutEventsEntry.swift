/// One entry of a PutEvents request, with AWS's property names.
///
/// Fields are kept as given (possibly missing or wrong); ``EventBusRouter/putEvents(_:)``
/// validates each entry on its own, so one bad entry fails alone.
public struct PutEventsEntry: Sendable, Hashable {
    public var source: String?
    public var detailType: String?
    /// The detail as JSON text; it must hold a JSON object.
    public var detail: String?
    /// A bus name or ARN; the default bus when absent.
    public var eventBusName: String?
    public var resources: [String]
    /// The `Time` text as given (ISO-8601); `nil` means "now".
    public var time: String?
    public var traceHeader: String?
    /// The sending account (a replay file's extra `Account` key); `nil` means the caller's.
    public var account: String? = nil

    public init(source: String? = nil, detailType: String? = nil, detail: String? = nil, eventBusName: String? = nil,
                resources: [String] = [], time: String? = nil, traceHeader: String? = nil) {
        self.source = source
        self.detailType = detailType
        self.detail = detail
        self.eventBusName = eventBusName
        self.resources = resources
        self.time = time
        self.traceHeader = traceHeader
    }

    /// The keys an entry may have.
    public static let keys = ["Source", "DetailType", "Detail", "EventBusName", "Resources", "Time", "TraceHeader", "Account"]

    /// Reads an entry from JSON (a replay line or an HTTP request body).
    /// - Throws: ``EventRouterError`` (`ValidationException`) for an unknown key or a field of the wrong type.
    public init(json value: JSONValue) throws(EventRouterError) {
        guard case .object(let object) = value else {
            throw EventRouterError(.validation, "a PutEvents entry must be a JSON object, not \(value.kindName)")
        }
        for key in object.keys where !PutEventsEntry.keys.contains(key) {
            var message = "unknown PutEvents entry field '\(key)'"
            if let hint = DidYouMean.suggestion(for: key, among: PutEventsEntry.keys) { message += " (did you mean '\(hint)'?)" }
            throw EventRouterError(.validation, message)
        }
        func string(_ key: String) throws(EventRouterError) -> String? {
            guard let v = object[key] else { return nil }
            guard case .string(let s) = v else {
                throw EventRouterError(.validation, "entry field '\(key)' must be a string, not \(v.kindName)")
            }
            return s
        }
        var resources: [String] = []
        if let r = object["Resources"] {
            guard case .array(let items) = r else {
                throw EventRouterError(.validation, "entry field 'Resources' must be an array of strings, not \(r.kindName)")
            }
            for item in items {
                guard case .string(let s) = item else {
                    throw EventRouterError(.validation, "entry field 'Resources' must hold only strings, found \(item.kindName)")
                }
                resources.append(s)
            }
        }
        self.init(source: try string("Source"), detailType: try string("DetailType"), detail: try string("Detail"),
                  eventBusName: try string("EventBusName"), resources: resources, time: try string("Time"),
                  traceHeader: try string("TraceHeader"))
        self.account = try string("Account")
    }

    /// The entry's size as EventBridge counts it (see ``EventSize``).
    public var size: Int {
        EventSize.of(source: source ?? "", detailType: detailType ?? "", detailText: detail ?? "", resources: resources,
                     hasTime: time != nil)
    }
}
