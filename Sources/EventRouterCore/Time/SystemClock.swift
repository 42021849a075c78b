#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real wall clock (`CLOCK_REALTIME`); its sleepers wait in the process's one
/// ``SystemTimerQueue``.
public struct SystemClock: EventClock {
    public init() {}

    public var now: Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(nanosecondsSinceEpoch: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    public func sleep(until deadline: Timestamp) async throws {
        try await SystemTimerQueue.shared.sleep(until: deadline) { SystemClock().now }
    }
}
