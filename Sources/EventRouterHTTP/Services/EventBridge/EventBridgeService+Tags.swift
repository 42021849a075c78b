import EventRouter

/// TagResource, UntagResource, ListTagsForResource on rules and buses.
extension EventBridgeService {
    func tagResource(_ input: JSONInput) throws(AWSError) -> JSONValue {
        let arn = try taggable(input)
        let tags = try input.tags(required: true) ?? []
        store.serialized {
            store.tag(arn, with: tags)
            runtime.journalTags(arn)
        }
        return [:]
    }

    func untagResource(_ input: JSONInput) throws(AWSError) -> JSONValue {
        let arn = try taggable(input)
        let keys = try input.strings("TagKeys", required: true) ?? []
        store.serialized {
            store.untag(arn, keys: keys)
            runtime.journalTags(arn)
        }
        return [:]
    }

    func listTagsForResource(_ input: JSONInput) throws(AWSError) -> JSONValue {
        let arn = try taggable(input)
        return ["Tags": .array(store.tags(of: arn).map { ["Key": .string($0.key), "Value": .string($0.value)] })]
    }

    /// The `ResourceARN` of an existing rule or bus.
    private func taggable(_ input: JSONInput) throws(AWSError) -> String {
        let text = try input.string("ResourceARN", required: true) ?? ""
        let arn: ARN
        do { arn = try ARN(parsing: text) } catch { throw .validation("Parameter ResourceARN is not valid: \(error.message)") }
        switch arn.kind {
        case .eventBus:
            guard router.hasBus(arn: arn.description) else { throw .notFound("Event bus \(arn.name) does not exist.") }
        case .rule:
            let parts = arn.resource.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false)
            let bus = parts.count == 2 ? String(parts[0]) : RouterDefaults.defaultBusName
            let busArn = ARN.eventBus(bus, account: arn.account, region: arn.region).description
            guard router.rule(named: arn.name, busArn: busArn) != nil else { throw .notFound("Rule \(arn.name) does not exist on EventBus \(bus).") }
        default:
            throw .validation("Parameter ResourceARN is not valid: EventRouter tags rules and event buses, not \(arn.kind.rawValue) ARNs")
        }
        return arn.description
    }
}
