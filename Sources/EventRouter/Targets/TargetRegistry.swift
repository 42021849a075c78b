import Synchronization

/// Targets by ARN. The scheduler looks every delivery up here; an ARN with no target is a
/// non-retriable `NO_RESOURCE` failure.
///
/// Besides exact ARNs, a provider per ARN service (`sqs`, `sns`, `kinesis`, `lambda`, `events`)
/// may resolve ARNs on demand, so a target kind plugs in without touching the scheduler.
public final class TargetRegistry: Sendable {
    private struct State {
        var targets: [String: any EventTarget] = [:]
        var providers: [String: @Sendable (ARN) -> (any EventTarget)?] = [:]
        /// Targets found through providers.
        var resolved: [String: any EventTarget] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Registers (or replaces) the target for `arn`.
    public func register(_ target: any EventTarget, for arn: String) {
        state.withLock {
            $0.targets[arn] = target
            $0.resolved[arn] = nil
        }
    }

    /// Removes the target for `arn`.
    public func unregister(_ arn: String) {
        state.withLock {
            $0.targets[arn] = nil
            $0.resolved[arn] = nil
        }
    }

    /// Registers a resolver for every ARN of `service` that has no exact registration.
    public func registerProvider(forService service: String, _ provider: @escaping @Sendable (ARN) -> (any EventTarget)?) {
        state.withLock {
            $0.providers[service] = provider
            $0.resolved.removeAll()
        }
    }

    /// The target for `arn`, if any. A provider's answer is remembered for the ARN.
    public func target(for arn: String) -> (any EventTarget)? {
        let (found, provider) = state.withLock { s -> ((any EventTarget)?, (@Sendable (ARN) -> (any EventTarget)?)?) in
            if let t = s.targets[arn] ?? s.resolved[arn] { return (t, nil) }
            return (nil, TargetRegistry.service(of: arn).flatMap { s.providers[$0] })
        }
        if let found { return found }
        guard let provider, let parsed = try? ARN(parsing: arn), let target = provider(parsed) else { return nil }
        state.withLock { $0.resolved[arn] = target }
        return target
    }

    /// The service part of an ARN text, without a full parse.
    static func service(of arn: String) -> String? {
        let parts = arn.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        return String(decoding: parts[2], as: UTF8.self)
    }

    /// The ARNs registered exactly, sorted.
    public var registeredARNs: [String] { state.withLock { $0.targets.keys.sorted() } }
}
