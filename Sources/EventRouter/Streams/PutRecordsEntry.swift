/// One record to write: an entry of PutRecords, or the arguments of PutRecord.
public struct PutRecordsEntry: Sendable, Hashable {
    /// The payload (see ``StreamRecord/bytes``).
    public var bytes: [UInt8]
    /// 1–256 characters; its MD5 picks the shard unless ``explicitHashKey`` is set.
    public var partitionKey: String
    /// A decimal hash key 0…2^128−1 that picks the shard instead of the partition key's MD5.
    public var explicitHashKey: String?

    public init(bytes: [UInt8], partitionKey: String, explicitHashKey: String? = nil) {
        self.bytes = bytes
        self.partitionKey = partitionKey
        self.explicitHashKey = explicitHashKey
    }

    /// An entry whose payload is `data`'s UTF-8 bytes.
    public init(data: String, partitionKey: String, explicitHashKey: String? = nil) {
        self.init(bytes: Array(data.utf8), partitionKey: partitionKey, explicitHashKey: explicitHashKey)
    }

    /// The payload as text (see ``StreamRecord/data``).
    public var data: String { String(decoding: bytes, as: UTF8.self) }

    /// Bytes counted against the size limits: data plus partition key (UTF-8).
    public var size: Int { bytes.count + partitionKey.utf8.count }
}

/// Where PutRecord put a record.
public struct PutRecordResult: Sendable, Hashable {
    /// The shard that holds it.
    public var shardId: String
    /// Its sequence number.
    public var sequenceNumber: String

    public init(shardId: String, sequenceNumber: String) {
        self.shardId = shardId
        self.sequenceNumber = sequenceNumber
    }

    /// `{"ShardId", "SequenceNumber"}` as PutRecord answers.
    public var jsonValue: JSONValue { ["ShardId": .string(shardId), "SequenceNumber": .string(sequenceNumber)] }
}
