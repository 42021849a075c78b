import EventRouter

/// CreateEventBus, DescribeEventBus, ListEventBuses, DeleteEventBus.
extension EventBridgeService {
    /// CreateEventBus: a bus of the caller's account (names as in rule files).
    func createEventBus(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        _ = try input.string("Name", required: true)
        var fields = FieldReader()
        let name = fields.string(input.object, "Name", at: "$", required: true, pattern: DefinitionReader.busNamePattern)
        if let problem = fields.problems.first { throw .validation(Self.reason(problem)) }
        guard let name else { throw .validation("Parameter Name is not valid.") }
        if let source = try input.string("EventSourceName"), !source.isEmpty {
            throw .validation("Parameter EventSourceName is not valid: partner event sources are not served by EventRouter; leave it out")
        }
        let description = try input.string("Description")
        if let description, description.count > 512 { throw .validation("Parameter Description is not valid: at most 512 characters, got \(description.count)") }
        _ = try input.string("KmsKeyIdentifier")
        _ = try input.structure("DeadLetterConfig")
        let tags = try input.tags()
        let arn = ARN.eventBus(name, account: account, region: region).description
        try store.serialized { () throws(AWSError) in
            guard !router.hasBus(arn: arn) else { throw .alreadyExists("Event bus \(name) already exists.") }
            router.createBus(name, account: account, region: region)
            let now = router.clock.now
            store.setInfo(.init(description: description, created: now, modified: now), for: arn)
            runtime.journalBus(arn)
            if let tags {
                store.tag(arn, with: tags)
                runtime.journalTags(arn)
            }
        }
        var o = JSONObject([.init(key: "EventBusArn", value: .string(arn))])
        o.set("Description", description)
        return .object(o)
    }

    /// DescribeEventBus: with its `Policy` (a JSON string) when it has one.
    func describeEventBus(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let arn = try busArn(try input.string("Name"), account: account)
        return .object(busJSON(arn))
    }

    /// ListEventBuses: the caller's buses, `NamePrefix`, `Limit`, `NextToken`.
    func listEventBuses(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let prefix = try input.string("NamePrefix") ?? ""
        let page = try input.page(buses(of: account).filter { $0.name.hasPrefix(prefix) })
        return .page("EventBuses", page.items.map { .object(busJSON($0.arn)) }, nextToken: page.nextToken)
    }

    /// DeleteEventBus: never `default`; refused while the bus has rules; a bus that does not exist is no error.
    func deleteEventBus(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let name = try input.string("Name", required: true) ?? ""
        guard name != RouterDefaults.defaultBusName else { throw .validation("Cannot delete event bus default.") }
        let arn = name.hasPrefix("arn:") ? (BusReference(arn: name)?.arn ?? name) : ARN.eventBus(name, account: account, region: region).description
        return try store.serialized { () throws(AWSError) -> JSONValue in
            guard router.hasBus(arn: arn) else { return [:] }
            let rules = router.rules(onBus: arn)
            guard rules.isEmpty else {
                throw .validation("Cannot delete event bus \(name): it has rules (\(rules.map(\.name).joined(separator: ", "))); delete them first")
            }
            router.removeBus(arn: arn)
            router.access.setPolicy(nil, forBus: arn)
            store.forget(arn)
            runtime.journalBus(arn)
            return [:]
        }
    }

    /// A bus as DescribeEventBus and ListEventBuses show it.
    func busJSON(_ arn: String) -> JSONObject {
        let info = store.info(arn)
        var o = JSONObject()
        o["Name"] = .string(BusReference(arn: arn)?.name ?? arn)
        o["Arn"] = .string(arn)
        o.set("Description", info?.description)
        o.set("Policy", router.access.policy(forBus: arn)?.jsonText)
        o["CreationTime"] = .epoch(info?.created ?? store.started)
        o["LastModifiedTime"] = .epoch(info?.modified ?? store.started)
        return o
    }
}
