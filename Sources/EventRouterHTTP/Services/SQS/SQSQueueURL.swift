import EventRouter

/// Queue URLs that point back at this server: `http://HOST/ACCOUNT/NAME`, HOST being the
/// request's `Host` (wire.md §7.2). Resolving one ignores its scheme and host, so real AWS URLs
/// (`https://sqs.us-east-1.amazonaws.com/111111111111/q`) and LocalStack's path style
/// (`/queue/REGION/ACCOUNT/NAME`) address local queues too.
enum SQSQueueURL {
    /// Where a queue URL points: its account and name, and a region when the URL names one.
    struct Address: Sendable, Equatable {
        var region: String?
        var account: String
        var name: String
    }

    /// The URL of queue `name` of `account`, on `host`.
    static func url(host: String, account: String, name: String) -> String { "http://\(host)/\(account)/\(name)" }

    /// The address in a queue URL, or a queue ARN; `nil` when it is neither.
    static func parse(_ text: String) -> Address? {
        if text.hasPrefix("arn:"), let arn = ARN(queue: text) { return Address(region: arn.region, account: arn.account, name: arn.name) }
        var rest = Substring(text)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        let segments = rest.split(separator: "/").map(String.init)
        if segments.count == 4, segments[0] == "queue", ARN.isAccountID(segments[2]) {
            return Address(region: segments[1], account: segments[2], name: segments[3])
        }
        guard segments.count >= 2, ARN.isAccountID(segments[segments.count - 2]) else { return nil }
        return Address(region: nil, account: segments[segments.count - 2], name: segments[segments.count - 1])
    }

    /// The queue at `address`: in the URL's region, else the caller's, else the one queue of
    /// that account and name in any region.
    static func resolve(_ address: Address, callerRegion: String, in registry: QueueRegistry) -> MessageQueue? {
        let region = address.region ?? callerRegion
        if let queue = registry.queue(arn: "arn:aws:sqs:\(region):\(address.account):\(address.name)") { return queue }
        guard address.region == nil else { return nil }
        let matches = registry.queues.filter { $0.name == address.name && $0.configuration.account == address.account }
        return matches.count == 1 ? matches[0] : nil
    }
}
