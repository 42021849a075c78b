import Synchronization

/// An EventBridge event: the envelope every rule matches and every target receives.
///
/// ```json
/// {"version":"0","id":"…","detail-type":"OrderPlaced","source":"shop","account":"123456789012",
///  "time":"2024-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{…}}
/// ```
/// Replayed events also carry `replay-name`. The JSON value (``json``) and its text
/// (``jsonText``) are built once, when the event is made, since every rule and target reads them.
public struct Event: Sendable, Hashable {
    /// The fields live in one immutable object, so copying an event (into every delivery
    /// attempt, input context and trace) costs one reference count, not one per field.
    private final class Storage: Sendable {
        let id: String
        let detailType: String
        let source: String
        let account: String
        let time: Timestamp
        let region: String
        let resources: [String]
        let replayName: String?
        /// The compact JSON text of the detail, or `nil` when it is the `detailCount` bytes of
        /// ``jsonText`` from `detailStart` (PutEvents' events: no string of its own).
        private let ownDetailText: String?
        private let detailStart: Int
        let detailCount: Int
        let jsonText: String
        /// The detail and the envelope as values: built when first read (an event put with
        /// its detail as text, and matched from text, may never need them).
        private let detailValue = AtomicLazyReference<JSONBox>()
        private let jsonValue = AtomicLazyReference<JSONBox>()

        /// The one initialiser: the fields, the texts made from them, and the values when the
        /// caller already has them (else they are built when first read).
        init(id: String, detailType: String, source: String, account: String, time: Timestamp, region: String,
             resources: [String], replayName: String?, detailText: String?, detailStart: Int = 0, detailCount: Int,
             jsonText: String, detail: JSONValue?, json: JSONValue?) {
            self.id = id
            self.detailType = detailType
            self.source = source
            self.account = account
            self.time = time
            self.region = region
            self.resources = resources
            self.replayName = replayName
            self.ownDetailText = detailText
            self.detailStart = detailStart
            self.detailCount = detailCount
            self.jsonText = jsonText
            if let detail { _ = detailValue.storeIfNil(JSONBox(detail)) }
            if let json { _ = jsonValue.storeIfNil(JSONBox(json)) }
        }

        /// The compact JSON text of the detail.
        var detailText: String {
            if let ownDetailText { return ownDetailText }
            var text = jsonText
            return text.withUTF8 { bytes in String(decoding: UnsafeBufferPointer(rebasing: bytes[detailStart..<(detailStart + detailCount)]), as: UTF8.self) }
        }

        var detail: JSONValue {
            if let box = detailValue.load() { return box.value }
            // The text is valid JSON by construction; `{}` only should that ever not hold.
            let parsed = (try? JSONParser.parse(detailText)) ?? .object(JSONObject())
            return detailValue.storeIfNil(JSONBox(parsed)).value
        }

        var json: JSONValue {
            if let box = jsonValue.load() { return box.value }
            let json = Storage.envelope(id: id, detailType: detailType, source: source, account: account, timeText: time.iso8601,
                                        region: region, resources: resources, detail: detail, replayName: replayName)
            return jsonValue.storeIfNil(JSONBox(json)).value
        }

        static func envelope(id: String, detailType: String, source: String, account: String, timeText: String, region: String,
                             resources: [String], detail: JSONValue, replayName: String?) -> JSONValue {
            var members: [JSONObject.Member] = [
                .init(key: "version", value: "0"),
                .init(key: "id", value: .string(id)),
                .init(key: "detail-type", value: .string(detailType)),
                .init(key: "source", value: .string(source)),
                .init(key: "account", value: .string(account)),
                .init(key: "time", value: .string(timeText)),
                .init(key: "region", value: .string(region)),
                .init(key: "resources", value: .array(resources.map { .string($0) })),
                .init(key: "detail", value: detail),
            ]
            if let replayName { members.append(.init(key: "replay-name", value: .string(replayName))) }
            return .object(JSONObject(members))
        }
    }

    /// A JSON value in a box, for the lazily built values of ``Storage``.
    private final class JSONBox: Sendable {
        let value: JSONValue
        init(_ value: JSONValue) { self.value = value }
    }

    private let storage: Storage

    /// Always `"0"`.
    public var version: String { "0" }
    public var id: String { storage.id }
    public var detailType: String { storage.detailType }
    public var source: String { storage.source }
    public var account: String { storage.account }
    public var time: Timestamp { storage.time }
    public var region: String { storage.region }
    public var resources: [String] { storage.resources }
    /// A JSON object (`{}` is allowed).
    public var detail: JSONValue { storage.detail }
    /// Set on events replayed from an archive.
    public var replayName: String? { storage.replayName }
    /// The envelope as JSON, in EventBridge's key order.
    public var json: JSONValue { storage.json }
    /// The compact JSON text of ``json``: what a target receives when no input shaping is set.
    public var jsonText: String { storage.jsonText }

    /// The first byte of ``jsonText``, read only to bring the event and its text into the
    /// processor's cache with plain loads (see ``DeliveryScheduler``'s batches): the reference
    /// counting that follows then finds them there instead of stalling on each in turn.
    package var firstByte: UInt8 { storage.jsonText.utf8.first ?? 0 }

