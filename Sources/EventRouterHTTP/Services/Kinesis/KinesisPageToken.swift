import EventRouter

/// The `NextToken` of ListShards and ListStreams: opaque base64 of what to continue after, for
/// which stream (ListShards) and when it was issued. Tokens last 300 seconds on the router's
/// clock, as AWS's do (`ExpiredNextTokenException`).
struct KinesisPageToken: Equatable {
    /// `shards` (ListShards) or `streams` (ListStreams).
    var kind: String
    /// The stream ARN (ListShards), empty for ListStreams.
    var scope: String
    /// The last shard id or stream name of the previous page.
    var after: String
    /// When it was issued.
    var issuedAt: Timestamp

    /// How long a token may be used.
    static let lifetime: Duration = .seconds(300)

    var text: String { Base64.encode(Array([kind, scope, after, String(issuedAt.nanosecondsSinceEpoch)].joined(separator: "|").utf8)) }

    init(kind: String, scope: String, after: String, issuedAt: Timestamp) {
        self.kind = kind
        self.scope = scope
        self.after = after
        self.issuedAt = issuedAt
    }

    /// Decodes a token of `kind`, checking its age against `now`.
    /// - Throws: `InvalidArgumentException` for a token this router did not issue for this operation;
    ///   `ExpiredNextTokenException` for one older than 300 s.
    init(_ text: String, kind: String, now: Timestamp) throws(AWSError) {
        let invalid = KinesisRequest.invalid("NextToken '\(text.prefix(40))' is not a token this operation issued; start again without NextToken")
        guard text.utf8.count <= 4096, let bytes = Base64.decode(text), let decoded = String(validating: bytes, as: UTF8.self) else { throw invalid }
        let fields = decoded.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, fields[0] == kind, let nanos = Int64(fields[3]),
            let issued = try? Timestamp(checkedNanosecondsSinceEpoch: nanos)
        else { throw invalid }
        guard now - issued <= Self.lifetime else {
            throw AWSError(code: "ExpiredNextTokenException",
                           message: "NextToken expired: it was issued at \(issued.iso8601Milliseconds) and tokens last 300 seconds; list again without NextToken")
        }
        self.init(kind: kind, scope: fields[1], after: fields[2], issuedAt: issued)
    }
}
