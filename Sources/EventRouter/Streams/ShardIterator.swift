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
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in fields.joined(separator: "|").utf8 {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes ``token``.
    /// - Throws: `InvalidArgumentException` when `token` is not an iterator this router issued.
    init(token: String) throws(StreamError) {
        let invalid = StreamError.invalid(
            "ShardIterator '\(token.prefix(40))\(token.count > 40 ? "…" : "")' is not a valid shard iterator; get one with GetShardIterator (eventrouter stream get --iterator-type …)")
        let b = Array(token.utf8)
        guard b.count % 2 == 0, b.count <= 2000 else { throw invalid }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        var i = 0
        while i < b.count {
            guard let hi = nibble(b[i]), let lo = nibble(b[i + 1]) else { throw invalid }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "v1", let shard = Int(fields[2]), let issued = Int64(fields[5]),
            fields[4] == "0" || fields[4] == "1"
        else { throw invalid }
        var position: SequenceNumber?
        if !fields[3].isEmpty {
            guard let seq = SequenceNumber(fields[3]) else { throw invalid }
            position = seq
        }
        self.init(streamName: fields[1], shardIndex: shard, position: position, inclusive: fields[4] == "1",
                  issuedAt: Timestamp(nanosecondsSinceEpoch: issued))
    }

    init(streamName: String, shardIndex: Int, position: SequenceNumber?, inclusive: Bool, issuedAt: Timestamp) {
        self.streamName = streamName
        self.shardIndex = shardIndex
        self.position = position
        self.inclusive = inclusive
        self.issuedAt = issuedAt
    }
}
