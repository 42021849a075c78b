/// `eventrouter permission add|remove`: edits the `Policy` of a bus in the workspace's rule
/// files, as `PutPermission` / `RemovePermission` would edit the live bus.
///
/// The bus is found where it is declared (`EventBuses`, in a file of its account). An account's
/// `default` bus that no file declares is added to the `EventBuses` of the first file of that
/// account. The edited file is written back pretty-printed (content and key order kept).
public enum RuleFilePermissionEditor {
    /// The change to make.
    public enum Edit: Sendable {
        case add(PermissionGrant)
        /// Remove one statement, or all (`nil`).
        case remove(statementId: String?)
    }

    /// The outcome: which file changes, its new text, and the bus's new policy.
    public struct Result: Sendable {
        public var busArn: String
        /// The rule file to rewrite (as named in the input).
        public var file: String
        public var text: String
        /// `nil` when the bus is left without a policy.
        public var policy: JSONValue?
    }

    /// Applies `edit` to the bus `bus` (a name in `account`, or an event-bus ARN).
    /// - Parameters:
    ///   - files: every rule file (name, text), as the workspace loader reads them.
    /// - Throws: ``EventRouterError`` when the bus is not found, a file is not valid JSON, the
    ///   edit is invalid, or the workspace would not validate afterwards (every error listed).
    ///   - functions: the workspace's function manifests (targets and destinations may name them).
    public static func apply(_ edit: Edit, bus: String, account: String? = nil, files: [(name: String, text: String)],
                             defaults: RouterDefaults = RouterDefaults(),
                             functions: [FunctionManifest] = []) throws(EventRouterError) -> Result {
        let target: BusReference
        if bus.hasPrefix("arn:") {
            guard let ref = BusReference(arn: bus) else {
                throw EventRouterError(.validation, "--bus must be a bus name or an ARN like arn:aws:events:us-east-1:123456789012:event-bus/NAME, not '\(bus)'")
            }
            target = ref
        } else {
            target = BusReference(name: bus, account: account ?? defaults.account, region: defaults.region)
        }
        var roots: [(name: String, root: JSONObject, account: String, region: String)] = []
        for f in files {
            let json: JSONValue
            do { json = try JSONParser.parse(f.text) } catch {
                throw EventRouterError(.validation, "\(f.name) is not valid JSON (\(error)); fix it first ('eventrouter validate')")
            }
            guard case .object(let root) = json else { continue }
            roots.append((f.name, root, root["Account"]?.stringValue ?? defaults.account, root["Region"]?.stringValue ?? defaults.region))
        }
        // Where the bus is declared, or (for `default`) the first file of its account.
        var found: (file: Int, bus: Int?)?
        search: for (i, r) in roots.enumerated() where r.account == target.account && r.region == target.region {
            for (j, entry) in (r.root["EventBuses"]?.arrayValue ?? []).enumerated() where entry["Name"]?.stringValue == target.name {
                found = (i, j)
                break search
            }
        }
        if found == nil, target.name == RouterDefaults.defaultBusName,
           let i = roots.firstIndex(where: { $0.account == target.account && $0.region == target.region }) {
            found = (i, nil)
        }
        guard let (fileIndex, busIndex) = found else {
            let names = roots.filter { $0.account == target.account }.flatMap { ($0.root["EventBuses"]?.arrayValue ?? []).compactMap { $0["Name"]?.stringValue } }
            var message = "no rule file declares the bus '\(target.name)' of account \(target.account) in \(target.region)"
            if let hint = DidYouMean.suggestion(for: target.name, among: names + [RouterDefaults.defaultBusName]) { message += " (did you mean '\(hint)'?)" }
            if target.name == RouterDefaults.defaultBusName {
                message += "; add a rule file with {\"Account\": \"\(target.account)\"} first"
            }
            throw EventRouterError(.notFound, message)
        }
        var root = roots[fileIndex].root
        var buses = root["EventBuses"]?.arrayValue ?? []
        var entry = busIndex.flatMap { buses[$0].objectValue } ?? JSONObject([.init(key: "Name", value: .string(target.name))])
        let policy: JSONValue?
        switch edit {
        case .add(let grant): policy = try BusPermissionEditor.putPermission(grant, to: entry["Policy"], busArn: target.arn)
        case .remove(let sid): policy = try BusPermissionEditor.removePermission(statementId: sid, removeAll: sid == nil, from: entry["Policy"], busArn: target.arn)
        }
        if let policy { entry["Policy"] = policy } else { entry.members.removeAll { $0.key == "Policy" } }
        if let busIndex { buses[busIndex] = .object(entry) } else { buses.append(.object(entry)) }
        root["EventBuses"] = .array(buses)
        let text = JSONPrettyPrinter.format(.object(root))
        var edited = files
        edited[edited.firstIndex { $0.name == roots[fileIndex].name } ?? 0].text = text
        let check = WorkspaceLoader.validate(files: edited, defaults: defaults, functions: functions)
        if check.hasErrors {
            let errors = check.problems.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
            throw EventRouterError(.validation, "the workspace would not validate after this change, so nothing was written:\n\(errors)")
        }
        return Result(busArn: target.arn, file: roots[fileIndex].name, text: text, policy: policy)
    }
}
