/// One record in a shard.
///
/// ``data`` is the record's payload as text (the router writes event JSON). The Kinesis wire
/// API carries data as base64; EventRouter keeps and shows the text itself so that state files
/// and `eventrouter stream get` are readable.
public struct StreamRecord: Sendable, Hashable {
    /// The record's sequence number.
    public var sequenceNumber: SequenceNumber
    /// The partition key it was written with.
    public var partitionKey: String
    /// The payload as written.
    public var data: String
    /// When the stream accepted it (on the stream's clock).
    public var approximateArrivalTimestamp: Timestamp

    public init(sequenceNumber: SequenceNumber, partitionKey: String, data: String, approximateArrivalTimestamp: Timestamp) {
        self.sequenceNumber = sequenceNumber
        self.partitionKey = partitionKey
        self.data = data
        self.approximateArrivalTimestamp = approximateArrivalTimestamp
    }

    /// Bytes counted against size limits and throughput: data plus partition key (UTF-8).
    public var size: Int { data.utf8.count + partitionKey.utf8.count }

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
