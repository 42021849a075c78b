import Synchronization

/// Which resources of a running router come from the workspace's files, by ARN (buses, rules,
/// queues, topics, streams, functions); every other resource was created through the API.
/// Hot reload changes only what comes from files; `eventrouter export rules` writes only what
/// does not (docs/hot-reload.md).
///
/// A resource removed from the files but kept running (a queue, a topic, a stream) stays
/// marked as coming from files, so it is not exported as if the API had created it.
public final class ResourceOrigins: Sendable {
    private let fileArns: Mutex<Set<String>>

    /// The resources of `workspace` as coming from files.
    public init(workspace: Workspace) {
        fileArns = Mutex(Self.arns(of: workspace))
    }

    /// Whether the resource `arn` comes from the files.
    public func isFromFiles(_ arn: String) -> Bool { fileArns.withLock { $0.contains(arn) } }

    /// After a reload: the resources of `workspace`, and `kept` (removed from the files, still running).
    public func replace(with workspace: Workspace, keeping kept: [String]) {
        let arns = Self.arns(of: workspace).union(kept)
        fileArns.withLock { $0 = arns }
    }

    /// The ARNs of `workspace`'s declared resources (the implicit `default` buses are no one's).
    public static func arns(of workspace: Workspace) -> Set<String> {
        var arns: Set<String> = []
        for bus in workspace.buses where bus.file != nil { arns.insert(bus.arn) }
        for rule in workspace.rules { arns.insert(rule.arn) }
        for queue in workspace.queues { arns.insert(queue.arn) }
        for topic in workspace.topics {
            arns.insert(topic.arn)
            for subscription in topic.configuration.subscriptions { arns.insert(subscription.arn) }
        }
        for stream in workspace.streams { arns.insert(stream.arn) }
        for function in workspace.functions { arns.insert(function.arn) }
        return arns
    }
}
