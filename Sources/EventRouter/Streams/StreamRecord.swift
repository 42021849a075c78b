/// One record in a shard.
///
/// ``bytes`` is the record's payload as written: the router writes event JSON, Kinesis clients
/// any bytes (base64 on the JSON wire, a byte string in CBOR). ``data`` shows it as text, so that
/// state files and `eventrouter stream get` stay readable.
public struct StreamRecord: Sendable, Hashable {
    /// The record's sequence number.
    public var sequenceNumber: SequenceNumber
    /// The partition key it was written with.
    public var partitionKey: String
    /// The payload as written.
    public var bytes: [UInt8]
    /// When the stream accepted it (on the stream's clock).
    public var approximateArrivalTimestamp: Timestamp

    public init(sequenceNumber: SequenceNumber, partitionKey: String, bytes: [UInt8], approximateArrivalTimestamp: Timestamp) {
        self.sequenceNumber = sequenceNumber
        self.partitionKey = partitionKey
        self.bytes = bytes
        self.approximateArrivalTimestamp = approximateArrivalTimestamp
    }

    /// A record whose payload is `data`'s UTF-8 bytes.
    public init(sequenceNumber: SequenceNumber, partitionKey: String, data: String, approximateArrivalTimestamp: Timestamp) {
        self.init(sequenceNumber: sequenceNumber, partitionKey: partitionKey, bytes: Array(data.utf8),
                  approximateArrivalTimestamp: approximateArrivalTimestamp)
    }

    /// The payload as text (invalid UTF-8 shows as U+FFFD; ``bytes`` has the exact payload).
    public var data: String { String(decoding: bytes, as: UTF8.self) }

    /// Bytes counted against size limits and throughput: data plus partition key (UTF-8).
    public var size: Int { bytes.count + partitionKey.utf8.count }

    /// The GetRecords shape: `SequenceNumber`, `ApproximateArrivalTimestamp` (epoch seconds,
    /// millisecond precision, as the AWS JSON protocol writes timestamps), `Data` (text) and
    /// `PartitionKey`.
    public var jsonValue: JSONValue {
        [
            "SequenceNumber": .string(sequenceNumber.description),
            "ApproximateArrivalTimestamp": .number(JSONNumber(Double(approximateArrivalTimestamp.millisecondsSinceEpoch) / 1000)),
            "Data": .string(data),
            "PartitionKey": .string(partitionKey),
        ]
    }
}
