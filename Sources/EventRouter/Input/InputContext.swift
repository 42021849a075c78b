/// What input shaping can read: the event, the rule that matched it, and when it arrived.
public struct InputContext: Sendable {
    public var event: Event
    public var ruleArn: String
    public var ruleName: String
    /// When the router accepted the event (`<aws.events.event.ingestion-time>`).
    public var ingestionTime: Timestamp

    public init(event: Event, ruleArn: String, ruleName: String, ingestionTime: Timestamp) {
        self.event = event
        self.ruleArn = ruleArn
        self.ruleName = ruleName
        self.ingestionTime = ingestionTime
    }

    /// `<aws.events.event>`: the envelope without `detail`, keys as EventBridge writes them there.
    var eventWithoutDetail: JSONValue {
        var members: [JSONObject.Member] = [
            .init(key: "version", value: .string(event.version)),
            .init(key: "id", value: .string(event.id)),
            .init(key: "detailType", value: .string(event.detailType)),
            .init(key: "source", value: .string(event.source)),
            .init(key: "account", value: .string(event.account)),
            .init(key: "time", value: .string(event.time.iso8601)),
            .init(key: "region", value: .string(event.region)),
            .init(key: "resources", value: .array(event.resources.map { .string($0) })),
        ]
        if let r = event.replayName { members.append(.init(key: "replayName", value: .string(r))) }
        return .object(JSONObject(members))
    }
}
