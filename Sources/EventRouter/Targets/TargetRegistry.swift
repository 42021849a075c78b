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
    }

    private let state = Mutex(State())

    public init() {}

    /// Registers (or replaces) the target for `arn`.
    public func register(_ target: any EventTarget, for arn: String) {
        state.withLock { $0.targets[arn] = target }
    }

    /// Removes the target for `arn`.
    public func unregister(_ arn: String) {
        _ = state.withLock { $0.targets.removeValue(forKey: arn) }
    }

    /// Registers a resolver for every ARN of `service` that has no exact registration.
    public func registerProvider(forService service: String, _ provider: @escaping @Sendable (ARN) -> (any EventTarget)?) {
        state.withLock { $0.providers[service] = provider }
    }

    /// The target for `arn`, if any.
    public func target(for arn: String) -> (any EventTarget)? {
        let (exact, provider) = state.withLock { s -> ((any EventTarget)?, (@Sendable (ARN) -> (any EventTarget)?)?) in
            if let t = s.targets[arn] { return (t, nil) }
            guard let parsed = try? ARN(parsing: arn) else { return (nil, nil) }
            return (nil, s.providers[parsed.service])
        }
        if let exact { return exact }
        guard let provider, let parsed = try? ARN(parsing: arn) else { return nil }
        return provider(parsed)
    }

    /// The ARNs registered exactly, sorted.
    public var registeredARNs: [String] { state.withLock { $0.targets.keys.sorted() } }
}
