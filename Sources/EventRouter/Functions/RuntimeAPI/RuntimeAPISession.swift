/// An invocation handed to an execution environment through its Runtime API.
struct RuntimeAPIInvocation: Sendable {
    var requestId: String
    var payload: [UInt8]
    /// `Lambda-Runtime-Deadline-Ms`: the deadline in milliseconds since the epoch.
    var deadlineMs: Int64
    var functionArn: String
    /// `Lambda-Runtime-Trace-Id`.
    var traceId: String
}

/// How an invocation handed to an environment ended.
enum RuntimeAPIOutcome: Sendable, Equatable {
    /// `POST …/response`: the body.
    case response([UInt8])
    /// A function error; `keepEnvironment` says whether the environment can take the next one
    /// (after `…/error` or a response that was too large) or must be replaced (an init error,
    /// the runtime exited).
    case failure(FunctionError, keepEnvironment: Bool)
    /// The runtime exited after an earlier invocation and before this one was handed over (a
    /// fresh environment may serve it).
    case exitedBeforeDelivery(FunctionError)
}

/// A reply to the bootstrap.
struct RuntimeAPIReply: Sendable, Equatable {
    var status: Int
    var headers: [String] = []
    var body: [UInt8] = []

    /// `{"errorMessage", "errorType"}` with `status`, as Lambda's Runtime API answers a bad call.
    static func error(_ status: Int, type: String, message: String) -> RuntimeAPIReply {
        var body: [UInt8] = []
        JSONSerializer.write(["errorMessage": .string(message), "errorType": .string(type)], into: &body)
        return RuntimeAPIReply(status: status, headers: ["Content-Type: application/json"], body: body)
    }

