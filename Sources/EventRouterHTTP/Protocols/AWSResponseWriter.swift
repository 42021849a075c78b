import EventRouter

/// Writes success and error responses in each protocol's shape.
public enum AWSResponseWriter {
    /// A JSON-protocol success: 200, the protocol's content type, the payload object.
    public static func json(_ payload: JSONValue, protocol: AWSProtocol, requestId: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("x-amzn-RequestId", requestId)
        if `protocol` == .cbor11 { return cbor(CBORJSON.cbor(payload), requestId: requestId) }
        return HTTPResponse(status: 200, contentType: `protocol`.contentType, text: payload.jsonText, headers: headers)
    }

    /// A CBOR-protocol answer: 200 (or `status`), `application/x-amz-cbor-1.1`, the encoded item.
    public static func cbor(_ payload: CBORValue, status: Int = 200, requestId: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("x-amzn-RequestId", requestId)
        headers.set("Content-Type", AWSProtocol.cbor11.contentType)
        return HTTPResponse(status: status, headers: headers, body: CBOREncoder.encode(payload))
    }

    /// A query-protocol success: `<OpResponse xmlns><OpResult>inner</OpResult><ResponseMetadata>…`
    /// (no `Result` element when `resultXML` is `nil`, for operations without output).
    public static func query(operation: String, namespace: String, resultXML: String?, requestId: String) -> HTTPResponse {
        // Appended as bytes into one reserved array (every query call's answer is built before it is sent).
        let id = XMLText.escape(requestId)
        var body: [UInt8] = []
        body.reserveCapacity(150 + 4 * operation.utf8.count + namespace.utf8.count + (resultXML?.utf8.count ?? 0) + id.utf8.count)
        body.append(contentsOf: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<".utf8)
        body.append(contentsOf: operation.utf8)
        body.append(contentsOf: "Response xmlns=\"".utf8)
        body.append(contentsOf: namespace.utf8)
        body.append(contentsOf: "\">".utf8)
        if let resultXML {
            body.append(0x3C)
            body.append(contentsOf: operation.utf8)
            body.append(contentsOf: "Result>".utf8)
            body.append(contentsOf: resultXML.utf8)
            body.append(contentsOf: "</".utf8)
            body.append(contentsOf: operation.utf8)
            body.append(contentsOf: "Result>".utf8)
        }
        body.append(contentsOf: "<ResponseMetadata><RequestId>".utf8)
        body.append(contentsOf: id.utf8)
        body.append(contentsOf: "</RequestId></ResponseMetadata></".utf8)
        body.append(contentsOf: operation.utf8)
        body.append(contentsOf: "Response>".utf8)
        return HTTPResponse(status: 200, headers: HTTPHeaders([("x-amzn-RequestId", requestId), ("Content-Type", "text/xml")]), body: body)
    }

    /// An error in the shape of `protocol`.
    /// - Parameters:
    ///   - queryCompatible: add `x-amzn-query-error: CODE;Sender` (SQS over JSON).
    ///   - namespace: the XML namespace for query errors.
    public static func error(_ error: AWSError, protocol: AWSProtocol, requestId: String, queryCompatible: Bool = false,
                             namespace: String = "") -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("x-amzn-RequestId", requestId)
        let fault = error.senderFault ? "Sender" : "Receiver"
        switch `protocol` {
        case .json10, .json11:
            if queryCompatible { headers.add("x-amzn-query-error", "\(error.queryCode ?? error.code);\(fault)") }
            let body = JSONValue.object(JSONObject([.init(key: "__type", value: .string(error.code)), .init(key: "message", value: .string(error.message))]))
            return HTTPResponse(status: error.status, contentType: `protocol`.contentType, text: body.jsonText, headers: headers)
        case .cbor11:
            return cbor(.textMap([("__type", .text(error.code)), ("message", .text(error.message))]), status: error.status, requestId: requestId)
        case .restJSON:
            headers.add("x-amzn-ErrorType", error.code)
            let body = JSONValue.object(JSONObject([.init(key: "Type", value: .string(error.senderFault ? "User" : "Service")),
                                                    .init(key: "Message", value: .string(error.message))]))
            return HTTPResponse(status: error.status, contentType: "application/json", text: body.jsonText, headers: headers)
        case .query:
            let xmlns = namespace.isEmpty ? "" : " xmlns=\"\(namespace)\""
            let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse\(xmlns)><Error>" + XMLText.element("Type", fault)
                + XMLText.element("Code", error.queryCode ?? error.code) + XMLText.element("Message", error.message)
                + "</Error>" + XMLText.element("RequestId", requestId) + "</ErrorResponse>"
            return HTTPResponse(status: error.status, contentType: "text/xml", text: text, headers: headers)
        }
    }

    /// The answer to a request that could not be parsed as HTTP: XML for form bodies, JSON otherwise.
    @Sendable public static func parseError(_ error: HTTPParseError, _ head: HTTPRequestHead?) -> HTTPResponse {
        let aws = AWSError(code: error.code, message: error.message, status: error.status)
        let form = (head?.headers["Content-Type"] ?? error.contentType)?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        return Self.error(aws, protocol: form ? .query : .json11, requestId: "00000000-0000-0000-0000-000000000000")
    }
}
