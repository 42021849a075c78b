import EventRouter

/// CreateApiDestination, DescribeApiDestination, ListApiDestinations, UpdateApiDestination,
/// DeleteApiDestination: read by ``ApiDestinationDefinition/read(_:account:region:file:fields:at:name:)``,
/// the reader of the workspace's `ApiDestinations`; kept in the runtime's ``ApiDestinationRegistry``.
extension EventBridgeService {
    func createApiDestination(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        try store.serialized { () throws(AWSError) -> JSONValue in
            let destination = try readApiDestination(input.object, account: account, name: nil)
            guard apiDestinations.destination(account: account, region: region, name: destination.name) == nil else {
                throw .alreadyExists("An api-destination '\(destination.name)' already exists.")
            }
            apiDestinations.put(destination)
            let now = router.clock.now
            store.setInfo(.init(created: now, modified: now), for: destination.arn)
            runtime.journalApiDestination(account: account, region: region, name: destination.name)
            return ["ApiDestinationArn": .string(destination.arn), "ApiDestinationState": "ACTIVE",
                    "CreationTime": .epoch(now), "LastModifiedTime": .epoch(now)]
        }
    }

    func describeApiDestination(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let destination = try existingApiDestination(input, account: account)
        var o = destination.describeJSON
        timesJSON(destination.arn, into: &o)
        return .object(o)
    }

    func listApiDestinations(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let prefix = try input.string("NamePrefix") ?? ""
        let connection = try input.string("ConnectionArn")
        let found = apiDestinations.destinations(account: account, region: region).filter {
            $0.name.hasPrefix(prefix) && (connection == nil || connection == $0.connectionArn)
        }
        let page = try input.page(found)
        return .page("ApiDestinations", page.items.map { d in
            var o = d.describeJSON
            o["Description"] = nil
            timesJSON(d.arn, into: &o)
            return .object(o)
        }, nextToken: page.nextToken)
    }

    /// UpdateApiDestination: the given members replace the stored ones.
    func updateApiDestination(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        try store.serialized { () throws(AWSError) -> JSONValue in
            let existing = try existingApiDestination(input, account: account)
            var merged = existing.ruleFileJSON
            for member in input.object.members where member.key != "Name" && !member.value.isNull { merged[member.key] = member.value }
            merged["Name"] = nil
            let destination = try readApiDestination(merged, account: account, name: existing.name)
            apiDestinations.put(destination)
            let now = router.clock.now
            var info = store.info(destination.arn) ?? .init(created: store.started, modified: store.started)
            info.modified = now
            store.setInfo(info, for: destination.arn)
            runtime.journalApiDestination(account: account, region: region, name: destination.name)
            return ["ApiDestinationArn": .string(destination.arn), "ApiDestinationState": "ACTIVE",
                    "CreationTime": .epoch(info.created), "LastModifiedTime": .epoch(now)]
        }
    }

    func deleteApiDestination(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        try store.serialized { () throws(AWSError) -> JSONValue in
            let destination = try existingApiDestination(input, account: account)
            apiDestinations.removeDestination(account: account, region: region, name: destination.name)
            store.forget(destination.arn)
            runtime.journalApiDestination(account: account, region: region, name: destination.name)
            return [:]
        }
    }

    // MARK: - Helpers

    func existingApiDestination(_ input: JSONInput, account: String) throws(AWSError) -> ApiDestinationDefinition {
        let name = try input.string("Name", required: true) ?? ""
        guard let destination = apiDestinations.destination(account: account, region: region, name: name) else {
            var message = "Failed to describe the api-destination(s). An api-destination '\(name)' does not exist."
            if let hint = DidYouMean.suggestion(for: name, among: apiDestinations.destinations(account: account, region: region).map(\.name)) {
                message += " Did you mean '\(hint)'?"
            }
            throw .notFound(message)
        }
        return destination
    }

    /// Reads the entry; its connection must exist in the caller's account.
    func readApiDestination(_ o: JSONObject, account: String, name: String?) throws(AWSError) -> ApiDestinationDefinition {
        var fields = FieldReader()
        guard let destination = ApiDestinationDefinition.read(o, account: account, region: region, file: nil, fields: &fields, at: "$", name: name) else {
            throw .validation(Self.problemText(fields.problems))
        }
        guard apiDestinations.connection(account: account, region: region, name: destination.connectionName) != nil else {
            throw .notFound("Failed to describe the connection(s). Connection '\(destination.connectionName)' does not exist.")
        }
        return destination
    }
}
