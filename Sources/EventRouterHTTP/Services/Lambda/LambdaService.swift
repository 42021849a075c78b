import EventRouter

/// AWS Lambda over rest-json: invocations, function configuration, event-invoke configuration,
/// concurrency and event source mappings, served from the engine's function host and event
/// source mapping runner (the same runtimes rules, topics and mappings invoke). The operation
/// is decided from the method and path by ``LambdaRoute`` (``AWSCall/operation`` is empty on
/// arrival). Functions are folders under `Functions/`: the API reads them but does not create,
/// change or delete them.
public struct LambdaService: AWSService {
    public let name = "lambda"
    public let xmlNamespace = ""
    let runtime: RouterRuntime
    /// When the functions were loaded: their `LastModified`.
    let loadedAt: Timestamp

    /// Serves the functions of `runtime`.
    public init(runtime: RouterRuntime) {
        self.runtime = runtime
        loadedAt = runtime.router.clock.now
    }

    var functions: FunctionHost { runtime.functions }
    var now: Timestamp { runtime.router.clock.now }

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        let route = try LambdaRoute.match(method: call.request.method, path: call.request.path)
        let request = LambdaRequest(call: call, route: route)
        switch route.operation {
        case .invoke: return try await storing { () throws(AWSError) in try await invoke(request) }
        case .invokeAsync: return try await storing { () throws(AWSError) in try await invokeAsync(request) }
        case .listFunctions: return try listFunctions(request)
        case .getFunction: return try getFunction(request)
        case .getFunctionConfiguration: return try getFunctionConfiguration(request)
        case .createFunction, .deleteFunction, .updateFunctionCode, .updateFunctionConfiguration:
            throw LambdaErrors.functionsAreFolders(route.operation)
        case .putEventInvokeConfig: return try await storing { () throws(AWSError) in try putEventInvokeConfig(request, replace: true) }
        case .updateEventInvokeConfig: return try await storing { () throws(AWSError) in try putEventInvokeConfig(request, replace: false) }
        case .getEventInvokeConfig: return try getEventInvokeConfig(request)
        case .deleteEventInvokeConfig: return try await storing { () throws(AWSError) in try deleteEventInvokeConfig(request) }
        case .listEventInvokeConfigs: return try listEventInvokeConfigs(request)
        case .putConcurrency: return try await storing { () throws(AWSError) in try putConcurrency(request) }
        case .getConcurrency: return try getConcurrency(request)
        case .deleteConcurrency: return try await storing { () throws(AWSError) in try deleteConcurrency(request) }
        case .createMapping: return try await storing { () throws(AWSError) in try await createMapping(request) }
        case .listMappings: return try await listMappings(request)
        case .getMapping: return try await getMapping(request)
        case .updateMapping: return try await storing { () throws(AWSError) in try await updateMapping(request) }
        case .deleteMapping: return try await storing { () throws(AWSError) in try await deleteMapping(request) }
        case .getAccountSettings: return getAccountSettings(request)
        }
    }

    /// The function the path names, with `?Qualifier=`.
    func function(_ request: LambdaRequest) throws(AWSError) -> FunctionRuntime {
        let name = try LambdaFunctionName(request.route.function ?? "", caller: request.call.caller)
        return try name.resolve(in: functions, qualifier: request.query("Qualifier"))
    }

    /// A JSON reply with `status`.
    static func reply(_ json: JSONValue, status: Int = 200) -> AWSReply {
        .http(HTTPResponse(status: status, contentType: "application/json", text: json.jsonText))
    }

    /// An empty 204 reply.
    static var noContent: AWSReply { .http(HTTPResponse(status: 204)) }
}

/// One Lambda call: the call, its route, its query parameters and (lazily) its JSON body.
struct LambdaRequest {
    let call: AWSCall
    let route: LambdaRoute
    let parameters: [(String, String)]

    init(call: AWSCall, route: LambdaRoute) {
        self.call = call
        self.route = route
        parameters = QueryString.pairs(call.request.query, decodePlus: false)
    }

    /// The first value of query parameter `name`.
    func query(_ name: String) -> String? { parameters.first { $0.0 == name }?.1 }

    /// The body as a JSON object, with Lambda's error for one that is not.
    func body() throws(AWSError) -> JSONInput {
        do {
            return try JSONInput(body: call.request.body)
        } catch {
            throw AWSError(code: "InvalidRequestContentException", message: "Could not parse request body into json: \(error.message)")
        }
    }
}
