/// The kinds of starting position GetShardIterator accepts.
public enum ShardIteratorType: String, Sendable, CaseIterable {
    /// The oldest record still in the shard.
    case trimHorizon = "TRIM_HORIZON"
    /// Just after the most recent record, so only new records are read.
    case latest = "LATEST"
    /// At the record with the given sequence number.
    case atSequenceNumber = "AT_SEQUENCE_NUMBER"
    /// Just after the record with the given sequence number.
    case afterSequenceNumber = "AFTER_SEQUENCE_NUMBER"
    /// At the first record that arrived at or after the given time.
    case atTimestamp = "AT_TIMESTAMP"
}

/// A decoded shard iterator: a position in one shard and when it was issued.
///
/// Its text form (``token``) is self-contained and opaque to callers, so an iterator printed by
/// one `eventrouter stream get` can be passed to the next. It expires
/// ``StreamLimits/iteratorLifetime`` (5 minutes) after it was issued.
struct ShardIterator: Sendable, Hashable {
    var streamName: String
    var shardIndex: Int
    /// Read records after this one (`inclusive` false) or from it (`inclusive` true);
    /// `nil` means from the oldest record still in the shard.
    var position: SequenceNumber?
    var inclusive: Bool
    var issuedAt: Timestamp

    /// The opaque text form: hex of `v1|name|shard|seq|i|issued`.
    var token: String {
        let fields = ["v1", streamName, String(shardIndex), position?.description ?? "", inclusive ? "1" : "0",
                      String(issuedAt.nanosecondsSinceEpoch)]
        return Hex.encode(fields.joined(separator: "|").utf8, uppercase: true)
    }

    /// Decodes ``token``.
    /// - Throws: `InvalidArgumentException` when `token` is not an iterator this router issued.
    init(token: String) throws(StreamError) {
        let invalid = StreamError.invalid(
            "ShardIterator '\(token.prefix(40))\(token.count > 40 ? "…" : "")' is not a valid shard iterator; get one with GetShardIterator (eventrouter stream get --iterator-type …)")
        guard token.utf8.count <= 2000, let bytes = Hex.decode(token.utf8) else { throw invalid }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "v1", let shard = Int(fields[2]), let nanoseconds = Int64(fields[5]),
            let issued = try? Timestamp(checkedNanosecondsSinceEpoch: nanoseconds), fields[4] == "0" || fields[4] == "1"
        else { throw invalid }
        var position: SequenceNumber?
        if !fields[3].isEmpty {
            guard let seq = SequenceNumber(fields[3]) else { throw invalid }
            position = seq
        }
        self.init(streamName: fields[1], shardIndex: shard, position: position, inclusive: fields[4] == "1",
                  issuedAt: issued)
    }

    init(streamName: String, shardIndex: Int, position: SequenceNumber?, inclusive: Bool, issuedAt: Timestamp) {
        self.streamName = streamName
        self.shardIndex = shardIndex
        self.position = position
        self.inclusive = inclusive
        self.issuedAt = issuedAt
    }
}

extension StreamRegistry {
    /// The stream a shard iterator was issued for, looked up in `account` and `region`
    /// (GetRecords without `StreamARN`).
    /// - Throws: `InvalidArgumentException` for a token this router did not issue;
    ///   `ResourceNotFoundException` when its stream no longer exists.
    public func stream(forIterator token: String, account: String, region: String) throws(StreamError) -> DataStream {
        let iterator = try ShardIterator(token: token)
        return try stream("arn:aws:kinesis:\(region):\(account):stream/\(iterator.streamName)")
    }
}
