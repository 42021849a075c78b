import EventRouter

/// The HTTP front of the router: routes each request to a service and operation, finds the
/// caller, decodes the body and answers in the request's protocol, errors included.
public struct AWSEndpoint: HTTPHandler {
    private let services: [String: any AWSService]
    private let authenticator: Authenticator
    private let admin: AdminEndpoint
    private let requestIds: SharedRandom

    /// - Parameters:
    ///   - services: the services served, by credential-scope name.
    ///   - authenticator: maps access keys to accounts (and verifies signatures under strict auth).
    ///   - admin: the `/_eventrouter/` endpoints.
    ///   - requestIds: the source of request ids (seed it in tests).
    public init(services: [any AWSService], authenticator: Authenticator, admin: AdminEndpoint = AdminEndpoint(),
                requestIds: SharedRandom = SharedRandom(seed: UInt64.random(in: .min ... .max))) {
        var table: [String: any AWSService] = [:]
        for service in services { table[service.name] = service }
        self.services = table
        self.authenticator = authenticator
        self.admin = admin
        self.requestIds = requestIds
    }

    /// The response, once the request's journal records are stored (answering a not-stored error
    /// when they were not).
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        var response = await handleDeferringStorage(request)
        guard let held = response.untilStored else { return response }
        response.untilStored = nil
        return await held.settle(response)
    }

    /// The response, possibly before the request's journal records are stored
    /// (``HTTPResponse/untilStored``; the server holds it back until they are).
    public func handleDeferringStorage(_ request: HTTPRequest) async -> HTTPResponse {
        let requestId = requestIds.uuid()
        let credential = authenticator.credential(of: request)
        let scopeService = (try? credential.get())??.service
        var form: [(String, String)]?
        if Self.isForm(request.headers["Content-Type"]), request.headers["X-Amz-Target"] == nil {
            do {
                form = try QueryString.decodeForm(request.body)
            } catch {
                return AWSResponseWriter.error(AWSError(code: "MalformedQueryString", message: error.message), protocol: .query, requestId: requestId)
            }
        } else if request.method == "GET", QueryString.pairs(request.query).contains(where: { $0.0 == "Action" }) {
            form = QueryString.pairs(request.query)
        }
        switch RequestRouter.route(request, formParameters: form, scopeService: scopeService) {
        case .admin(let path):
            return await admin.handle(path: path, request: request)
        case .unsupported(let error, let proto):
            return AWSResponseWriter.error(error, protocol: proto, requestId: requestId)
        case .json(let name, let operation, let proto):
            let service = services[name]
            let compatible = service?.queryCompatible ?? (name == "sqs")
            do throws(AWSError) {
                let caller = try authenticator.caller(of: request, credential: credential, protocol: proto)
                let input = proto == .cbor11 ? try JSONInput(cbor: request.body) : try JSONInput(body: request.body)
                guard let service else { throw Self.notServed(name, operation, proto) }
                let call = AWSCall(service: name, protocol: proto, operation: operation, caller: caller, requestId: requestId,
                                   request: request, parameters: [], input: input)
                return render(try await service.handle(call), call: call, service: service)
            } catch {
                return AWSResponseWriter.error(error, protocol: proto, requestId: requestId, queryCompatible: compatible)
            }
        case .query(let name, let operation):
            let service = services[name]
            do throws(AWSError) {
                let (call, service) = try queryCall(request, name: name, operation: operation, service: service, form: form ?? [],
                                                    credential: credential, requestId: requestId)
                return render(try await service.handle(call), call: call, service: service)
            } catch {
                return AWSResponseWriter.error(error, protocol: .query, requestId: requestId, namespace: service?.xmlNamespace ?? "")
            }
        case .rest(let name):
            do throws(AWSError) {
                let caller = try authenticator.caller(of: request, credential: credential, protocol: .restJSON)
                guard let service = services[name] else { throw Self.notServed(name, "\(request.method) \(request.path)", .restJSON) }
                let call = AWSCall(service: name, protocol: .restJSON, operation: "", caller: caller, requestId: requestId,
                                   request: request, parameters: [], input: JSONInput(object: JSONObject()))
                return render(try await service.handle(call), call: call, service: service)
            } catch {
                return AWSResponseWriter.error(error, protocol: .restJSON, requestId: requestId)
            }
        }
    }

    /// A signed query-protocol request whose `Action` (its first parameter) its service answers
    /// at once (``AWSService/answersAtOnce(_:)``), answered here on the server's socket thread;
    /// `nil` for every other request, before its body is decoded.
    public func answerAtOnce(_ request: HTTPRequest) -> HTTPResponse? {
        guard request.method == "POST", let action = QueryString.leadingAction(request.body),
              request.headers["X-Amz-Target"] == nil,
              case .success(let signed?) = authenticator.credential(of: request),
              let service = services[signed.service], service.answersAtOnce(action),
              Self.isForm(request.headers["Content-Type"]),
              let form = try? QueryString.decodeForm(request.body),
              case .query(signed.service, action) = RequestRouter.route(request, formParameters: form, scopeService: signed.service)
        else { return nil }
        let requestId = requestIds.uuid()
        do throws(AWSError) {
            let (call, service) = try queryCall(request, name: signed.service, operation: action, service: service, form: form,
                                                credential: .success(signed), requestId: requestId)
            guard let reply = try service.answerAtOnce(call) else { return nil }
            return render(reply, call: call, service: service)
        } catch {
            return AWSResponseWriter.error(error, protocol: .query, requestId: requestId, namespace: service.xmlNamespace)
        }
    }

    /// The call of a query-protocol request (`Action` named, caller authenticated, service served).
    private func queryCall(_ request: HTTPRequest, name: String, operation: String, service: (any AWSService)?, form: [(String, String)],
                           credential: Result<SigV4Credential?, SigV4Error>, requestId: String) throws(AWSError) -> (AWSCall, any AWSService) {
        guard !operation.isEmpty else {
            throw AWSError(code: "MissingAction", message: "the request has no Action parameter; send Action=OPERATION&Version=API-VERSION")
        }
        let caller = try authenticator.caller(of: request, credential: credential, protocol: .query)
        guard let service else { throw Self.notServed(name.isEmpty ? "(unknown: sign the request or send Version=)" : name, operation, .query) }
        let call = AWSCall(service: name, protocol: .query, operation: operation, caller: caller, requestId: requestId,
                           request: request, parameters: form, input: JSONInput(object: JSONObject()))
        return (call, service)
    }

    private func render(_ reply: AWSReply, call: AWSCall, service: any AWSService) -> HTTPResponse {
        switch reply {
        case .json(let payload):
            return AWSResponseWriter.json(payload, protocol: call.protocol, requestId: call.requestId)
        case .query(let xml):
            return AWSResponseWriter.query(operation: call.operation, namespace: service.xmlNamespace, resultXML: xml, requestId: call.requestId)
        case .http(var response):
            response.headers.set("x-amzn-RequestId", call.requestId)
            return response
        case .then(let reply, let work):
            var response = render(reply, call: call, service: service)
            response.afterSending = work
            return response
        case .whenStored(let reply, let ticket, let notStored):
            var response = render(reply, call: call, service: service)
            guard !ticket.isNone else { return response }
            let proto = call.protocol, requestId = call.requestId, compatible = service.queryCompatible, namespace = service.xmlNamespace
            response.untilStored = HTTPStoredAnswer(ticket: ticket) { failure in
                AWSResponseWriter.error(notStored(failure), protocol: proto, requestId: requestId, queryCompatible: compatible, namespace: namespace)
            }
            return response
        }
    }

    /// Whether a `Content-Type` value is `application/x-www-form-urlencoded` (any case, any
    /// parameters after it), compared as bytes without a lower-cased copy.
    static func isForm(_ contentType: String?) -> Bool {
        guard var value = contentType else { return false }
        let form: StaticString = "application/x-www-form-urlencoded"
        return value.withUTF8 { bytes in
            let count = form.utf8CodeUnitCount
            guard bytes.count >= count else { return false }
            let expected = form.utf8Start
            for i in 0..<count {
                let b = bytes[i]
                if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != expected[i] { return false }
            }
            return true
        }
    }

    private static func notServed(_ service: String, _ operation: String, _ proto: AWSProtocol) -> AWSError {
        var error = AWSError.unknownOperation(operation, service: service, protocol: proto)
        error.message = "EventRouter does not serve \(service) \(operation); it serves EventBridge (events), SQS (sqs), SNS (sns), Kinesis (kinesis), Lambda (lambda), STS GetCallerIdentity and /_eventrouter/ (health, state, shutdown)"
        return error
    }
}
