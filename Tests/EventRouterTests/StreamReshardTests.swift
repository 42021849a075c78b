import Testing
@testable import EventRouter

@Suite struct StreamReshardTests {
    /// Reads a shard from TRIM_HORIZON to its end (or the tip), returning data and the last result.
    func drain(_ s: DataStream, _ shardId: String) throws -> ([String], GetRecordsResult) {
        var it: String? = try s.shardIterator(shardId: shardId, type: .trimHorizon)
        var out: [String] = []
        var last = GetRecordsResult(records: [], nextShardIterator: nil, millisBehindLatest: 0)
        while let current = it {
            last = try s.getRecords(shardIterator: current, limit: 2)
            out += last.records.map(\.data)
            if last.records.isEmpty { break }
            it = last.nextShardIterator
        }
        return (out, last)
    }

    @Test func splitClosesTheParentAndRoutesToChildren() throws {
        let clock = ManualClock()
        let s = DataStream(configuration: try StreamConfiguration(name: "orders"), clock: clock)
        _ = try s.putRecord(data: "before-low", partitionKey: "order-2")       // hash ≈ 0.33e38
        _ = try s.putRecord(data: "before-high", partitionKey: "customer-42") // hash ≈ 2.73e38
        let middle = "170141183460469231731687303715884105728"
        let children = try s.splitShard(shardId: "shardId-000000000000", newStartingHashKey: middle)
        #expect(children == ["shardId-000000000001", "shardId-000000000002"])
        let low = try s.putRecord(data: "after-low", partitionKey: "order-2")
        let high = try s.putRecord(data: "after-high", partitionKey: "customer-42")
        #expect(low.shardId == "shardId-000000000001" && high.shardId == "shardId-000000000002")

        let snapshot = s.snapshot
        #expect(snapshot.shards.map(\.status) == [.closed, .open, .open])
        #expect(snapshot.shards[1].parentShardId == "shardId-000000000000")
        #expect(snapshot.shards[2].hashKeyRange == HashKeyRange(start: UInt128(middle)!, end: .max))
        #expect(snapshot.shards[1].hashKeyRange.end == UInt128(middle)! - 1)

        // Parent first: readable, then ends with a null iterator and names its children.
        let (parentData, end) = try drain(s, "shardId-000000000000")
        #expect(parentData == ["before-low", "before-high"])
        #expect(end.nextShardIterator == nil)
        #expect(end.childShards.map(\.shardId) == children)
        #expect(end.jsonValue["NextShardIterator"] == .null)
        #expect(try drain(s, children[0]).0 == ["after-low"])
        #expect(try drain(s, children[1]).0 == ["after-high"])

        let description = s.describe()["StreamDescription"]
        let shards = try #require(description?["Shards"]?.arrayValue)
        #expect(shards.count == 3)
        #expect(shards[0]["SequenceNumberRange"]?["EndingSequenceNumber"] != nil)
        #expect(shards[2]["ParentShardId"] == "shardId-000000000000")
        #expect(description?["OpenShardCount"]?.intValue == 2)
    }

    @Test func mergeJoinsAdjacentShardsOnly() throws {
        let clock = ManualClock()
        let s = DataStream(configuration: try StreamConfiguration(name: "orders", shardCount: 3), clock: clock)
        _ = try s.putRecord(data: "in-1", partitionKey: "order-1")        // shard 1 of 3
        _ = try s.putRecord(data: "in-2", partitionKey: "customer-42")    // shard 2 of 3
        let notAdjacent = #expect(throws: StreamError.self) {
            try s.mergeShards(shardId: "shardId-000000000000", adjacentShardId: "shardId-000000000002")
        }
        #expect(notAdjacent?.code == .invalidArgument)
        #expect(notAdjacent?.message.hasPrefix("MergeShards: shards shardId-000000000000 (0…113427455640312821154458202477256070484) and shardId-000000000002 (226854911280625642308916404954512140970…340282366920938463463374607431768211455) are not adjacent") == true)

        let child = try s.mergeShards(shardId: "shardId-000000000002", adjacentShardId: "shardId-000000000001")
        #expect(child == "shardId-000000000003")
        let merged = s.snapshot.shards[3]
        #expect(merged.parentShardId == "shardId-000000000002" && merged.adjacentParentShardId == "shardId-000000000001")
        #expect(merged.hashKeyRange == HashKeyRange(start: UInt128("113427455640312821154458202477256070485")!, end: .max))
        #expect(try s.putRecord(data: "after", partitionKey: "customer-42").shardId == child)
        #expect(try s.putRecord(data: "after-1", partitionKey: "order-1").shardId == child)

        // Both parents drain, then the child holds the new records.
        #expect(try drain(s, "shardId-000000000001").0 == ["in-1"])
        let (parent2, end) = try drain(s, "shardId-000000000002")
        #expect(parent2 == ["in-2"] && end.childShards.map(\.shardId) == [child])
        #expect(try drain(s, child).0 == ["after", "after-1"])
        #expect(s.snapshot.openShardIds == ["shardId-000000000000", child])

        let closed = #expect(throws: StreamError.self) {
            try s.mergeShards(shardId: "shardId-000000000001", adjacentShardId: "shardId-000000000000")
        }
        #expect(closed?.message == "MergeShards: shard shardId-000000000001 in stream orders is CLOSED (already split or merged); use one of the open shards shardId-000000000000, shardId-000000000003")
    }

    @Test func splitKeyMustBeInsideTheRange() throws {
        let s = DataStream(configuration: try StreamConfiguration(name: "orders", shardCount: 2), clock: ManualClock())
        let error = #expect(throws: StreamError.self) { try s.splitShard(shardId: "shardId-000000000001", newStartingHashKey: "5") }
        #expect(error?.message == "SplitShard: NewStartingHashKey 5 must be a decimal integer greater than 170141183460469231731687303715884105728 and at most 340282366920938463463374607431768211455 (the hash-key range of shardId-000000000001); the midpoint is 255211775190703847597530955573826158592")
    }

    @Test func closedShardsExpireAfterRetention() throws {
        let clock = ManualClock()
        let s = DataStream(configuration: try StreamConfiguration(name: "orders"), clock: clock)
        _ = try s.putRecord(data: "old", partitionKey: "a")
        try s.splitShard(shardId: "shardId-000000000000", newStartingHashKey: "1000")
        clock.advance(by: .seconds(24 * 3600 + 1))
        #expect(s.snapshot.shards.map(\.shardId) == ["shardId-000000000001", "shardId-000000000002"])
        let error = #expect(throws: StreamError.self) { try s.shardIterator(shardId: "shardId-000000000000", type: .trimHorizon) }
        #expect(error?.code == .resourceNotFound)
        #expect(error?.message == "Shard shardId-000000000000 in stream orders under account 123456789012 does not exist; its shards are shardId-000000000001, shardId-000000000002")
    }
}
