import EventRouter
import EventRouterHTTP

/// The `endpoint` target's oracle: which protocol a request is answered in, and whether an
/// answer has that protocol's shape (``AWSResponseWriter``): JSON 1.0/1.1 errors a JSON object
/// with a non-empty `__type` and `message`; CBOR answers that decode, errors a map with `__type`
/// and `message`; query answers well-formed XML, errors `<ErrorResponse>` with `<Type>`
/// `Sender`/`Receiver`, `<Code>` and `<Message>`; Lambda REST errors an `x-amzn-ErrorType`
/// header and a JSON body with a `Message`; `/_eventrouter/` errors JSON with `__type` and `message`.
enum EndpointAnswerCheck {
    /// The shape an answer must have.
    enum Shape: Equatable, CustomStringConvertible {
        case json(AWSProtocol)
        case cbor
        case query
        case rest
        case admin

        var description: String {
            switch self {
            case .json(let p): p == .json10 ? "JSON 1.0" : "JSON 1.1"
            case .cbor: "CBOR"
            case .query: "query XML"
            case .rest: "Lambda REST JSON"
            case .admin: "admin JSON"
            }
        }
    }

    /// The shape of the answer to `request`, decided the way ``AWSEndpoint`` routes it
    /// (answered at once: always query).
    static func shape(of request: HTTPRequest, atOnce: Bool, authenticator: Authenticator) -> Shape {
        if atOnce { return .query }
        var form: [(String, String)]?
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded"), request.headers["X-Amz-Target"] == nil {
            guard let decoded = try? QueryString.decodeForm(request.body) else { return .query }
            form = decoded
        } else if request.method == "GET", QueryString.pairs(request.query).contains(where: { $0.0 == "Action" }) {
            form = QueryString.pairs(request.query)
        }
        let scope = (try? authenticator.credential(of: request).get())??.service
        switch RequestRouter.route(request, formParameters: form, scopeService: scope) {
        case .admin: return .admin
        case .query: return .query
        case .rest: return .rest
        case .json(_, _, let p), .unsupported(_, let p):
            switch p {
            case .cbor11: return .cbor
            case .query: return .query
            case .restJSON: return .rest
            case .json10, .json11: return .json(p)
            }
        }
    }

    /// Checks `response` against `shape`.
    /// - Throws: ``FuzzFailure`` saying what is wrong.
    static func check(_ response: HTTPResponse, shape: Shape) throws(FuzzFailure) {
        let status = response.status
        try require((200...599).contains(status), "status \(status) is not 200-599")
        let text = String(decoding: response.body, as: UTF8.self)
        let failed = status >= 400
        if shape != .admin {
            try require(!(response.headers["x-amzn-RequestId"] ?? "").isEmpty, "\(shape) answer \(status) without x-amzn-RequestId")
        }
        switch shape {
        case .json(let p):
            let object = try jsonObject(response, "\(shape) answer \(status)")
            if failed {
                try require(response.headers["Content-Type"] == p.contentType, "\(shape) error with Content-Type \(response.headers["Content-Type"] ?? "none"): \(text)")
                try requireText(object["__type"], "__type", shape, text)
                try requireText(object["message"] ?? object["Message"], "message", shape, text)
            }
        case .cbor:
            let value: CBORValue
            do { value = try CBORDecoder.decode(response.body) } catch {
                throw FuzzFailure("CBOR answer \(status) does not decode (\(error)): \(response.body.prefix(200))")
            }
            try require(response.headers["Content-Type"] == AWSProtocol.cbor11.contentType, "CBOR answer with Content-Type \(response.headers["Content-Type"] ?? "none")")
            if failed {
                guard case .text(let type)? = value["__type"], !type.isEmpty, case .text(let message)? = value["message"], !message.isEmpty else {
                    throw FuzzFailure("CBOR error \(status) without a non-empty __type and message: \(value)")
                }
            }
        case .query:
            try require(response.headers["Content-Type"] == "text/xml", "query answer \(status) with Content-Type \(response.headers["Content-Type"] ?? "none"): \(text)")
            if let problem = XMLShape.problem(response.body) { throw FuzzFailure("query answer \(status) is not well-formed XML (\(problem)): \(text)") }
            if failed {
                try require(text.contains("<ErrorResponse"), "query error \(status) without <ErrorResponse>: \(text)")
                try require(text.contains("<Type>Sender</Type>") || text.contains("<Type>Receiver</Type>"), "query error \(status) without <Type>Sender|Receiver</Type>: \(text)")
                try require(XMLShape.element("Code", in: text).map { !$0.isEmpty } ?? false, "query error \(status) without a non-empty <Code>: \(text)")
                try require(XMLShape.element("Message", in: text).map { !$0.isEmpty } ?? false, "query error \(status) without a non-empty <Message>: \(text)")
            } else {
                try require(text.contains("Response"), "query success without a ...Response element: \(text)")
            }
        case .rest:
            if failed {
                try require(!(response.headers["x-amzn-ErrorType"] ?? "").isEmpty, "Lambda error \(status) without x-amzn-ErrorType: \(text)")
                let object = try jsonObject(response, "Lambda error \(status)")
                try requireText(object["Message"] ?? object["message"], "Message", shape, text)
            }
        case .admin:
            if failed {
                let object = try jsonObject(response, "admin error \(status)")
                try requireText(object["__type"], "__type", shape, text)
                try requireText(object["message"], "message", shape, text)
            }
        }
    }

    private static func jsonObject(_ response: HTTPResponse, _ what: @autoclosure () -> String) throws(FuzzFailure) -> JSONValue {
        guard let value = try? JSONParser.parse(bytes: response.body), value.objectValue != nil else {
            throw FuzzFailure("\(what()) is not a JSON object: \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        return value
    }

    private static func requireText(_ value: JSONValue?, _ name: String, _ shape: Shape, _ text: String) throws(FuzzFailure) {
        try require(!(value?.stringValue ?? "").isEmpty, "\(shape) error without a non-empty \(name): \(text)")
    }
}
