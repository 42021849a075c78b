import EventRouter

/// CreateConnection, DescribeConnection, ListConnections, UpdateConnection, DeleteConnection:
/// read by ``ConnectionDefinition/read(_:account:region:file:fields:at:name:)``, the reader of the
/// workspace's `Connections`; kept in the runtime's ``ApiDestinationRegistry``.
extension EventBridgeService {
    var apiDestinations: ApiDestinationRegistry { runtime.apiDestinations }

    func createConnection(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        try store.serialized { () throws(AWSError) -> JSONValue in
            let connection = try Self.readConnection(input.object, account: account, region: region, name: nil)
            guard apiDestinations.connection(account: account, region: region, name: connection.name) == nil else {
                throw .alreadyExists("Connection \(connection.name) already exists.")
            }
            apiDestinations.put(connection)
            let now = router.clock.now
            store.setInfo(.init(created: now, modified: now), for: connection.arn)
            runtime.journalConnection(account: account, region: region, name: connection.name)
            return ["ConnectionArn": .string(connection.arn), "ConnectionState": .string(connection.state),
                    "CreationTime": .epoch(now), "LastModifiedTime": .epoch(now)]
        }
    }

    func describeConnection(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let connection = try existingConnection(input, account: account)
        var o = connection.describeJSON
        o["SecretArn"] = .string("arn:aws:secretsmanager:\(region):\(account):secret:events!connection/\(connection.name)")
        timesJSON(connection.arn, into: &o, authorized: true)
        return .object(o)
    }

    func listConnections(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let prefix = try input.string("NamePrefix") ?? ""
        let state = try input.string("ConnectionState")
        let found = apiDestinations.connections(account: account, region: region).filter { $0.name.hasPrefix(prefix) && (state == nil || state == $0.state) }
        let page = try input.page(found)
        return .page("Connections", page.items.map { c in
            var o = JSONObject()
            o["ConnectionArn"] = .string(c.arn)
            o["Name"] = .string(c.name)
            o["ConnectionState"] = .string(c.state)
            o["AuthorizationType"] = .string(c.authorization.typeName)
            timesJSON(c.arn, into: &o, authorized: true)
            return .object(o)
        }, nextToken: page.nextToken)
    }

    /// UpdateConnection: the given members replace the stored ones (`AuthParameters` member by member).
    func updateConnection(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        try store.serialized { () throws(AWSError) -> JSONValue in
            let existing = try existingConnection(input, account: account)
            var merged = existing.ruleFileJSON
            for member in input.object.members where member.key != "Name" && !member.value.isNull {
                if member.key == "AuthParameters", case .object(let given) = member.value, case .object(var auth)? = merged["AuthParameters"] {
                    if let type = input.object["AuthorizationType"]?.stringValue, type != existing.authorization.typeName {
                        auth = JSONObject(auth.members.filter { $0.key == "InvocationHttpParameters" })
                    }
                    for m in given.members { auth[m.key] = m.value }
                    merged["AuthParameters"] = .object(auth)
                } else {
                    merged[member.key] = member.value
                }
            }
            merged["Name"] = nil
            let connection = try Self.readConnection(merged, account: account, region: region, name: existing.name)
            apiDestinations.put(connection)
            let now = router.clock.now
            var info = store.info(connection.arn) ?? .init(created: store.started, modified: store.started)
            info.modified = now
            store.setInfo(info, for: connection.arn)
            runtime.journalConnection(account: account, region: region, name: connection.name)
            return ["ConnectionArn": .string(connection.arn), "ConnectionState": .string(connection.state),
                    "CreationTime": .epoch(info.created), "LastModifiedTime": .epoch(now), "LastAuthorizedTime": .epoch(now)]
        }
    }

    func deleteConnection(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        try store.serialized { () throws(AWSError) -> JSONValue in
            let connection = try existingConnection(input, account: account)
            let users = apiDestinations.destinations(usingConnection: connection.name, account: account, region: region)
            if !users.isEmpty {
                throw AWSError(code: "ConcurrentModificationException",
                               message: "Connection \(connection.name) is used by the API destination\(users.count == 1 ? "" : "s") \(users.map(\.name).sorted().joined(separator: ", ")); delete or update them first.")
            }
            apiDestinations.removeConnection(account: account, region: region, name: connection.name)
            let info = store.info(connection.arn)
            store.forget(connection.arn)
            runtime.journalConnection(account: account, region: region, name: connection.name)
            let now = router.clock.now
            return ["ConnectionArn": .string(connection.arn), "ConnectionState": "DELETING",
                    "CreationTime": .epoch(info?.created ?? store.started), "LastModifiedTime": .epoch(now), "LastAuthorizedTime": .epoch(now)]
        }
    }

    // MARK: - Helpers

    /// The connection `Name` names in the caller's account.
    func existingConnection(_ input: JSONInput, account: String) throws(AWSError) -> ConnectionDefinition {
        let name = try input.string("Name", required: true) ?? ""
        guard let connection = apiDestinations.connection(account: account, region: region, name: name) else {
            var message = "Failed to describe the connection(s). Connection '\(name)' does not exist."
            if let hint = DidYouMean.suggestion(for: name, among: apiDestinations.connections(account: account, region: region).map(\.name)) {
                message += " Did you mean '\(hint)'?"
            }
            throw .notFound(message)
        }
        return connection
    }

    static func readConnection(_ o: JSONObject, account: String, region: String, name: String?) throws(AWSError) -> ConnectionDefinition {
        var fields = FieldReader()
        guard let connection = ConnectionDefinition.read(o, account: account, region: region, file: nil, fields: &fields, at: "$", name: name) else {
            throw .validation(Self.problemText(fields.problems))
        }
        return connection
    }

    /// `PATH: REASON; PATH: REASON`, paths without `$.`.
    static func problemText(_ problems: [ValidationProblem]) -> String {
        problems.filter { $0.severity == .error }.map { p in
            let path = p.path.hasPrefix("$.") ? String(p.path.dropFirst(2)) : p.path
            return path == "$" ? p.message : "\(path): \(p.message)"
        }.joined(separator: "; ")
    }

    /// `CreationTime`, `LastModifiedTime` (and `LastAuthorizedTime`) of a resource; a rule file's since the server started.
    func timesJSON(_ arn: String, into o: inout JSONObject, authorized: Bool = false) {
        let info = store.info(arn)
        o["CreationTime"] = .epoch(info?.created ?? store.started)
        o["LastModifiedTime"] = .epoch(info?.modified ?? store.started)
        if authorized { o["LastAuthorizedTime"] = .epoch(info?.modified ?? store.started) }
    }
}
