import EventRouter

/// PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule, ListRuleNamesByTarget.
extension EventBridgeService {
    /// PutRule: creates a rule or changes one (keeping its targets). The pattern is read by the
    /// rule-file reader; a `ScheduleExpression` fires on the runtime's clock (see `ScheduleRunner`).
    func putRule(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        _ = try input.string("Name", required: true)
        _ = try input.string("State")
        var fields = FieldReader()
        let name = fields.string(input.object, "Name", at: "$", pattern: DefinitionReader.ruleNamePattern)
        let state = fields.enumeration(input.object, "State", at: "$", allowed: DefinitionReader.ruleStates)
        if let problem = fields.problems.first { throw .validation(Self.reason(problem)) }
        guard let name else { throw .validation("Parameter Name is not valid.") }
        let description = try input.string("Description")
        if let description, description.count > 512 { throw .validation("Parameter Description is not valid: at most 512 characters, got \(description.count)") }
        let roleArn = try input.string("RoleArn")
        if let roleArn {
            do { _ = try ARN(parsing: roleArn) } catch { throw .validation("Parameter RoleArn is not valid: \(error.message)") }
        }
        let patternText = try input.string("EventPattern")
        let schedule = try input.string("ScheduleExpression")
        let tags = try input.tags()
        let bus = try busArn(try input.string("EventBusName"), account: account, foreign: true)
        guard patternText != nil || schedule != nil else {
            throw .validation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
        }
        var pattern = EventPattern(alternatives: [])
        if let patternText {
            switch DefinitionReader.pattern(.string(patternText), defaults: router.defaults) {
            case .success(let p): pattern = p
            case .failure(let problems): throw .invalidPattern(problems.reasons)
            }
        }
        if let schedule {
            do throws(ScheduleExpressionError) { _ = try ScheduleExpression(parsing: schedule) } catch { throw .validation(error.description) }
            guard BusReference(arn: bus)?.name == RouterDefaults.defaultBusName else {
                throw .validation("ScheduleExpression is supported only on the default event bus.")
            }
        }
        guard let ref = BusReference(arn: bus) else { throw .notFound("Event bus \(bus) does not exist.") }
        return try store.serialized { () throws(AWSError) -> JSONValue in
            let existing = router.rule(named: name, busArn: bus)
            var rule = RuleDefinition(name: name, busName: ref.name, account: ref.account, region: ref.region, pattern: pattern,
                                      enabled: (state ?? "ENABLED") != "DISABLED", description: description, targets: existing?.targets ?? [])
            // A rule on another account's bus: its policy decides, with the pattern's sources and detail types.
            rule.createdBy = existing.map(\.createdBy) ?? (ref.account == account ? nil : account)
            if ref.account != account {
                let json = patternText.flatMap { try? JSONParser.parse($0) }
                try authorize(BusRequest(action: "events:PutRule", account: account, resource: rule.arn,
                                         sources: BusRequest.patternValues(json, field: "source"),
                                         detailTypes: BusRequest.patternValues(json, field: "detail-type"),
                                         creatorAccount: existing?.creator), busArn: bus)
            }
            rule.patternText = patternText
            rule.scheduleExpression = schedule
            rule.roleArn = roleArn
            do throws(EventRouterError) { try router.putRule(rule) } catch { throw .events(error) }
            runtime.journalRule(named: name, busArn: bus)
            if let tags {
                store.tag(rule.arn, with: tags)
                runtime.journalTags(rule.arn)
            }
            return ["RuleArn": .string(rule.arn)]
        }
    }

    /// DescribeRule.
    func describeRule(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let rule = try rule(input, account: account, action: "events:DescribeRule")
        var o = Self.ruleJSON(rule)
        o["CreatedBy"] = .string(rule.creator)
        return .object(o)
    }

