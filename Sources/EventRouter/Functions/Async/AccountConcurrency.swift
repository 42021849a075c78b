import Synchronization

/// Lambda's account concurrency in one account and region: the pool shared by every function
/// without reserved concurrency.
///
/// The pool holds the account's limit (`ConcurrentExecutions` of the account's `Accounts`
/// entry, default ``defaultLimit``) minus what functions reserve; Lambda keeps at least
/// ``minimumUnreserved`` unreserved (``problem(limit:reserved:)``). ``tryBegin()`` admits an
/// invocation of an unreserved function while fewer than ``unreserved`` run; otherwise the
/// attempt is throttled and the asynchronous engine retries it with Lambda's throttle backoff
/// (1 s doubling to 5 min) until the event's maximum age.
public final class AccountConcurrency: Sendable {
    /// Lambda's default account concurrency limit per region.
    public static let defaultLimit = 1_000
    /// The unreserved concurrency Lambda keeps: reservations may not take the pool below it.
    public static let minimumUnreserved = 100
    /// The values `ConcurrentExecutions` may take.
    public static let limitRange = 100...1_000_000

    /// A consistent copy of the pool's counters.
    public struct Snapshot: Sendable, Equatable {
        /// Unreserved invocations running now.
        public var inFlight = 0
        /// The most unreserved invocations ever running at once.
        public var maxConcurrent = 0
        /// Attempts refused because the pool was full.
        public var throttles = 0
    }

    /// The account's limit.
    public let limit: Int
    /// What functions of this account and region reserve (changed by ``changeReservation(from:to:account:)``).
    public var reserved: Int { reservedNow.withLock { $0 } }
    private let reservedNow: Mutex<Int>
    private let state = Mutex(Snapshot())

    /// - Parameters:
    ///   - limit: the account's concurrency limit.
    ///   - reserved: the sum of the reservations in the account and region.
    public init(limit: Int = AccountConcurrency.defaultLimit, reserved: Int = 0) {
        self.limit = limit
        self.reservedNow = Mutex(reserved)
    }

    /// Moves one function's reservation from `old` to `new` (`nil`: none), as
    /// `PutFunctionConcurrency` / `DeleteFunctionConcurrency` do.
    /// - Returns: nil, or why not (the pool would fall below ``minimumUnreserved``; the
    ///   reservation is then unchanged).
    public func changeReservation(from old: Int?, to new: Int?, account: String) -> String? {
        reservedNow.withLock { reserved in
            let (without, o1) = reserved.subtractingReportingOverflow(old ?? 0)
            let (with, o2) = without.addingReportingOverflow(new ?? 0)
            guard !o1, !o2 else { return "the reservation \(new ?? 0) is out of range" }
            if (new ?? 0) > (old ?? 0), let problem = Self.problem(limit: limit, reserved: with, account: account) { return problem }
            reserved = with
            return nil
        }
    }

    /// How many unreserved invocations may run at once (`limit − reserved`, at least 0).
    public var unreserved: Int { max(0, limit - reserved) }

    /// The most one more function could reserve now, keeping ``minimumUnreserved``.
    public var reservable: Int { max(0, limit - reserved - Self.minimumUnreserved) }

    /// A copy of the counters.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Admits one unreserved invocation, or counts a throttle and returns false.
    public func tryBegin() -> Bool {
        let cap = unreserved
        return state.withLock { s in
            guard s.inFlight < cap else {
                s.throttles += 1
                return false
            }
            s.inFlight += 1
            s.maxConcurrent = max(s.maxConcurrent, s.inFlight)
            return true
        }
    }

    /// Ends an invocation admitted by ``tryBegin()``.
    public func end() { state.withLock { $0.inFlight -= 1 } }

    /// Why reservations of `reserved` in total do not fit an account `limit` (they must leave
    /// ``minimumUnreserved``), or nil when they fit. `account` names the account and region.
    public static func problem(limit: Int, reserved: Int, account: String) -> String? {
        let (left, overflow) = limit.subtractingReportingOverflow(reserved)
        guard overflow || left < minimumUnreserved else { return nil }
        return "the functions of \(account) reserve \(reserved) of the account's concurrency limit of \(limit), "
            + "leaving \(overflow ? "less than 0" : String(left)) unreserved; Lambda keeps at least \(minimumUnreserved) unreserved: "
            + "lower ReservedConcurrentExecutions in function.json, or raise ConcurrentExecutions in the account's Accounts entry"
    }

    /// The pools of `manifests`, keyed ``key(account:region:)``: each account and region gets its
    /// limit from `limits` (by account id; default ``defaultLimit``) and the sum of its reservations.
    /// - Throws: ``EventRouterError`` (`ValidationException`) when reservations leave less than
    ///   ``minimumUnreserved`` (the message is ``problem(limit:reserved:account:)``).
    public static func pools(for manifests: [FunctionManifest], limits: [String: Int]) throws(EventRouterError) -> [String: AccountConcurrency] {
        var reserved: [String: Int] = [:]
        var accounts: [String: (account: String, region: String)] = [:]
        for m in manifests {
            let key = key(account: m.account, region: m.region)
            accounts[key] = (m.account, m.region)
            let (sum, overflow) = reserved[key, default: 0].addingReportingOverflow(m.reservedConcurrentExecutions ?? 0)
            reserved[key] = overflow ? Int.max : sum
        }
        var pools: [String: AccountConcurrency] = [:]
        for (key, sum) in reserved.sorted(by: { $0.key < $1.key }) {
            let place = accounts[key] ?? ("", "")
            let limit = limits[place.account] ?? defaultLimit
            if let problem = problem(limit: limit, reserved: sum, account: "account \(place.account) in \(place.region)") {
                throw EventRouterError(.validation, problem)
            }
            pools[key] = AccountConcurrency(limit: limit, reserved: sum)
        }
        return pools
    }

    /// The key of an account's pool in a region: `ACCOUNT/REGION`.
    public static func key(account: String, region: String) -> String { "\(account)/\(region)" }
}