    /// An event whose detail is JSON text that serializes back to itself once its insignificant
    /// whitespace is dropped (`compactDetail`, written by ``JSONCompactText/compact(_:into:)``)
    /// and whose time is already formatted: PutEvents' fast path, which builds no JSON tree and
    /// writes the envelope, compact detail included, into one buffer.
    ///
    /// `id`, `account` and `timeText` must need no JSON escape (a UUID, a 12-digit account id,
    /// an ISO-8601 time): they are copied without being looked at.
    package init(id: String, detailType: String, source: String, account: String, time: Timestamp, timeText: String, region: String,
         resources: [String], compactDetail: UnsafeBufferPointer<UInt8>) {
        let (jsonText, detailStart) = EventText.envelope(id: id, detailType: detailType, source: source, account: account, timeText: timeText,
                                                         region: region, resources: resources, detail: compactDetail)
        storage = Storage(id: id, detailType: detailType, source: source, account: account, time: time, region: region, resources: resources,
                          replayName: nil, detailText: nil, detailStart: detailStart, detailCount: compactDetail.count, jsonText: jsonText,
                          detail: nil, json: nil)
    }

    /// Makes an event from its fields.
    public init(
        id: String, detailType: String, source: String, account: String, time: Timestamp, region: String,
        resources: [String] = [], detail: JSONValue = .object(JSONObject()), replayName: String? = nil
    ) {
        let json = Storage.envelope(id: id, detailType: detailType, source: source, account: account, timeText: time.iso8601,
                                    region: region, resources: resources, detail: detail, replayName: replayName)
        let detailText = detail.jsonText
        storage = Storage(id: id, detailType: detailType, source: source, account: account, time: time, region: region, resources: resources,
                          replayName: replayName, detailText: detailText, detailCount: detailText.utf8.count, jsonText: json.jsonText,
                          detail: detail, json: json)
    }

    public static func == (lhs: Event, rhs: Event) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.jsonText == rhs.storage.jsonText
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.jsonText) }

    /// The envelope fields, in order; the only keys ``init(envelope:defaults:now:random:)`` accepts.
    public static let envelopeKeys = [
        "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail", "replay-name",
    ]

    /// Reads a full event envelope (a line of a replay file).
    ///
    /// `detail-type`, `source` and `detail` (an object) are required; `id`, `time`, `account`,
    /// `region` and `resources` default to a fresh id, `now`, and the defaults.
    /// - Throws: ``EventRouterError`` (`ValidationException`) naming the field and what is wrong.
    public init(envelope value: JSONValue, defaults: RouterDefaults, now: Timestamp, random: SharedRandom) throws(EventRouterError) {
        guard case .object(let object) = value else {
            throw EventRouterError(.validation, "an event envelope must be a JSON object, not \(value.kindName)")
        }
        for key in object.keys where !Event.envelopeKeys.contains(key) {
            var message = "unknown event envelope field '\(key)'"
            if let hint = DidYouMean.suggestion(for: key, among: Event.envelopeKeys) { message += " (did you mean '\(hint)'?)" }
            throw EventRouterError(.validation, message)
        }
        func string(_ key: String, required: Bool) throws(EventRouterError) -> String? {
            guard let v = object[key] else {
                if required { throw EventRouterError(.validation, "event envelope is missing required field '\(key)'") }
                return nil
            }
            guard case .string(let s) = v else {
                throw EventRouterError(.validation, "event field '\(key)' must be a string, not \(v.kindName)")
            }
            return s
        }
        if let version = try string("version", required: false), version != "0" {
            throw EventRouterError(.validation, "event field 'version' must be \"0\", not \"\(version)\"")
        }
        let detailType = try string("detail-type", required: true) ?? ""
        let source = try string("source", required: true) ?? ""
        if detailType.isEmpty { throw EventRouterError(.validation, "event field 'detail-type' must not be empty") }
        if source.isEmpty { throw EventRouterError(.validation, "event field 'source' must not be empty") }
        let account = try string("account", required: false) ?? defaults.account
        guard ARN.isAccountID(account) else {
            throw EventRouterError(.validation, "event field 'account' must be a 12-digit account id, not '\(account)'")
        }
        var time = now
        if let text = try string("time", required: false) {
            do { time = try Timestamp.parse(iso8601: text) } catch {
                throw EventRouterError(.validation, "event field 'time' is not valid: \(error)")
            }
        }
        var resources: [String] = []
        if let r = object["resources"] {
            guard case .array(let items) = r else {
                throw EventRouterError(.validation, "event field 'resources' must be an array of strings, not \(r.kindName)")
            }
            for item in items {
                guard case .string(let s) = item else {
                    throw EventRouterError(.validation, "event field 'resources' must hold only strings, found \(item.kindName)")
                }
                resources.append(s)
            }
        }
        guard let detail = object["detail"] else {
            throw EventRouterError(.validation, "event envelope is missing required field 'detail'")
        }
        guard case .object = detail else {
            throw EventRouterError(.validation, "event field 'detail' must be a JSON object, not \(detail.kindName)")
        }
        self.init(
            id: try string("id", required: false) ?? random.uuid(), detailType: detailType, source: source,
            account: account, time: time, region: try string("region", required: false) ?? defaults.region,
            resources: resources, detail: detail, replayName: try string("replay-name", required: false))
    }

    /// The event's size as EventBridge counts it against the PutEvents limit.
    public var size: Int {
        EventSize.of(source: source, detailType: detailType, detailBytes: storage.detailCount, resources: resources, hasTime: true)
    }

    /// This event with `replay-name` set (for archive replays).
    public func replayed(as name: String) -> Event {
        Event(id: id, detailType: detailType, source: source, account: account, time: time, region: region,
              resources: resources, detail: detail, replayName: name)
    }
}
