/// Retention, capacity mode and tags: the settings of a stream that are not its shards.
extension DataStreamState {
    /// Increase/DecreaseStreamRetentionPeriod: sets the retention to `hours`.
    /// - Parameter increase: `true` for IncreaseStreamRetentionPeriod (the new value may not be
    ///   smaller than the current one), `false` for Decrease (may not be larger).
    /// - Throws: `InvalidArgumentException` for a value outside 24…8,760 or in the wrong direction.
    public mutating func setRetentionPeriod(hours: Int, increase: Bool) throws(StreamError) {
        let operation = increase ? "IncreaseStreamRetentionPeriod" : "DecreaseStreamRetentionPeriod"
        guard StreamConfiguration.retentionRange.contains(hours) else {
            throw .invalid("\(operation): RetentionPeriodHours must be from 24 to 8760 (one year), got \(hours)")
        }
        let current = configuration.retentionPeriodHours
        if increase && hours < current {
            throw .invalid("\(operation): RetentionPeriodHours \(hours) is less than the current retention of \(current) hours of stream \(configuration.name); use DecreaseStreamRetentionPeriod to shorten it")
        }
        if !increase && hours > current {
            throw .invalid("\(operation): RetentionPeriodHours \(hours) is more than the current retention of \(current) hours of stream \(configuration.name); use IncreaseStreamRetentionPeriod to lengthen it")
        }
        configuration.retentionPeriodHours = hours
        lastExpirySecond = .min
    }

    /// Sets the capacity mode (CreateStream's `StreamModeDetails`).
    public mutating func setMode(_ mode: StreamMode) { self.mode = mode }

    /// The most tags a stream may have.
    public static let maximumTagCount = 50

    /// AddTagsToStream / TagResource: adds or replaces `tags`.
    /// - Throws: `InvalidArgumentException` for a key of 0 or more than 128 characters, a value over
    ///   256 characters; `LimitExceededException` beyond 50 tags.
    public mutating func addTags(_ tags: [String: String]) throws(StreamError) {
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            guard (1...128).contains(key.count) else {
                throw .invalid("tag key '\(key.prefix(40))' must be 1 to 128 characters long, got \(key.count)")
            }
            guard value.count <= 256 else {
                throw .invalid("the value of tag '\(key)' must be at most 256 characters long, got \(value.count)")
            }
        }
        let merged = self.tags.merging(tags) { _, new in new }
        guard merged.count <= Self.maximumTagCount else {
            throw StreamError(.limitExceeded, "stream \(configuration.name) would have \(merged.count) tags; a stream may have at most \(Self.maximumTagCount); remove some first (RemoveTagsFromStream)")
        }
        self.tags = merged
    }

    /// RemoveTagsFromStream / UntagResource: removes the tags with these keys (unknown keys are ignored).
    public mutating func removeTags(_ keys: [String]) {
        for key in keys { tags[key] = nil }
    }
}
