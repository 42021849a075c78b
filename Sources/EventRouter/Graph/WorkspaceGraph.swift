/// A picture of a workspace (`eventrouter graph`): its buses, rules, targets, queues, topics
/// and subscriptions, streams and event source mappings, functions with their destinations and
/// dead-letter queues, archives and cross-account links, as nodes and edges; with a state (from
/// `replay --state-out` or a running router) the nodes and edges carry what flowed.
/// Rendered by ``render(_:)`` as Mermaid, Graphviz DOT or JSON.
public struct WorkspaceGraph: Sendable {
    /// What a node is.
    public enum Kind: String, Sendable {
        case bus, rule, queue, topic, stream, function, archive, external
    }

    public struct Node: Sendable, Equatable {
        /// A stable identifier (`n0`, `n1`, … in first-seen order).
        public var id: String
        /// The ARN (or, for rules, the rule ARN).
        public var arn: String
        public var kind: Kind
        /// The shown text (name, short pattern or schedule, counts).
        public var label: String
        /// The account, to mark cross-account links.
        public var account: String
    }

    /// What an edge means.
    public enum EdgeKind: String, Sendable {
        /// bus → rule, rule → target, subscription, forward.
        case flow
        /// a dead-letter queue (rule target, queue redrive, subscription, function).
        case deadLetter
        /// a function's OnSuccess / OnFailure destination.
        case destination
        /// an event source mapping polling a queue or stream.
        case mapping
        /// a bus's archive.
        case archive
    }

    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var kind: EdgeKind
        public var label: String
        /// Whether it crosses accounts.
        public var crossAccount: Bool
    }

    public private(set) var nodes: [Node] = []
    public private(set) var edges: [Edge] = []
    private var index: [String: Int] = [:]
    /// A line of totals from the state (`deliveries: …`), if one was given.
    public var note: String?

    /// The node for `arn`, created with `label` on first sight.
    @discardableResult
    mutating func node(_ arn: String, _ kind: Kind, _ label: String) -> String {
        if let i = index[arn] {
            if nodes[i].kind == .external, kind != .external { nodes[i].kind = kind; nodes[i].label = label }
            return nodes[i].id
        }
        let account = ARNParts.account(arn)
        index[arn] = nodes.count
        nodes.append(Node(id: "n\(nodes.count)", arn: arn, kind: kind, label: label, account: account))
        return nodes[nodes.count - 1].id
    }

    func nodeId(_ arn: String) -> String? { index[arn].map { nodes[$0].id } }

    mutating func edge(_ fromArn: String, _ toArn: String, _ kind: EdgeKind, _ label: String) {
        let to = nodeId(toArn) ?? node(toArn, Self.kind(ofArn: toArn), ARNParts.name(toArn) + " (not in the workspace)")
        guard let from = nodeId(fromArn) else { return }
        let crossAccount = ARNParts.account(fromArn) != ARNParts.account(toArn) && !ARNParts.account(toArn).isEmpty
        edges.append(Edge(from: from, to: to, kind: kind, label: label, crossAccount: crossAccount))
    }

    mutating func setLabel(_ arn: String, _ label: String) {
        if let i = index[arn] { nodes[i].label = label }
    }

    func label(of arn: String) -> String? { index[arn].map { nodes[$0].label } }

    static func kind(ofArn arn: String) -> Kind {
        switch ARNParts.service(arn) {
        case "sqs": return .queue
        case "sns": return .topic
        case "kinesis": return .stream
        case "lambda": return .function
        case "events": return arn.contains(":event-bus/") ? .bus : .external
        default: return .external
        }
    }

    /// A pattern value in a few characters: `shop.orders`, `prefix:shop.`, `numeric…`.
    static func shortValue(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .object(let o):
            guard let m = o.members.first else { return "{}" }
            if let s = m.value.stringValue { return "\(m.key):\(s)" }
            return m.key + "…"
        default: return v.jsonText
        }
    }

    /// `source`, `detail-type` and the first keys of a pattern, one per line (at most 4 lines of 40 characters).
    static func shortPattern(_ text: String?) -> String {
        guard let text, let value = try? JSONValue(parsing: text) else { return "" }
        var parts: [String] = []
        for member in value.objectValue?.members ?? [] {
            switch member.value {
            case .array(let a) where member.key == "$or": parts.append("$or(\(a.count))")
            case .array(let a) where a.count <= 2: parts.append("\(member.key)=\(a.map(Self.shortValue).joined(separator: "|"))")
            case .array(let a): parts.append("\(member.key)=\(Self.shortValue(a[0]))|…")
            case .object: parts.append("\(member.key).…")
            default: parts.append(member.key)
            }
        }
        var lines = parts.prefix(4).map { $0.count > 40 ? String($0.prefix(39)) + "…" : $0 }
        if parts.count > 4 { lines.append("…") }
        return lines.joined(separator: "\n")
    }
}

/// The parts of an ARN text, forgiving (an external ARN may be anything).
enum ARNParts {
    static func parts(_ arn: String) -> [Substring] { arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false) }
    static func service(_ arn: String) -> String { let p = parts(arn); return p.count > 2 ? String(p[2]) : "" }
    static func account(_ arn: String) -> String { let p = parts(arn); return p.count > 4 ? String(p[4]) : "" }
    static func name(_ arn: String) -> String {
        let p = parts(arn)
        guard let last = p.last else { return arn }
        if p.count > 6 || (p.count == 6 && ARNParts.service(arn) == "lambda") {
            return String(arn.split(separator: ":").last ?? Substring(arn))
        }
        return String(last.split(separator: "/").last ?? last)
    }
}
