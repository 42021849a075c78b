/// A stream's capacity mode (`StreamModeDetails.StreamMode`).
public enum StreamMode: String, Sendable, CaseIterable {
    /// As many shards as CreateStream's `ShardCount` (or later UpdateShardCount) says.
    case provisioned = "PROVISIONED"
    /// Capacity without shard management; served as ``onDemandShardCount`` shards.
    case onDemand = "ON_DEMAND"

    /// The shards an on-demand stream starts with: AWS's default on-demand write capacity is
    /// 4 MB/s or 4,000 records/s, four shards' worth.
    public static let onDemandShardCount = 4
}
