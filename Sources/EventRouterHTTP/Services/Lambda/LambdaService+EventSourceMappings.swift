import EventRouter

extension LambdaService {
    var mappings: EventSourceMappingRunner { runtime.eventSourceMappings }

    /// `CreateEventSourceMapping` (202, `State: Creating`): an SQS queue or Kinesis stream read
    /// by a function, with the options of a rule file's `EventSourceMappings` entry; it polls at once.
    func createMapping(_ request: LambdaRequest) async throws(AWSError) -> AWSReply {
        let input = try request.body()
        var object = input.object
        let name = try LambdaErrors.reading({ () throws(AWSError) -> String? in try input.string("FunctionName", required: true) }) ?? ""
        let function = try LambdaFunctionName(name, caller: request.call.caller).resolve(in: functions, qualifier: nil)
        object["FunctionName"] = .string(function.arn)
        let configuration = try Self.parseMapping(object, caller: request.call.caller)
        let created: MappingSnapshot
        do {
            created = try await mappings.create(configuration)
        } catch {
            throw AWSError(code: "InvalidParameterValueException", message: error.description)
        }
        return Self.reply(mappingJSON(created, state: configuration.enabled ? "Creating" : "Disabled", caller: request.call.caller), status: 202)
    }

    /// `GetEventSourceMapping`.
    func getMapping(_ request: LambdaRequest) async throws(AWSError) -> AWSReply {
        let snapshot = try await mapping(request)
        return Self.reply(mappingJSON(snapshot, state: nil, caller: request.call.caller))
    }

    /// `ListEventSourceMappings`, filtered by `FunctionName` and `EventSourceArn`, paged by `Marker` / `MaxItems` (default 100).
    func listMappings(_ request: LambdaRequest) async throws(AWSError) -> AWSReply {
        var functionArn: String?
        if let name = request.query("FunctionName") { functionArn = try LambdaFunctionName(name, caller: request.call.caller).arn }
        let source = request.query("EventSourceArn")
        let all = await mappings.snapshots().filter { s in
            (functionArn == nil || s.configuration.functionArn == functionArn) && (source == nil || s.configuration.source.arn == source)
        }
        let page = try Self.page(all.map(\.uuid), request: request, defaultSize: 100)
        var o: JSONObject = ["EventSourceMappings": .array(all[page.range].map { mappingJSON($0, state: nil, caller: request.call.caller) })]
        if let next = page.nextMarker { o["NextMarker"] = .string(next) }
        return Self.reply(.object(o))
    }

    /// `UpdateEventSourceMapping` (202): the given members change, the others stay; the source
    /// and starting position cannot change.
    func updateMapping(_ request: LambdaRequest) async throws(AWSError) -> AWSReply {
        let current = try await mapping(request)
        let input = try request.body()
        for key in ["EventSourceArn", "StartingPosition", "StartingPositionTimestamp"] where input.object[key] != nil {
            throw LambdaErrors.invalid(key, "cannot be changed by UpdateEventSourceMapping; delete the mapping and create a new one")
        }
        guard case .object(var merged) = current.configuration.settingsJSON else { throw Self.internalError }
        merged["FunctionArn"] = nil
        merged["FunctionName"] = .string(current.configuration.functionArn)
        for member in input.object.members where member.key != "UUID" { merged[member.key] = member.value }
        if let name = input.object["FunctionName"]?.stringValue {
            merged["FunctionName"] = .string(try LambdaFunctionName(name, caller: request.call.caller).resolve(in: functions, qualifier: nil).arn)
        }
        let configuration = try Self.parseMapping(merged, caller: request.call.caller)
        let updated: MappingSnapshot?
        do {
            updated = try await mappings.update(uuid: current.uuid, to: configuration)
        } catch {
            throw AWSError(code: "InvalidParameterValueException", message: error.description)
        }
        guard let updated else { throw Self.noMapping(current.uuid) }
        let state = configuration.enabled == current.configuration.enabled ? "Updating" : configuration.enabled ? "Enabling" : "Disabling"
        return Self.reply(mappingJSON(updated, state: state, caller: request.call.caller), status: 202)
    }

    /// `DeleteEventSourceMapping` (202, `State: Deleting`): it stops polling at once.
    func deleteMapping(_ request: LambdaRequest) async throws(AWSError) -> AWSReply {
        let uuid = request.route.uuid ?? ""
        guard let deleted = await mappings.delete(uuid: uuid) else { throw Self.noMapping(uuid) }
        return Self.reply(mappingJSON(deleted, state: "Deleting", caller: request.call.caller), status: 202)
    }

    private func mapping(_ request: LambdaRequest) async throws(AWSError) -> MappingSnapshot {
        let uuid = request.route.uuid ?? ""
        guard let snapshot = await mappings.snapshot(uuid: uuid) else { throw Self.noMapping(uuid) }
        return snapshot
    }

    static func noMapping(_ uuid: String) -> AWSError {
        LambdaErrors.notFound("The resource you requested does not exist: no event source mapping has UUID '\(uuid)' (ListEventSourceMappings lists them)")
    }

    static let internalError = AWSError(code: "ServiceException", message: "the mapping's settings could not be read", status: 500, senderFault: false)

    /// A mapping's settings from a request body, with the rule-file entry's checks (every problem at once).
    static func parseMapping(_ object: JSONObject, caller: Caller) throws(AWSError) -> EventSourceMappingConfiguration {
        do {
            return try EventSourceMappingConfiguration(json: object, account: caller.account, region: caller.region)
        } catch {
            throw AWSError(code: "InvalidParameterValueException", message: error.description)
        }
    }

    /// `EventSourceMappingConfiguration` as Lambda reports it; `state` overrides the settled
    /// state (`Creating`, `Updating`, `Deleting`, … in the replies of the calls that change it).
    func mappingJSON(_ snapshot: MappingSnapshot, state: String?, caller: Caller) -> JSONValue {
        let c = snapshot.configuration
        var o = c.settingsJSON.objectValue ?? JSONObject()
        o["Enabled"] = nil
        o["UUID"] = .string(snapshot.uuid)
        o["FunctionResponseTypes"] = c.reportBatchItemFailures ? ["ReportBatchItemFailures"] : []
        if case .stream = c.source {
            o["ParallelizationFactor"] = .number(JSONNumber(c.parallelizationFactor))
            if o["DestinationConfig"] == nil { o["DestinationConfig"] = ["OnFailure": [:]] }
        }
        o["LastModified"] = .number(JSONNumber(snapshot.lastModified.secondsSinceEpoch))
        let counters = snapshot.counters
        o["LastProcessingResult"] = .string(counters.batches == 0 ? "No records processed" : counters.failures == 0 ? "OK" : "PROBLEM: Function call failed")
        o["State"] = .string(state ?? (c.enabled ? "Enabled" : "Disabled"))
        o["StateTransitionReason"] = "USER_INITIATED"
        let region = c.functionArn.split(separator: ":").dropFirst(3).first.map(String.init) ?? caller.region
        let account = c.functionArn.split(separator: ":").dropFirst(4).first.map(String.init) ?? caller.account
        o["EventSourceMappingArn"] = .string("arn:aws:lambda:\(region):\(account):event-source-mapping:\(snapshot.uuid)")
        return .object(o)
    }
}
