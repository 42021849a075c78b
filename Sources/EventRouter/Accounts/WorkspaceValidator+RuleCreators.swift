/// Rules another account created on a bus (issue 17): a rule's `CreatedBy` (or `Account`), or a
/// rule whose `EventBusName` is the ARN of another account's bus, belongs to the bus's account
/// but was created by that other account. The bus's policy must allow it (`events:PutRule`, and
/// `events:PutTargets` for its targets), and its targets must be in the creator's account.
extension WorkspaceValidator {
    /// The account that created the rule at `path` when it is not `busAccount` (`nil`: the bus's own
    /// account), and the JSON path a problem about it points at. `nil` on an invalid value.
    mutating func readRuleCreator(_ o: JSONObject, file: String, path: String, fileAccount: String, busAccount: String) -> (creator: String?, at: String)? {
        var given: [(key: String, value: String)] = []
        for key in ["CreatedBy", "Account"] {
            if let v = fields.string(o, key, at: path, pattern: .accountID) { given.append((key, v)) }
            else if o[key] != nil { return nil }
        }
        if given.count == 2, given[0].value != given[1].value {
            error(file, "\(path).Account", "Account \(given[1].value) and CreatedBy \(given[0].value) disagree; give the creating account once (CreatedBy)")
            return nil
        }
        if let first = given.first {
            return (first.value == busAccount ? nil : first.value, "\(path).\(first.key)")
        }
        // A rule in one account's file on another account's bus: that file's account created it.
        return (fileAccount == busAccount ? nil : fileAccount, "\(path).EventBusName")
    }

    /// Checks a rule created by `rule.createdBy`: the bus policy allows `PutRule` (and `PutTargets`
    /// when it has targets), and every target and dead-letter queue is in the creator's account.
    /// - Returns: whether the rule is acceptable.
    mutating func checkForeignRule(_ rule: RuleDefinition, pattern: JSONValue?, file: String, path: String, at creatorPath: String) -> Bool {
        guard let creator = rule.createdBy else { return true }
        var ok = true
        var known = Workspace(buses: buses)
        known.accountDefinitions = accountDefinitions
        let access = BusAccessControl(workspace: known)
        let sources = BusRequest.patternValues(pattern, field: "source"), types = BusRequest.patternValues(pattern, field: "detail-type")
        let declaredAt = busIndex[rule.busArn].map { " (declared at \($0))" } ?? ""
        var actions = [("events:PutRule", nil as String?)]
        if !rule.targets.isEmpty { actions.append(("events:PutTargets", creator)) }
        for (action, creatorAccount) in actions {
            // As on the wire: PutRule carries the pattern's sources and detail types, PutTargets the creator.
            let isPutRule = action == "events:PutRule"
            let request = BusRequest(action: action, account: creator, resource: rule.arn, sources: isPutRule ? sources : nil,
                                     detailTypes: isPutRule ? types : nil, creatorAccount: creatorAccount)
            let decision = access.decide(request, busArn: rule.busArn)
            guard !decision.allowed else { continue }
            let rules = ARN.rule("*", bus: rule.busName, account: rule.account, region: rule.region)
            error(file, creatorPath, "rule '\(rule.name)' is created by account \(creator) on a bus of account \(rule.account), which its policy does not allow: "
                  + "\(decision.reason); add a statement allowing \(action) on \(rules) for \(creator) to the Policy of bus '\(rule.busName)'\(declaredAt)")
            ok = false
            break
        }
        for (i, target) in rule.targets.enumerated() {
            if let problem = RuleCreatorTargets.problem(target.arn, creator: creator, rule: rule) {
                error(file, "\(path).Targets[\(i)].Arn", problem)
                ok = false
            }
            if let dlq = target.deadLetterArn, let problem = RuleCreatorTargets.problem(dlq, creator: creator, rule: rule) {
                error(file, "\(path).Targets[\(i)].DeadLetterConfig.Arn", problem)
                ok = false
            }
        }
        return ok
    }
}
