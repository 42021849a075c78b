/// Issue 7's part of workspace validation: `Accounts`, bus `Policy` documents, and bus targets
/// that a receiving bus's policy would refuse.
extension WorkspaceValidator {
    /// Reads every `Accounts` entry: 12-digit ids, organization ids, access keys; no account
    /// declared twice with different organizations or limits, no access key acting for two accounts.
    mutating func readAccountDefinitions() {
        var seen: [String: (index: Int, at: String)] = [:]
        var keyOwners: [String: (key: AccountAccessKey, account: String, at: String)] = [:]
        for entry in sections["Accounts"] ?? [] {
            fields.file = entry.file
            guard let account = AccountDefinition.read(.object(entry.object), at: entry.path, fields: &fields) else { continue }
            let at = "\(entry.file): \(entry.path)"
            var newKeys: [AccountAccessKey] = []
            for (i, key) in account.accessKeys.enumerated() {
                let keyAt = "\(entry.file): \(entry.path).AccessKeys[\(i)]"
                if let owner = keyOwners[key.accessKeyId] {
                    if owner.account != account.id {
                        error(entry.file, "\(entry.path).AccessKeys[\(i)].AccessKeyId",
                              "access key '\(key.accessKeyId)' is declared for account \(account.id) here and for account \(owner.account) at \(owner.at); a key acts for one account")
                    } else if owner.key.secretAccessKey != key.secretAccessKey {
                        error(entry.file, "\(entry.path).AccessKeys[\(i)].SecretAccessKey",
                              "access key '\(key.accessKeyId)' of account \(account.id) is declared again with another secret (first at \(owner.at)); declare it once")
                    }
                    continue
                }
                keyOwners[key.accessKeyId] = (key, account.id, keyAt)
                newKeys.append(key)
            }
            if let first = seen[account.id] {
                let definition = accountDefinitions[first.index]
                if definition.organizationId != account.organizationId {
                    error(entry.file, "\(entry.path).OrganizationId",
                          "account \(account.id) is declared again with another organization (\(account.organizationId ?? "none") here, \(definition.organizationId ?? "none") at \(first.at))")
                }
                if let limit = account.concurrentExecutions, definition.concurrentExecutions != limit {
                    error(entry.file, "\(entry.path).ConcurrentExecutions",
                          "account \(account.id) is declared again with another ConcurrentExecutions (\(limit) here, \(definition.concurrentExecutions.map(String.init) ?? "none") at \(first.at)): set it in one place")
                }
                accountDefinitions[first.index].accessKeys += newKeys
                continue
            }
            var definition = account
            definition.accessKeys = newKeys
            seen[account.id] = (accountDefinitions.count, at)
            accounts.insert(account.id)
            regionsByAccount[account.id, default: []].insert(entry.region)
            accountDefinitions.append(definition)
        }
    }

    /// Checks that each account's function reservations leave Lambda's minimum unreserved
    /// concurrency (the check ``FunctionHost`` makes when the router starts), reporting on the
    /// function.json of the largest reservation.
    mutating func checkConcurrencyReservations() {
        var known = Workspace()
        known.accountDefinitions = accountDefinitions
        let limits = known.concurrencyLimits
        var groups: [String: [FunctionManifest]] = [:]
        for f in functions { groups[AccountConcurrency.key(account: f.account, region: f.region), default: []].append(f) }
        for (_, group) in groups.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try AccountConcurrency.pools(for: group, limits: limits)
            } catch {
                let largest = group.max { ($0.reservedConcurrentExecutions ?? 0) < ($1.reservedConcurrentExecutions ?? 0) } ?? group[0]
                self.error("Functions/\(largest.name)/function.json", "$.ReservedConcurrentExecutions", error.message)
            }
        }
    }

    /// Checks a bus's `Policy` (object or JSON string) against the bus's ARN.
    mutating func checkBusPolicy(_ policy: JSONValue, busArn: String, file: String, path: String) {
        for p in BusPolicy.parse(policy, busArn: busArn).problems { report(p.rebased(onto: path), file: file) }
    }

    /// Warns about bus targets with input shaping (ignored), and about rules that forward to a bus
    /// of another account whose policy refuses the rule's account.
    mutating func checkBusTargetPermissions() {
        var known = Workspace(buses: buses)
        known.accountDefinitions = accountDefinitions
        let access = BusAccessControl(workspace: known)
        for rule in rules {
            for target in rule.targets where ARN.kind(of: target.arn) == .eventBus {
                if target.input != .event {
                    warning(rule.file ?? "", "$.Rules[?(@.Name=='\(rule.name)')].Targets[?(@.Id=='\(target.id)')]",
                            "a bus target forwards the event itself (with its id, account and detail); Input, InputPath and InputTransformer are ignored")
                }
                guard busIndex[target.arn] != nil, BusReference(arn: target.arn)?.account != rule.account else { continue }
                // The forwarded events' source and detail type are those the pattern names (absent when it names none).
                let pattern = rule.patternText.flatMap { try? JSONParser.parse($0) }
                let decision = access.decide(BusRequest(action: "events:PutEvents", account: rule.account, resource: target.arn,
                                                        sources: BusRequest.patternValues(pattern, field: "source"),
                                                        detailTypes: BusRequest.patternValues(pattern, field: "detail-type")), busArn: target.arn)
                if !decision.allowed {
                    warning(rule.file ?? "", "$.Rules[?(@.Name=='\(rule.name)')].Targets[?(@.Id=='\(target.id)')].Arn",
                            "deliveries will fail with NO_PERMISSIONS: \(decision.reason) — e.g. 'eventrouter permission add --bus \(target.arn) --account \(rule.account) --statement-id ID'")
                }
            }
        }
    }

    mutating func report(_ problem: ValidationProblem, file: String) {
        switch problem.severity {
        case .error: error(file, problem.path, problem.message)
        case .warning: warning(file, problem.path, problem.message)
        }
    }
}
