import EventRouter

extension LambdaService {
    /// `Invoke`: `RequestResponse` (the result; a function error is a 200 with
    /// `X-Amz-Function-Error: Unhandled`), `Event` (202, through the asynchronous engine) or
    /// `DryRun` (204). Payloads over 6 MB (1 MB for `Event`) are refused with 413.
    func invoke(_ request: LambdaRequest) async throws(AWSError) -> AWSReply {
        let headers = request.call.request.headers
        let type = headers["X-Amz-Invocation-Type"] ?? "RequestResponse"
        guard ["RequestResponse", "Event", "DryRun"].contains(type) else {
            throw AWSError(code: "ValidationException",
                           message: "1 validation error detected: Value '\(type)' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun] (header X-Amz-Invocation-Type)")
        }
        let logType = headers["X-Amz-Log-Type"] ?? "None"
        guard logType == "None" || logType == "Tail" else {
            throw AWSError(code: "ValidationException",
                           message: "1 validation error detected: Value '\(logType)' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None] (header X-Amz-Log-Type)")
        }
        let name = try LambdaFunctionName(request.route.function ?? "", caller: request.call.caller)
        let runtime = try name.resolve(in: functions, qualifier: request.query("Qualifier"))
        let qualifier = request.query("Qualifier") ?? name.qualifier
        let executedVersion = runtime.manifest.executedVersion(for: qualifier) ?? "$LATEST"
        let body = request.call.request.body
        let limit = type == "Event" ? PayloadLimits.asynchronousRequest : PayloadLimits.synchronousRequest
        guard body.count <= limit else {
            throw Self.tooLarge(size: body.count, limit: limit, async: type == "Event")
        }
        let payload = try Self.payload(body)
        switch type {
        case "DryRun":
            return Self.noContent
        case "Event":
            guard let engine = functions.engine(for: runtime.arn) else { throw LambdaErrors.notFound("Function not found: \(runtime.arn)") }
            do {
                try await engine.accept(payload, requestId: request.call.requestId, qualifier: qualifier == "$LATEST" ? nil : qualifier)
            } catch {
                throw AWSError(code: error.type, message: error.message, status: 413)
            }
            return .http(HTTPResponse(status: 202))
        default:
            return await invokeSynchronously(runtime, payload: payload, tail: logType == "Tail", requestId: request.call.requestId,
                                             executedVersion: executedVersion)
        }
    }

    /// A `RequestResponse` invocation; `X-Amz-Executed-Version` is the version the qualifier runs as.
    private func invokeSynchronously(_ runtime: FunctionRuntime, payload: JSONValue, tail: Bool, requestId: String,
                                     executedVersion: String) async -> AWSReply {
        let log = tail ? InvocationLog() : nil
        let start = runtime.clock.now
        let result = await runtime.invoke(payload, requestId: requestId, log: log)
        var headers = HTTPHeaders()
        headers.add("X-Amz-Executed-Version", executedVersion)
        if let log {
            let framed = InvocationLog.framed(log.tail, requestId: requestId, duration: runtime.clock.now - start, memorySize: runtime.manifest.memorySize)
            headers.add("X-Amz-Log-Result", Base64.encode(framed))
        }
        switch result {
        case .success(let value):
            return .http(HTTPResponse(status: 200, contentType: "application/json", text: value.jsonText, headers: headers))
        case .functionError(let error) where error.type == "RequestEntityTooLargeException":
            let aws = AWSError(code: error.type, message: error.message, status: 413)
            return .http(AWSResponseWriter.error(aws, protocol: .restJSON, requestId: requestId))
        case .functionError(let error):
            headers.add("X-Amz-Function-Error", "Unhandled")
            var body = error.payload.objectValue ?? JSONObject()
            if body["stackTrace"] == nil && body["trace"] == nil { body["stackTrace"] = .array([]) }
            return .http(HTTPResponse(status: 200, contentType: "application/json", text: JSONValue.object(body).jsonText, headers: headers))
        case .throttled:
            return .http(LambdaErrors.throttled(reserved: runtime.settings.reservedConcurrency != nil, requestId: requestId))
        }
    }

    /// The deprecated `InvokeAsync` (`POST /2014-11-13/functions/{f}/invoke-async/`): an
    /// asynchronous invocation answered `{"Status": 202}`.
    func invokeAsync(_ request: LambdaRequest) async throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        let body = request.call.request.body
        guard body.count <= PayloadLimits.asynchronousRequest else {
            throw Self.tooLarge(size: body.count, limit: PayloadLimits.asynchronousRequest, async: true)
        }
        let payload = try Self.payload(body)
        await functions.engine(for: runtime.arn)?.enqueue(payload, requestId: request.call.requestId)
        return Self.reply(["Status": 202], status: 202)
    }

    /// The invocation payload: JSON (empty means `{}`), else `InvalidRequestContentException`.
    static func payload(_ body: [UInt8]) throws(AWSError) -> JSONValue {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object(JSONObject()) }
        do {
            return try JSONParser.parse(bytes: body)
        } catch {
            throw AWSError(code: "InvalidRequestContentException",
                           message: "Could not parse request body into json: the payload is not valid JSON (\(error)); send a JSON document such as {\"key\": \"value\"}")
        }
    }

    /// 413 `RequestEntityTooLargeException`, as Lambda words it.
    static func tooLarge(size: Int, limit: Int, async: Bool) -> AWSError {
        AWSError(code: "RequestEntityTooLargeException",
                 message: "Request must be smaller than \(limit) bytes for the \(async ? "InvokeAsync" : "InvokeFunction") operation (the payload has \(size) bytes; \(async ? "asynchronous invocations take at most 1 MB" : "synchronous invocations take at most 6 MB"))",
                 status: 413)
    }
}
