/// Records of the resources created through the EventBridge API (``StateRecordType`` 30–39):
/// each change submits the resource's whole state as it is after the change, under the lock
/// that orders the change (the EventBridge service's edit lock), and notes the ticket for the
/// request (``StateJournalTickets``). Without a journal nothing is encoded.
extension RouterRuntime {
    /// Records the bus `arn` as it is now (`bus.put`), or its deletion (`bus.delete`) when it is gone.
    public func journalBus(_ arn: String) {
        guard let journal = resourceMetadata.journal, !resourceMetadata.isFromFiles(arn) else { return }
        if router.hasBus(arn: arn) {
            submit(journal, StateRecord(.busPut, busJSON(arn)))
        } else {
            submit(journal, StateRecord(.busDelete, ["arn": .string(arn)]))
        }
    }

    /// Records the rule `name` of the bus `busArn` with its targets (`rule.put`), or its deletion.
    public func journalRule(named name: String, busArn: String) {
        guard let journal = resourceMetadata.journal else { return }
        if let rule = router.rule(named: name, busArn: busArn) {
            guard !resourceMetadata.isFromFiles(rule.arn) else { return }
            submit(journal, StateRecord(.rulePut, ["arn": .string(rule.arn), "r": Self.ruleJSON(rule)]))
        } else if let ref = BusReference(arn: busArn) {
            let arn = ARN.rule(name, bus: ref.name, account: ref.account, region: ref.region).description
            guard !resourceMetadata.isFromFiles(arn) else { return }
            submit(journal, StateRecord(.ruleDelete, ["arn": .string(arn)]))
        }
    }

    /// Records the policy of the bus `busArn` (`bus.policy`; no `Policy` member: none).
    public func journalPolicy(busArn: String) {
        guard let journal = resourceMetadata.journal, !resourceMetadata.isFromFiles(busArn) else { return }
        submit(journal, StateRecord(.busPolicy, policyJSON(busArn)))
    }

    /// Records the connection `name` (`connection.put`), or its deletion.
    public func journalConnection(account: String, region: String, name: String) {
        guard let journal = resourceMetadata.journal else { return }
        if let c = apiDestinations.connection(account: account, region: region, name: name) {
            guard c.file == nil else { return }
            submit(journal, StateRecord(.connectionPut, connectionJSON(c)))
        } else {
            submit(journal, StateRecord(.connectionDelete, ["a": .string(account), "g": .string(region), "n": .string(name)]))
        }
    }

    /// Records the API destination `name` (`apiDestination.put`), or its deletion.
    public func journalApiDestination(account: String, region: String, name: String) {
        guard let journal = resourceMetadata.journal else { return }
        if let d = apiDestinations.destination(account: account, region: region, name: name) {
            guard d.file == nil else { return }
            submit(journal, StateRecord(.apiDestinationPut, apiDestinationJSON(d)))
        } else {
            submit(journal, StateRecord(.apiDestinationDelete, ["a": .string(account), "g": .string(region), "n": .string(name)]))
        }
    }

    /// Records the tags of `arn` (`resource.tags`; an empty list: none).
    public func journalTags(_ arn: String) {
        guard let journal = resourceMetadata.journal else { return }
        submit(journal, StateRecord(.resourceTags, ["arn": .string(arn), "Tags": Self.tagsJSON(resourceMetadata.tags(of: arn))]))
    }

    private func submit(_ journal: any StateJournal, _ record: StateRecord) {
        StateJournalTickets.note(journal.submit([record]))
    }

    // MARK: - Whole states (records and the snapshot's "resources")