    /// `202 {"status":"OK"}`.
    static let accepted = RuntimeAPIReply(status: 202, headers: ["Content-Type: application/json"], body: Array(#"{"status":"OK"}"#.utf8))

    /// The bytes on the wire.
    func serialized(close: Bool) -> [UInt8] {
        let reason: String = switch status {
        case 200: "OK"
        case 202: "Accepted"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 413: "Request Entity Too Large"
        default: "Error"
        }
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        for h in headers { head += h + "\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        if close { head += "Connection: close\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

/// The decisions of one execution environment's Runtime API, apart from its sockets: which
/// request gets which reply and when an invocation ends. Lambda's rules: one invocation at a
/// time, `/next` waits until there is one, a response or error for another request id is 400
/// `InvalidRequestID`, a second one for the same id is 403 `InvalidStateTransition`, a body over
/// 6 MB is 413 and fails the invocation with `Function.ResponseSizeTooLarge`, `/init/error`
/// before the first `/next` fails the invocation with the runtime's error and ends the
/// environment, an exit ends it with `Runtime.ExitError`.
struct RuntimeAPISession {
    enum Action: Equatable {
        /// Write `reply` on connection `connection`.
        case reply(connection: Int, RuntimeAPIReply)
        /// The invocation handed in with ``submit(_:)`` ended.
        case complete(RuntimeAPIOutcome)
    }

    static let prefix = "/2018-06-01/runtime/"

    /// Whether the runtime has asked for its first invocation (its init phase is over).
    private(set) var initialized = false
    private var current: RuntimeAPIInvocation?
    private var delivered = false
    private var parked: Int?
    private var answered: [String] = []
    private var initError: FunctionError?

    /// Hands over an invocation: at once when a `/next` waits, else at the next `/next`.
    mutating func submit(_ invocation: RuntimeAPIInvocation) -> [Action] {
        current = invocation
        delivered = false
        if let initError {
            current = nil
            return [.complete(.failure(initError, keepEnvironment: false))]
        }
        guard let connection = parked else { return [] }
        parked = nil
        delivered = true
        return [.reply(connection: connection, Self.nextReply(invocation))]
    }

    /// A connection closed: a `/next` parked on it is forgotten.
    mutating func closed(_ connection: Int) {
        if parked == connection { parked = nil }
    }

    /// Decides a request of connection `connection`.
    mutating func handle(_ request: RuntimeAPIRequest, connection: Int) -> [Action] {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        guard path.hasPrefix(Self.prefix) else { return [.reply(connection: connection, Self.notFound(request))] }
        let parts = path.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (request.method, parts.count, parts.first) {
        case ("GET", 2, "invocation") where parts[1] == "next":
            return next(connection)
        case ("POST", 3, "invocation") where parts[2] == "response" || parts[2] == "error":
            return answer(request, id: parts[1], isError: parts[2] == "error", connection: connection)
        case ("POST", 2, "init") where parts[1] == "error":
            return postInitError(request, connection: connection)
        default:
            return [.reply(connection: connection, Self.notFound(request))]
        }
    }

    private mutating func next(_ connection: Int) -> [Action] {
        initialized = true
        var actions: [Action] = []
        if let invocation = current, delivered {
            // Asking for the next invocation before answering this one ends it.
            current = nil
            delivered = false
            answered.append(invocation.requestId)
            actions.append(.complete(.failure(FunctionError(
                type: "Runtime.InvalidResponse",
                message: "RequestId: \(invocation.requestId) Error: the runtime asked for the next invocation (GET \(Self.prefix)invocation/next) before posting a response or an error for this one"),
                keepEnvironment: true)))
        }
        if let other = parked, other != connection {
            actions.append(.reply(connection: other, .error(403, type: "InvalidStateTransition", message: "another request for the next invocation replaced this one")))
        }
        if let invocation = current, !delivered {
            delivered = true
            parked = nil
            actions.append(.reply(connection: connection, Self.nextReply(invocation)))
        } else {
            parked = connection
        }
        return actions
    }

    private mutating func answer(_ request: RuntimeAPIRequest, id: String, isError: Bool, connection: Int) -> [Action] {
        guard let invocation = current, delivered, invocation.requestId == id else {
            if answered.contains(id) {
                let to = isError ? "InvocationErrorResponse" : "InvocationResponse"
                return [.reply(connection: connection, .error(403, type: "InvalidStateTransition",
                                                              message: "State transition from ResponseSent to \(to) failed for runtime. Error: request \(id) was already answered"))]
            }
            return [.reply(connection: connection, .error(400, type: "InvalidRequestID", message: "Invalid request ID"))]
        }
        current = nil
        delivered = false
        answered.append(id)
        if answered.count > 16 { answered.removeFirst() }
        if request.bodyTooLarge {
            return [.reply(connection: connection, .error(413, type: "RequestEntityTooLarge",
                                                          message: "Exceeded maximum allowed payload size (\(PayloadLimits.response) bytes).")),
                    .complete(.failure(.responseTooLarge, keepEnvironment: true))]
        }
        let outcome: RuntimeAPIOutcome = isError
            ? .failure(Self.error(request), keepEnvironment: true)
            : .response(request.body)
        return [.reply(connection: connection, .accepted), .complete(outcome)]
    }

    private mutating func postInitError(_ request: RuntimeAPIRequest, connection: Int) -> [Action] {
        guard !initialized, initError == nil else {
            return [.reply(connection: connection, .error(403, type: "InvalidStateTransition",
                                                          message: "State transition from Ready to InitError failed for runtime. Error: the runtime's init phase is over"))]
        }
        let error = Self.error(request)
        var actions: [Action] = [.reply(connection: connection, .accepted)]
        if current != nil {
            current = nil
            actions.append(.complete(.failure(error, keepEnvironment: false)))
        } else {
            initError = error
        }
        return actions
    }

    /// The runtime exited (`status` as ``ChildProcess/describe(status:)`` words it; `cleanly`
    /// for exit status 0). Returns the actions and the outcome any later submission gets.
    mutating func exited(status: String, cleanly: Bool, output: String) -> (actions: [Action], terminal: RuntimeAPIOutcome) {
        let id = current?.requestId ?? ""
        var message = "RequestId: \(id) Error: " + (cleanly ? "Runtime exited without providing a reason" : "Runtime exited with error: \(status)")
        if !output.isEmpty { message += "; its last output: \(output)" }
        let error = FunctionError(type: "Runtime.ExitError", message: message)
        let terminal: RuntimeAPIOutcome
        if let initError { terminal = .failure(initError, keepEnvironment: false) } else if initialized && !(current != nil && delivered) {
            terminal = .exitedBeforeDelivery(error)
        } else {
            terminal = .failure(error, keepEnvironment: false)
        }
        guard current != nil else { return ([], terminal) }
        current = nil
        return ([.complete(terminal)], terminal)
    }

    /// The error a runtime posted: its `{"errorMessage", "errorType", "stackTrace"}` document
    /// (kept as the response payload), or, for a body that is not one, the header's type and the body's text.
    static func error(_ request: RuntimeAPIRequest) -> FunctionError {
        let headerType = request.header("lambda-runtime-function-error-type").flatMap { $0.isEmpty ? nil : $0 }
        if let value = try? JSONParser.parse(bytes: request.body), let object = value.objectValue {
            var error = FunctionError(type: object["errorType"]?.stringValue ?? headerType ?? "Unhandled",
                                      message: object["errorMessage"]?.stringValue ?? "")
            error.document = value
            return error
        }
        let text = ProcessExchange.tail(request.body, limit: 1024)
        return FunctionError(type: headerType ?? "Unhandled",
                             message: "the runtime posted an error body that is not Lambda's {\"errorMessage\", \"errorType\", \"stackTrace\"} JSON" + (text.isEmpty ? " (it was empty)" : ": \(text)"))
    }

    static func nextReply(_ invocation: RuntimeAPIInvocation) -> RuntimeAPIReply {
        RuntimeAPIReply(status: 200, headers: [
            "Content-Type: application/json",
            "Lambda-Runtime-Aws-Request-Id: \(invocation.requestId)",
            "Lambda-Runtime-Deadline-Ms: \(invocation.deadlineMs)",
            "Lambda-Runtime-Invoked-Function-Arn: \(invocation.functionArn)",
            "Lambda-Runtime-Trace-Id: \(invocation.traceId)",
        ], body: invocation.payload)
    }

    static func notFound(_ request: RuntimeAPIRequest) -> RuntimeAPIReply {
        .error(404, type: "InvalidRequest", message: "\(request.method) \(request.path) is not part of the Lambda Runtime API; it serves GET \(prefix)invocation/next, POST \(prefix)invocation/{id}/response, POST \(prefix)invocation/{id}/error and POST \(prefix)init/error")
    }
}
