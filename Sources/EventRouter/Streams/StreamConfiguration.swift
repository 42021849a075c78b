/// A stream's declaration: a `Streams` entry of a rule file (CloudFormation's
/// `AWS::Kinesis::Stream` property names) plus the account and region it lives in.
public struct StreamConfiguration: Sendable, Hashable {
    /// The stream name: 1–128 characters from `a-z A-Z 0-9 _ . -`.
    public var name: String
    /// The number of shards the stream starts with (1…``maximumShardCount``).
    public var shardCount: Int
    /// How long records stay readable: 24…8,760 hours (default 24).
    public var retentionPeriodHours: Int
    /// The 12-digit account id.
    public var account: String
    /// The region, e.g. `us-east-1`.
    public var region: String

    /// The most shards a stream may have open (Kinesis's default per-account shard quota).
    public static let maximumShardCount = 500
    /// The allowed retention, in hours.
    public static let retentionRange = 24...8760

    /// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`.
    public var arn: String { "arn:aws:kinesis:\(region):\(account):stream/\(name)" }

    /// The retention as a duration.
    public var retention: Duration { .seconds(Int64(retentionPeriodHours) * 3600) }

    /// A validated configuration.
    /// - Throws: ``StreamError`` (`InvalidArgumentException`) naming the field to change.
    public init(name: String, shardCount: Int = 1, retentionPeriodHours: Int = 24,
                account: String = "123456789012", region: String = "us-east-1") throws(StreamError) {
        try Self.validate(name: name, context: "stream name")
        guard (1...Self.maximumShardCount).contains(shardCount) else {
            throw .invalid("stream '\(name)': ShardCount must be a whole number from 1 to \(Self.maximumShardCount), got \(shardCount)")
        }
        guard Self.retentionRange.contains(retentionPeriodHours) else {
            throw .invalid("stream '\(name)': RetentionPeriodHours must be a whole number from 24 to 8760, got \(retentionPeriodHours)")
        }
        guard account.count == 12, account.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalid("stream '\(name)': the account must be a 12-digit id, got '\(account)'")
        }
        guard !region.isEmpty else { throw .invalid("stream '\(name)': the region must not be empty") }
        self.name = name
        self.shardCount = shardCount
        self.retentionPeriodHours = retentionPeriodHours
        self.account = account
        self.region = region
    }

    /// Keys of `AWS::Kinesis::Stream` that are accepted and ignored locally.
    private static let ignoredKeys: Set<String> = ["Tags", "StreamEncryption", "StreamModeDetails", "DesiredShardLevelMetrics"]

    /// Reads one `Streams` entry of a rule file: `Name` (required), `ShardCount` (default 1),
    /// `RetentionPeriodHours` (default 24). `Tags`, `StreamEncryption`, `StreamModeDetails` and
    /// `DesiredShardLevelMetrics` are accepted and ignored; any other key is an error (a typo).
    /// - Throws: ``StreamError`` (`InvalidArgumentException`) naming the key to change.
    public init(json: JSONObject, account: String, region: String) throws(StreamError) {
        guard let nameValue = json["Name"] else {
            throw .invalid("Streams entry: missing required key 'Name' (the stream name)")
        }
        guard let name = nameValue.stringValue else {
            throw .invalid("Streams entry: 'Name' must be a string, got \(nameValue.kindName)")
        }
        for key in json.keys where !["Name", "ShardCount", "RetentionPeriodHours"].contains(key) && !Self.ignoredKeys.contains(key) {
            throw .invalid("Streams entry '\(name)': unknown key '\(key)'; known keys are Name, ShardCount, RetentionPeriodHours")
        }
        func integer(_ key: String, default value: Int, range: ClosedRange<Int>) throws(StreamError) -> Int {
            guard let raw = json[key] else { return value }
            guard let v = raw.intValue, range.contains(v) else {
                throw .invalid("Streams entry '\(name)': '\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(raw.jsonText)")
            }
            return v
        }
        try self.init(
            name: name,
            shardCount: integer("ShardCount", default: 1, range: 1...Self.maximumShardCount),
            retentionPeriodHours: integer("RetentionPeriodHours", default: 24, range: Self.retentionRange),
            account: account, region: region)
    }

    /// Checks a stream name: 1–128 characters from `a-z A-Z 0-9 _ . -`.
    public static func validate(name: String, context: String) throws(StreamError) {
        let ok = (1...128).contains(name.utf8.count) && name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E || b == 0x2D
        }
        guard ok else {
            throw .invalid("\(context) '\(name)' is invalid: use 1–128 characters from a-z, A-Z, 0-9, '_', '.', '-'")
        }
    }
}