    /// ListRules: `NamePrefix`, `EventBusName`, `Limit`, `NextToken`.
    func listRules(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let prefix = try input.string("NamePrefix") ?? ""
        let bus = try busArn(try input.string("EventBusName"), account: account, foreign: true)
        if let ref = BusReference(arn: bus), ref.account != account {
            try authorize(BusRequest(action: "events:ListRules", account: account,
                                     resource: ARN.rule("*", bus: ref.name, account: ref.account, region: ref.region).description), busArn: bus)
        }
        let rules = router.rules(onBus: bus).filter { $0.name.hasPrefix(prefix) }.sorted { $0.name < $1.name }
        let page = try input.page(rules)
        return .page("Rules", page.items.map { r in
            var o = Self.ruleJSON(r)
            if let creator = r.createdBy { o["CreatedBy"] = .string(creator) }
            return .object(o)
        }, nextToken: page.nextToken)
    }

    /// DeleteRule: refused while the rule has targets (as AWS); a rule that does not exist is no error.
    func deleteRule(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let name = try input.string("Name", required: true) ?? ""
        _ = try input.boolean("Force")
        let bus = try busArn(try input.string("EventBusName"), account: account, foreign: true)
        return try store.serialized { () throws(AWSError) -> JSONValue in
            let found = router.rule(named: name, busArn: bus)
            if let ref = BusReference(arn: bus), ref.account != account {
                try authorize(BusRequest(action: "events:DeleteRule", account: account,
                                         resource: ARN.rule(name, bus: ref.name, account: ref.account, region: ref.region).description,
                                         creatorAccount: found?.creator), busArn: bus)
            }
            guard let rule = found else { return [:] }
            guard rule.targets.isEmpty else {
                throw .validation("Rule can't be deleted since it has targets. (Remove its targets \(rule.targets.map(\.id).joined(separator: ", ")) with RemoveTargets first.)")
            }
            router.removeRule(named: name, busArn: bus)
            store.forget(rule.arn)
            runtime.journalRule(named: name, busArn: bus)
            return [:]
        }
    }

    /// EnableRule / DisableRule: a disabled rule matches no event.
    func setRuleEnabled(_ enabled: Bool, _ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        try store.serialized { () throws(AWSError) -> JSONValue in
            var rule = try rule(input, account: account, action: enabled ? "events:EnableRule" : "events:DisableRule")
            rule.enabled = enabled
            do throws(EventRouterError) { try router.putRule(rule) } catch { throw .events(error) }
            runtime.journalRule(named: rule.name, busArn: rule.busArn)
            return [:]
        }
    }

    /// ListRuleNamesByTarget: the rules of a bus with a target of that ARN.
    func listRuleNamesByTarget(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let target = try input.string("TargetArn", required: true) ?? ""
        let bus = try busArn(try input.string("EventBusName"), account: account)
        let names = router.rules(onBus: bus).filter { $0.targets.contains { $0.arn == target } }.map(\.name).sorted()
        let page = try input.page(names)
        return .page("RuleNames", page.items.map { .string($0) }, nextToken: page.nextToken)
    }

    /// A rule as DescribeRule and ListRules show it.
    static func ruleJSON(_ rule: RuleDefinition) -> JSONObject {
        var o = JSONObject()
        o["Name"] = .string(rule.name)
        o["Arn"] = .string(rule.arn)
        o.set("EventPattern", rule.patternText)
        o.set("ScheduleExpression", rule.scheduleExpression)
        o["State"] = .string(rule.enabled ? "ENABLED" : "DISABLED")
        o.set("Description", rule.description)
        o.set("RoleArn", rule.roleArn)
        o["EventBusName"] = .string(rule.busName)
        return o
    }

    /// A problem's reason with its path (`Name: 'Name' must be …`).
    static func reason(_ problem: ValidationProblem) -> String {
        let path = problem.path.hasPrefix("$.") ? String(problem.path.dropFirst(2)) : problem.path
        return path == "$" ? problem.message : "Parameter \(path) is not valid: \(problem.message)"
    }
}
