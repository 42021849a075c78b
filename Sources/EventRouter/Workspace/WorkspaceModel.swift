/// An event bus declared in a workspace (or the implicit `default` bus of an account).
public struct BusDefinition: Sendable, Hashable {
    public var name: String
    public var account: String
    public var region: String
    /// The resource policy as given (not enforced yet).
    public var policy: JSONValue?
    /// Where it was declared; `nil` for an implicit default bus.
    public var file: String?

    public init(name: String, account: String, region: String, policy: JSONValue? = nil, file: String? = nil) {
        self.name = name
        self.account = account
        self.region = region
        self.policy = policy
        self.file = file
    }

    /// `arn:aws:events:REGION:ACCOUNT:event-bus/NAME`
    public var arn: String { ARN.eventBus(name, account: account, region: region).description }
}

/// A rule target as declared (validated).
public struct TargetDefinition: Sendable, Hashable {
    public var id: String
    public var arn: String
    public var input: TargetInput
    public var retryPolicy: RetryPolicy
    public var deadLetterArn: String?
    public var messageGroupId: String?
    public var partitionKeyPath: String?
    /// `HttpParameters` (API destination targets).
    public var httpParameters: HttpParameters?

    public init(id: String, arn: String, input: TargetInput = .event, retryPolicy: RetryPolicy = RetryPolicy(),
                deadLetterArn: String? = nil, messageGroupId: String? = nil, partitionKeyPath: String? = nil,
                httpParameters: HttpParameters? = nil) {
        self.id = id
        self.arn = arn
        self.input = input
        self.retryPolicy = retryPolicy
        self.deadLetterArn = deadLetterArn
        self.messageGroupId = messageGroupId
        self.partitionKeyPath = partitionKeyPath
        self.httpParameters = httpParameters
    }
}

/// A rule as declared (validated).
public struct RuleDefinition: Sendable, Hashable {
    public var name: String
    public var busName: String
    public var account: String
    public var region: String
    public var pattern: EventPattern
    public var enabled: Bool
    public var description: String?
    public var targets: [TargetDefinition]
    /// Where it was declared.
    public var file: String?
    /// The pattern as written (JSON text), for `DescribeRule`; `nil` when unknown or absent.
    public var patternText: String?
    /// `ScheduleExpression` as given over the API (stored; scheduled rules do not fire yet).
    public var scheduleExpression: String?
    /// `RoleArn` as given.
    public var roleArn: String?
    /// The account that created the rule when it is not the bus's own account (a rule another
    /// account put on this bus, as its policy allows): `CreatedBy` in `DescribeRule`. Its targets
    /// are in that account. `nil`: the bus's account created it.
    public var createdBy: String?

    /// The account that created the rule: ``createdBy``, else the bus's account.
    public var creator: String { createdBy ?? account }

    /// A rule with a schedule and no pattern: it is kept on its bus but matches no event.
    public var isScheduleOnly: Bool { patternText == nil && scheduleExpression != nil }

    public init(name: String, busName: String = RouterDefaults.defaultBusName, account: String, region: String, pattern: EventPattern,
                enabled: Bool = true, description: String? = nil, targets: [TargetDefinition], file: String? = nil) {
        self.name = name
        self.busName = busName
        self.account = account
        self.region = region
        self.pattern = pattern
        self.enabled = enabled
        self.description = description
        self.targets = targets
        self.file = file
    }

    /// `arn:aws:events:REGION:ACCOUNT:rule/BUS/NAME` (`rule/NAME` on the default bus).
    public var arn: String { ARN.rule(name, bus: busName, account: account, region: region).description }
    /// The ARN of the rule's bus.
    public var busArn: String { ARN.eventBus(busName, account: account, region: region).description }
}

/// A resource kind this issue validates but does not run yet (topics, streams, archives, …):
/// kept as declared so later issues can pick it up.
public struct ResourceDeclaration: Sendable, Hashable {
    /// The section it came from, e.g. `Topics`.
    public var section: String
    public var name: String
    public var arn: String?
    public var account: String
    public var region: String
    public var json: JSONObject
    public var file: String

    public init(section: String, name: String, arn: String?, account: String, region: String, json: JSONObject, file: String) {
        self.section = section
        self.name = name
        self.arn = arn
        self.account = account
        self.region = region
        self.json = json
        self.file = file
    }
}