    /// The snapshot's `"resources"` section: what the records rebuild, for the resources not
    /// from the files: `{"buses", "policies", "rules", "connections", "apiDestinations", "tags"}`.
    public func resourcesJournalJSON() -> JSONValue {
        let meta = resourceMetadata
        var buses: [JSONValue] = [], policies: [JSONValue] = [], rules: [JSONValue] = []
        for arn in router.busArns where !meta.isFromFiles(arn) {
            if BusReference(arn: arn)?.name != RouterDefaults.defaultBusName { buses.append(busJSON(arn)) }
            if router.access.policy(forBus: arn) != nil { policies.append(policyJSON(arn)) }
            for rule in router.rules(onBus: arn) where !meta.isFromFiles(rule.arn) {
                rules.append(["arn": .string(rule.arn), "r": Self.ruleJSON(rule)])
            }
        }
        // Rules created through the API on buses of the files.
        for arn in router.busArns where meta.isFromFiles(arn) {
            for rule in router.rules(onBus: arn) where !meta.isFromFiles(rule.arn) {
                rules.append(["arn": .string(rule.arn), "r": Self.ruleJSON(rule)])
            }
        }
        var connections: [JSONValue] = [], destinations: [JSONValue] = []
        for c in apiDestinations.allConnections where c.file == nil { connections.append(connectionJSON(c)) }
        for d in apiDestinations.allDestinations where d.file == nil { destinations.append(apiDestinationJSON(d)) }
        let tags: [JSONValue] = meta.allTags.map { ["arn": .string($0.arn), "Tags": Self.tagsJSON($0.tags)] }
        return ["buses": .array(buses), "policies": .array(policies), "rules": .array(rules), "connections": .array(connections),
                "apiDestinations": .array(destinations), "tags": .array(tags)]
    }

    func busJSON(_ arn: String) -> JSONValue {
        var o: JSONObject = ["arn": .string(arn)]
        if let info = resourceMetadata.info(arn) { Self.put(info, into: &o) }
        return .object(o)
    }

    func policyJSON(_ busArn: String) -> JSONValue {
        var o: JSONObject = ["arn": .string(busArn)]
        if let policy = router.access.policy(forBus: busArn) { o["Policy"] = .string(policy.jsonText) }
        return .object(o)
    }

    func connectionJSON(_ c: ConnectionDefinition) -> JSONValue {
        var o: JSONObject = ["arn": .string(c.arn), "a": .string(c.account), "g": .string(c.region), "c": .object(c.ruleFileJSON)]
        if let info = resourceMetadata.info(c.arn) { Self.put(info, into: &o) }
        return .object(o)
    }

    func apiDestinationJSON(_ d: ApiDestinationDefinition) -> JSONValue {
        var o: JSONObject = ["arn": .string(d.arn), "a": .string(d.account), "g": .string(d.region), "d": .object(d.ruleFileJSON)]
        if let info = resourceMetadata.info(d.arn) { Self.put(info, into: &o) }
        return .object(o)
    }

    /// `Description`, `Created` and `Modified` (nanoseconds since the epoch).
    static func put(_ info: ResourceMetadata.Info, into o: inout JSONObject) {
        if let d = info.description { o["Description"] = .string(d) }
        o["Created"] = .number(JSONNumber(Int(info.created.nanosecondsSinceEpoch)))
        o["Modified"] = .number(JSONNumber(Int(info.modified.nanosecondsSinceEpoch)))
    }

    static func tagsJSON(_ tags: [(key: String, value: String)]) -> JSONValue {
        .array(tags.map { ["Key": .string($0.key), "Value": .string($0.value)] })
    }

    /// A rule as PutRule takes it, with its bus's ARN and its targets as PutTargets takes them.
    static func ruleJSON(_ rule: RuleDefinition) -> JSONValue {
        var o = JSONObject()
        o["Name"] = .string(rule.name)
        o["EventBusArn"] = .string(rule.busArn)
        if let text = rule.patternText { o["EventPattern"] = .string(text) }
        if let schedule = rule.scheduleExpression { o["ScheduleExpression"] = .string(schedule) }
        o["State"] = rule.enabled ? "ENABLED" : "DISABLED"
        if let description = rule.description { o["Description"] = .string(description) }
        if let role = rule.roleArn { o["RoleArn"] = .string(role) }
        if let creator = rule.createdBy { o["CreatedBy"] = .string(creator) }
        o["Targets"] = .array(rule.targets.map(RuleFileWriter.target))
        return .object(o)
    }
}
