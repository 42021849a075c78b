/// The `Connections` and `ApiDestinations` sections of rule files, and rule targets that name an API destination.
extension WorkspaceValidator {
    mutating func readConnections() {
        for entry in sections["Connections"] ?? [] {
            fields.file = entry.file
            guard let connection = ConnectionDefinition.read(entry.object, account: entry.account, region: entry.region, file: entry.file,
                                                             fields: &fields, at: entry.path) else { continue }
            if let first = connections.first(where: { $0.arn == connection.arn }) {
                error(entry.file, "\(entry.path).Name", "duplicate connection '\(connection.name)' in account \(connection.account) (first declared in \(first.file ?? "-"))")
                continue
            }
            accounts.insert(connection.account)
            connections.append(connection)
        }
    }

    mutating func readApiDestinations() {
        for entry in sections["ApiDestinations"] ?? [] {
            fields.file = entry.file
            guard let destination = ApiDestinationDefinition.read(entry.object, account: entry.account, region: entry.region, file: entry.file,
                                                                  fields: &fields, at: entry.path) else { continue }
            let known = connections.filter { $0.account == destination.account && $0.region == destination.region }
            guard known.contains(where: { $0.name == destination.connectionName }) else {
                var message = "the connection '\(destination.connectionName)' is not declared under Connections in account \(destination.account) (\(destination.region))"
                if let hint = DidYouMean.suggestion(for: destination.connectionName, among: known.map(\.name)) { message += " (did you mean '\(hint)'?)" }
                error(entry.file, "\(entry.path).ConnectionArn", message)
                continue
            }
            if let first = apiDestinations.first(where: { $0.arn == destination.arn }) {
                error(entry.file, "\(entry.path).Name", "duplicate API destination '\(destination.name)' in account \(destination.account) (first declared in \(first.file ?? "-"))")
                continue
            }
            apiDestinations.append(destination)
        }
    }

    /// A target naming an API destination: it must be declared (in a known account), and its
    /// `HttpParameters.PathParameterValues` must fill the endpoint's `*`.
    mutating func checkApiDestinationTarget(_ arn: ARN, parameters: HttpParameters?, file: String, path: String) {
        guard let parsed = ApiDestinationNames.name(inArnOrName: arn.description, kind: "api-destination") else {
            error(file, "\(path).Arn", "\(arn) is not an API destination ARN; write arn:aws:events:REGION:ACCOUNT:api-destination/NAME")
            return
        }
        guard let destination = apiDestinations.first(where: { $0.account == arn.account && $0.region == arn.region && $0.name == parsed.name }) else {
            if accounts.contains(arn.account) {
                var message = "\(arn) names the API destination '\(parsed.name)', which no rule file declares in account \(arn.account) (\(arn.region))"
                let names = apiDestinations.filter { $0.account == arn.account }.map(\.name)
                if let hint = DidYouMean.suggestion(for: parsed.name, among: names) { message += " (did you mean '\(hint)'?)" }
                error(file, "\(path).Arn", message + "; declare it under ApiDestinations")
            } else {
                warning(file, "\(path).Arn", "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it fail with NO_RESOURCE")
            }
            return
        }
        let stars = destination.pathParameterCount
        let given = parameters?.pathParameterValues.count ?? 0
        if stars != given {
            error(file, given == 0 ? path : "\(path).HttpParameters.PathParameterValues",
                  "the API destination '\(destination.name)' endpoint \(destination.invocationEndpoint) has \(stars) path parameter\(stars == 1 ? "" : "s") ('*'), "
                  + "so the target needs HttpParameters.PathParameterValues with \(stars) value\(stars == 1 ? "" : "s"); it gives \(given)")
        }
    }
}
