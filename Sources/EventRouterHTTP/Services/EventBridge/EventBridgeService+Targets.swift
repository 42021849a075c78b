import EventRouter

/// PutTargets, RemoveTargets, ListTargetsByRule.
extension EventBridgeService {
    /// PutTargets: the targets are read by the rule-file reader (Input, InputPath,
    /// InputTransformer, RetryPolicy, DeadLetterConfig, SqsParameters, KinesisParameters, ARN
    /// kinds); a malformed target refuses the call with `ValidationException`; more than 5
    /// targets in a call or on the rule is `LimitExceededException`.
    func putTargets(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let items = try input.list("Targets", required: true) ?? []
        guard !items.isEmpty else { throw .validation("1 validation error detected: Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1") }
        let limit = DefinitionReader.maximumTargets
        guard items.count <= limit else {
            throw .limitExceeded("The requested resource exceeds the maximum number allowed: a PutTargets call takes at most \(limit) targets, this one has \(items.count)")
        }
        return try store.serialized { () throws(AWSError) -> JSONValue in
            var rule = try rule(input, nameKey: "Rule", account: account, action: "events:PutTargets")
            let targets: [TargetDefinition]
            switch DefinitionReader.targets(items, ruleBusArn: rule.busArn, defaults: router.defaults) {
            case .success(let t): targets = t
            case .failure(let problems): throw .validation(problems.description)
            }
            // A rule created on another account's bus targets resources of the account that created it.
            if let creator = rule.createdBy {
                for target in targets {
                    if let problem = RuleCreatorTargets.problem(target.arn, creator: creator, rule: rule)
                        ?? target.deadLetterArn.flatMap({ RuleCreatorTargets.problem($0, creator: creator, rule: rule) }) {
                        throw AWSError(code: "AccessDeniedException", message: problem)
                    }
                }
            }
            var merged = rule.targets
            for target in targets {
                if let i = merged.firstIndex(where: { $0.id == target.id }) { merged[i] = target } else { merged.append(target) }
            }
            guard merged.count <= limit else {
                throw .limitExceeded("The requested resource exceeds the maximum number allowed: rule \(rule.name) would have \(merged.count) targets, at most \(limit) are allowed")
            }
            rule.targets = merged
            do throws(EventRouterError) { try router.putRule(rule) } catch { throw .events(error) }
            runtime.journalRule(named: rule.name, busArn: rule.busArn)
            return ["FailedEntryCount": 0, "FailedEntries": []]
        }
    }

    /// RemoveTargets: an id the rule does not have is a failed entry (`ResourceNotFoundException`).
    func removeTargets(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let ids = try input.strings("Ids", required: true) ?? []
        _ = try input.boolean("Force")
        guard (1...100).contains(ids.count) else {
            throw .validation("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100 (got \(ids.count))")
        }
        return try store.serialized { () throws(AWSError) -> JSONValue in
            var rule = try rule(input, nameKey: "Rule", account: account, action: "events:RemoveTargets")
            var failed: [JSONValue] = []
            for id in ids where !rule.targets.contains(where: { $0.id == id }) {
                failed.append(["TargetId": .string(id), "ErrorCode": "ResourceNotFoundException",
                               "ErrorMessage": .string("Rule \(rule.name) has no target with Id '\(id)'")])
            }
            rule.targets.removeAll { ids.contains($0.id) }
            do throws(EventRouterError) { try router.putRule(rule) } catch { throw .events(error) }
            runtime.journalRule(named: rule.name, busArn: rule.busArn)
            return ["FailedEntryCount": .number(JSONNumber(failed.count)), "FailedEntries": .array(failed)]
        }
    }

    /// ListTargetsByRule.
    func listTargetsByRule(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let rule = try rule(input, nameKey: "Rule", account: account, action: "events:ListTargetsByRule")
        let page = try input.page(rule.targets)
        return .page("Targets", page.items.map(Self.targetJSON), nextToken: page.nextToken)
    }

    /// A target as ListTargetsByRule shows it (the members PutTargets takes).
    static func targetJSON(_ target: TargetDefinition) -> JSONValue {
        var o = JSONObject()
        o["Id"] = .string(target.id)
        o["Arn"] = .string(target.arn)
        switch target.input {
        case .event: break
        case .constant(let text): o["Input"] = .string(text)
        case .path(let path): o["InputPath"] = .string(path.text)
        case .transformer(let t):
            let map = JSONObject(t.pathsMap.keys.sorted().map { .init(key: $0, value: .string(t.pathsMap[$0]?.text ?? "")) })
            o["InputTransformer"] = ["InputPathsMap": .object(map), "InputTemplate": .string(t.template)]
        }
        o["RetryPolicy"] = ["MaximumRetryAttempts": .number(JSONNumber(target.retryPolicy.maximumRetryAttempts)),
                            "MaximumEventAgeInSeconds": .number(JSONNumber(target.retryPolicy.maximumEventAgeInSeconds))]
        if let dlq = target.deadLetterArn { o["DeadLetterConfig"] = ["Arn": .string(dlq)] }
        if let group = target.messageGroupId { o["SqsParameters"] = ["MessageGroupId": .string(group)] }
        if let key = target.partitionKeyPath { o["KinesisParameters"] = ["PartitionKeyPath": .string(key)] }
        if let http = target.httpParameters { o["HttpParameters"] = http.json }
        return .object(o)
    }
}
