/// PutRetentionPolicy and DeleteRetentionPolicy: a group's retention, kept in its `group.json`.
extension LogGroupRegistry {
    /// Sets a group's retention to `days` (one of ``LogGroupInfo/retentionValues``), or removes
    /// it with `nil`; with a logs folder the group's `group.json` is rewritten first.
    /// - Throws: `InvalidParameterException` for a value CloudWatch Logs does not accept,
    ///   `ResourceNotFoundException`, `ServiceUnavailableException` (the file could not be written).
    public func setRetention(_ days: Int?, group name: String) async throws(LogGroupError) {
        if let days, !LogGroupInfo.retentionValues.contains(days) {
            throw LogGroupError(.invalidParameter, "1 validation error detected: Value '\(days)' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [\(LogGroupInfo.retentionValues.map(String.init).joined(separator: ", "))]")
        }
        try await change { () throws(LogGroupError) in
            guard var info = self.state.withLock({ $0.groups[name]?.info }) else { throw LogGroupError.noGroup(name) }
            info.retentionInDays = days
            try self.files?.createGroup(info)
            self.state.withLock { $0.groups[name]?.info.retentionInDays = days }
        }
    }

    /// The index of the last of `timestamps` (in order) older than `group`'s retention at the
    /// clock's now, or `nil` (none, no retention, or no such group): PutLogEvents'
    /// `expiredLogEventEndIndex`.
    public func lastExpiredIndex(of timestamps: [Int64], group: String) -> Int? {
        guard let cutoff = self.group(group)?.retentionCutoff(now: nowMilliseconds) else { return nil }
        return timestamps.lastIndex { $0 < cutoff }
    }
}
