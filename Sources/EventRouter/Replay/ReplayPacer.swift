/// When each event of a replay file is put, relative to the start of the replay.
///
/// Pure: feed it the events' `time` fields in file order with ``offset(for:)``. The first
/// event goes at 0; each later one goes after the previous one by the gap between its `time`
/// and the latest `time` seen so far, divided by the pace factor. An event without a usable
/// `time`, or whose `time` is earlier than one already seen, goes right after the previous
/// one (so a file never waits backwards). With ``ReplayPace/max`` every offset is 0.
public struct ReplayPacer: Sendable {
    public let pace: ReplayPace
    private var latest: Timestamp?
    private var current: Duration = .zero

    public init(pace: ReplayPace) { self.pace = pace }

    /// The offset from the replay's start at which the next event (with `time`, if usable) is put.
    public mutating func offset(for time: Timestamp?) -> Duration {
        guard let factor = pace.factor else { return .zero }
        guard let time else { return current }
        if let latest {
            if time > latest {
                // Saturates: a gap beyond Int64 nanoseconds (292 years) waits "forever", never traps.
                let gap = (Double((time - latest).nanoseconds) / factor).rounded()
                current += .nanoseconds(Int64(exactly: gap) ?? .max)
                self.latest = time
            }
        } else {
            latest = time
        }
        return current
    }

    /// The `time` of a replay line: the envelope's `time` or the entry's `Time`, if it parses.
    public static func time(ofLine json: JSONValue) -> Timestamp? {
        guard let text = json["time"]?.stringValue ?? json["Time"]?.stringValue else { return nil }
        return Timestamp(iso8601: text)
    }
}
