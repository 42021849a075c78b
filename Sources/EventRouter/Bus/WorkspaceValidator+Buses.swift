/// The `EventBuses` section of rule files: names, policies, each account's implicit `default` bus.
extension WorkspaceValidator {
    static let busKeys = ["Name", "Policy", "Description"]

    /// Bus names.
    static let busNamePattern = FieldReader.Pattern.name(maximumLength: 256, extra: "._-/")

    mutating func readBuses() {
        for entry in sections["EventBuses"] ?? [] {
            fields.file = entry.file
            fields.checkKeys(entry.object, allowed: Self.busKeys, what: "an event bus", at: entry.path)
            _ = fields.string(entry.object, "Description", at: entry.path)
            guard let name = fields.string(entry.object, "Name", at: entry.path, required: true, pattern: Self.busNamePattern) else { continue }
            let policy = entry.object["Policy"]
            if let policy {
                checkBusPolicy(policy, busArn: ARN.eventBus(name, account: entry.account, region: entry.region).description, file: entry.file, path: "\(entry.path).Policy")
            }
            let bus = BusDefinition(name: name, account: entry.account, region: entry.region, policy: policy, file: entry.file)
            if let other = busIndex[bus.arn] {
                error(entry.file, "\(entry.path).Name", "duplicate event bus '\(name)' in account \(entry.account) (first declared at \(other))")
                continue
            }
            busIndex[bus.arn] = "\(entry.file): \(entry.path)"
            buses.append(bus)
        }
        for account in accounts.sorted() {
            for region in (regionsByAccount[account] ?? []).sorted() {
                let bus = BusDefinition(name: RouterDefaults.defaultBusName, account: account, region: region)
                if busIndex[bus.arn] == nil {
                    busIndex[bus.arn] = "(implicit)"
                    buses.append(bus)
                }
            }
        }
    }
}
