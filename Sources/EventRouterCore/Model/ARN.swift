/// An Amazon Resource Name: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
///
/// EventRouter names every resource by a real ARN shape (see ``ARN/Kind``), so that rule
/// files written for AWS paste in unchanged. An ARN keeps its text (``description``), so
/// carrying one on the delivery path costs no formatting.
public struct ARN: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of resource the router knows by their ARN shape.
    public enum Kind: String, Sendable, Hashable {
        /// `arn:aws:events:REGION:ACCOUNT:event-bus/NAME`
        case eventBus = "event bus"
        /// `arn:aws:events:REGION:ACCOUNT:rule/[BUS/]NAME`
        case rule
        /// `arn:aws:sqs:REGION:ACCOUNT:NAME`
        case queue
        /// `arn:aws:sns:REGION:ACCOUNT:NAME`
        case topic
        /// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`
        case stream
        /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`
        case function
        /// `arn:aws:events:REGION:ACCOUNT:archive/NAME`
        case archive
        /// Any other well-formed ARN.
        case other
    }

    /// The parts in one immutable object: an ARN is copied into every delivery attempt, and a
    /// copy then costs one reference count instead of six.
    private final class Parts: Sendable {
        let partition: String
        let service: String
        let region: String
        let account: String
        let resource: String
        let description: String

        init(partition: String, service: String, region: String, account: String, resource: String, description: String) {
            self.partition = partition
            self.service = service
            self.region = region
            self.account = account
            self.resource = resource
            self.description = description
        }
    }

    private let parts: Parts

    public var partition: String { parts.partition }
    public var service: String { parts.service }
    public var region: String { parts.region }
    public var account: String { parts.account }
    /// Everything after the account, e.g. `event-bus/orders`.
    public var resource: String { parts.resource }
    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, or the text given to ``init(text:)``.
    public var description: String { parts.description }

    public static func == (lhs: ARN, rhs: ARN) -> Bool {
        let l = lhs.parts, r = rhs.parts
        return l === r || (l.partition == r.partition && l.service == r.service && l.region == r.region && l.account == r.account
                           && l.resource == r.resource && l.description == r.description)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts.partition)
        hasher.combine(parts.service)
        hasher.combine(parts.region)
        hasher.combine(parts.account)
        hasher.combine(parts.resource)
        hasher.combine(parts.description)
    }

    /// Parses `text`.
    /// - Throws: ``EventRouterError`` (`ValidationException`) saying which part is malformed.
    public init(parsing text: String) throws(EventRouterError) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        func bad(_ why: String) -> EventRouterError {
            EventRouterError(.validation, "malformed ARN '\(text)': \(why); expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE")
        }
        guard parts.count == 6, parts[0] == "arn" else { throw bad("it must have six ':'-separated parts starting with 'arn'") }
        guard parts[1].hasPrefix("aws") else { throw bad("partition '\(parts[1])' is not aws, aws-cn or aws-us-gov") }
        guard !parts[2].isEmpty else { throw bad("the service is empty") }
        let regional = ["events", "sqs", "sns", "kinesis", "lambda"].contains(parts[2])
        guard !regional || !parts[3].isEmpty, parts[3].allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw bad("region '\(parts[3])' is not a region name like us-east-1")
        }
        guard ARN.isAccountID(parts[4]) else { throw bad("account '\(parts[4])' is not a 12-digit account id") }
        guard !parts[5].isEmpty else { throw bad("the resource is empty") }
        self.parts = Parts(partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts[5], description: text)
        if kind == .other, ["events", "sqs", "sns", "kinesis", "lambda"].contains(service), !Self.isApiDestinationResource(service, resource) {
            throw bad("'\(resource)' is not a \(service) resource this router knows")
        }
    }

    /// `events` resources of kind ``Kind/other`` that still parse: API destinations and their
    /// connections (`api-destination/NAME[/ID]`, `connection/NAME[/ID]`).
    static func isApiDestinationResource(_ service: String, _ resource: String) -> Bool {
        guard service == "events" else { return false }
        let path = resource.split(separator: "/", omittingEmptySubsequences: false)
        return (2...3).contains(path.count) && (path[0] == "api-destination" || path[0] == "connection") && !path[1].isEmpty
    }

    /// An ARN from its parts (not validated).
    public init(service: String, region: String, account: String, resource: String, partition: String = "aws") {
        self.parts = Parts(partition: partition, service: service, region: region, account: account, resource: resource,
                           description: "arn:\(partition):\(service):\(region):\(account):\(resource)")
    }

    /// The ARN text `text` as given, never refused: its parts are read leniently (the six
    /// `:`-separated parts, empty when missing) and ``description`` is `text` itself. Target
    /// ARNs of rules built in code take this path, so an ARN no resource has still reaches
    /// the registry (which reports it as not found) instead of failing when the rule is added.
    public init(text: String) {
        // Read as bytes (every topic delivery reads its endpoint's ARN): the offsets of the first
        // five ':' split the text; a ':' is one byte in UTF-8, so each part is whole UTF-8.
        var copy = text
        let parsed = copy.withUTF8 { bytes -> [String]? in
            var parts: [String] = []
            parts.reserveCapacity(6)
            var start = 0
            for i in 0..<bytes.count where bytes[i] == UInt8(ascii: ":") && parts.count < 5 {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                start = i + 1
            }
            guard parts.count == 5, parts[0] == "arn" else { return nil }
            parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return parts
        }
        guard let parts = parsed else {
            self.parts = Parts(partition: "", service: "", region: "", account: "", resource: text, description: text)
            return
        }
        self.parts = Parts(partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts[5], description: text)
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` of the given service, every part non-empty
    /// and RESOURCE free of `:`; `nil` otherwise. Unlike ``init(parsing:)`` it does not check the
    /// region or account format: the lenient reading of queue and topic ARNs (``init(queue:)``, ``init(topic:)``) and mapping sources.
    package static func lenient(_ text: String, service: String) -> ARN? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == service,
            !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty
        else { return nil }
        return ARN(service: service, region: String(parts[3]), account: String(parts[4]), resource: String(parts[5]),
                   partition: String(parts[1]))
    }

    /// The kind of resource the ARN text `text` names, read leniently (any non-empty service and
    /// resource; region and account unchecked), or `nil` when it is no ARN at all. The one ARN
    /// classifier behind destinations, bus forwarding and validation.
    public static func kind(of text: String) -> Kind? {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[2].isEmpty, !parts[5].isEmpty else { return nil }
        return ARN(service: String(parts[2]), region: String(parts[3]), account: String(parts[4]), resource: String(parts[5])).kind
    }

    /// An SQS queue ARN read leniently (``lenient(_:service:)``), printed with the partition `aws`;
    /// `nil` when `text` is not an ARN of `sqs` with a plain name.
    public init?(queue text: String) { self.init(lenient: text, service: "sqs") }

    /// An SNS topic ARN read leniently (``lenient(_:service:)``), printed with the partition `aws`;
    /// `nil` when `text` is not an ARN of `sns` with a plain name.
    public init?(topic text: String) { self.init(lenient: text, service: "sns") }

    private init?(lenient text: String, service: String) {
        guard let arn = ARN.lenient(text, service: service) else { return nil }
        self.init(service: arn.service, region: arn.region, account: arn.account, resource: arn.resource)
    }

    /// Whether `text` is a 12-digit account id.
    public static func isAccountID(_ text: String) -> Bool { AccountID.isValid(text) }

    /// The kind of resource, from the service and resource shape.
    public var kind: Kind {
        switch service {
        case "events":
            if resource.hasPrefix("event-bus/"), resource.count > 10 { return .eventBus }
            if resource.hasPrefix("rule/"), resource.count > 5 { return .rule }
            if resource.hasPrefix("archive/"), resource.count > 8 { return .archive }
            return .other
        case "sqs": return resource.contains("/") || resource.contains(":") ? .other : .queue
        case "sns": return resource.contains("/") || resource.contains(":") ? .other : .topic
        case "kinesis": return resource.hasPrefix("stream/") && resource.count > 7 ? .stream : .other
        case "lambda": return resource.hasPrefix("function:") && resource.count > 9 ? .function : .other
        default: return .other
        }
    }

    /// The resource's own name: the bus, queue, topic, stream or function name, or the rule name.
    public var name: String {
        switch kind {
        case .eventBus: return String(resource.dropFirst(10))
        case .stream: return String(resource.dropFirst(7))
        case .archive: return String(resource.dropFirst(8))
        case .function:
            let rest = resource.dropFirst(9)
            return String(rest.split(separator: ":", maxSplits: 1).first ?? rest)
        case .rule: return String(resource.split(separator: "/").last ?? "")
        default: return resource
        }
    }

    /// `arn:aws:events:REGION:ACCOUNT:event-bus/NAME`
    public static func eventBus(_ name: String, account: String, region: String) -> ARN {
        ARN(service: "events", region: region, account: account, resource: "event-bus/\(name)")
    }

    /// `arn:aws:events:REGION:ACCOUNT:rule/BUS/NAME`, or `rule/NAME` on the default bus.
    public static func rule(_ name: String, bus: String, account: String, region: String) -> ARN {
        ARN(service: "events", region: region, account: account, resource: bus == "default" ? "rule/\(name)" : "rule/\(bus)/\(name)")
    }

    /// `arn:aws:sqs:REGION:ACCOUNT:NAME`
    public static func queue(_ name: String, account: String, region: String) -> ARN {
        ARN(service: "sqs", region: region, account: account, resource: name)
    }

    /// `arn:aws:sns:REGION:ACCOUNT:NAME`
    public static func topic(_ name: String, account: String, region: String) -> ARN {
        ARN(service: "sns", region: region, account: account, resource: name)
    }

    /// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`
    public static func stream(_ name: String, account: String, region: String) -> ARN {
        ARN(service: "kinesis", region: region, account: account, resource: "stream/\(name)")
    }

    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`
    public static func function(_ name: String, account: String, region: String) -> ARN {
        ARN(service: "lambda", region: region, account: account, resource: "function:\(name)")
    }
}
