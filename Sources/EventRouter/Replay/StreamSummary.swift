/// One stream's record count in a ``ReplaySummary``.
public struct StreamSummary: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var shards: Int
    public var records: Int

    public init(stream: DataStream) {
        let state = stream.stateJSON()
        let shards = state["shards"]?.arrayValue ?? []
        arn = stream.arn
        name = stream.configuration.name
        self.shards = shards.count
        records = shards.reduce(0) { $0 + ($1["records"]?.arrayValue?.count ?? 0) }
    }

    /// `12 records in 1 shard`
    public var text: String { "\(records) record\(records == 1 ? "" : "s") in \(shards) shard\(shards == 1 ? "" : "s")" }
}
