/// A `StartReplay` request: put the events an archive received in a time window back on the
/// archive's bus, optionally only to some of its rules.
public struct ArchiveReplayRequest: Sendable, Hashable {
    /// 1–64 letters, digits, `.`, `-` or `_`; replayed events carry it as `replay-name`.
    public var replayName: String
    /// The archive's ARN (`EventSourceArn` in StartReplay).
    public var archiveArn: String
    /// First receipt time replayed (inclusive).
    public var eventStartTime: Timestamp
    /// End of the window (exclusive); must not be in the future.
    public var eventEndTime: Timestamp
    /// `Destination.Arn`: must be the archive's source bus.
    public var destinationBusArn: String
    /// `Destination.FilterArns`: rule ARNs on the destination bus; empty = every rule.
    public var filterArns: [String]

    public init(replayName: String, archiveArn: String, eventStartTime: Timestamp, eventEndTime: Timestamp,
                destinationBusArn: String, filterArns: [String] = []) {
        self.replayName = replayName
        self.archiveArn = archiveArn
        self.eventStartTime = eventStartTime
        self.eventEndTime = eventEndTime
        self.destinationBusArn = destinationBusArn
        self.filterArns = filterArns
    }

    /// Checks the request against its archive at `now`, as StartReplay does.
    /// - Throws: ``EventRouterError`` (`ValidationException`) saying which parameter is wrong and why.
    public func validate(archive: ArchiveDefinition, now: Timestamp) throws(EventRouterError) {
        let nameOK = (1...64).contains(replayName.utf8.count)
            && replayName.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)) }
        guard nameOK else {
            throw EventRouterError(.validation, "Parameter ReplayName is not valid. Reason: it must be 1 to 64 letters, digits, '.', '-' or '_', not '\(replayName)'")
        }
        guard archiveArn == archive.arn else {
            throw EventRouterError(.validation, "Parameter EventSourceArn is not valid. Reason: \(archiveArn) is not the archive \(archive.arn)")
        }
        guard eventStartTime < eventEndTime else {
            throw EventRouterError(.validation, "Parameter EventStartTime is not valid. Reason: EventStartTime (\(eventStartTime.iso8601)) must be before EventEndTime (\(eventEndTime.iso8601))")
        }
        guard eventEndTime <= now else {
            throw EventRouterError(.validation, "Parameter EventEndTime is not valid. Reason: EventEndTime (\(eventEndTime.iso8601)) cannot be in the future (now is \(now.iso8601))")
        }
        guard destinationBusArn == archive.sourceArn else {
            throw EventRouterError(.validation, "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted; the archive \(archive.name) can only be replayed to \(archive.sourceArn)")
        }
        let bus = archive.source
        let rulePrefix = "arn:aws:events:\(bus.region):\(bus.account):rule/"
        for arn in filterArns {
            let rest = arn.hasPrefix(rulePrefix) ? String(arn.dropFirst(rulePrefix.count)) : ""
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            let onBus = bus.name == "default" ? (parts.count == 1 || (parts.count == 2 && parts[0] == "default")) : (parts.count == 2 && parts[0] == Substring(bus.name))
            guard onBus, let last = parts.last, !last.isEmpty else {
                throw EventRouterError(.validation, "Parameter Destination.FilterArns is not valid. Reason: '\(arn)' is not a rule ARN on \(archive.sourceArn) (expected \(rulePrefix)\(bus.name == "default" ? "" : bus.name + "/")RULE)")
            }
        }
    }
}
