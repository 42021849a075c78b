import EventRouter

/// Lambda's rest-json paths: decides the operation from the method and path (wire.md §9.5).
/// The path is split on `/` first and each segment percent-decoded after, so a function ARN
/// (`arn%3Aaws%3Alambda%3A…`) stays one segment.
struct LambdaRoute: Equatable {
    /// The operations served (and the ones answered with a clear refusal).
    enum Operation: String, Sendable {
        case invoke = "Invoke", invokeAsync = "InvokeAsync"
        case listFunctions = "ListFunctions", getFunction = "GetFunction", getFunctionConfiguration = "GetFunctionConfiguration"
        case createFunction = "CreateFunction", deleteFunction = "DeleteFunction", updateFunctionCode = "UpdateFunctionCode"
        case updateFunctionConfiguration = "UpdateFunctionConfiguration"
        case putEventInvokeConfig = "PutFunctionEventInvokeConfig", updateEventInvokeConfig = "UpdateFunctionEventInvokeConfig"
        case getEventInvokeConfig = "GetFunctionEventInvokeConfig", deleteEventInvokeConfig = "DeleteFunctionEventInvokeConfig"
        case listEventInvokeConfigs = "ListFunctionEventInvokeConfigs"
        case putConcurrency = "PutFunctionConcurrency", getConcurrency = "GetFunctionConcurrency"
        case deleteConcurrency = "DeleteFunctionConcurrency"
        case createMapping = "CreateEventSourceMapping", listMappings = "ListEventSourceMappings"
        case getMapping = "GetEventSourceMapping", updateMapping = "UpdateEventSourceMapping", deleteMapping = "DeleteEventSourceMapping"
        case getAccountSettings = "GetAccountSettings"
    }

    /// The operation.
    var operation: Operation
    /// The decoded `{FunctionName}` label, if the path has one.
    var function: String?
    /// The decoded `{UUID}` label, if the path has one.
    var uuid: String?

    /// One path shape: literal segments, `{f}` (a function) or `{uuid}`, and its operations by method.
    private struct Shape {
        var segments: [String]
        var methods: [(String, Operation)]
        var display: String { "/" + segments.map { $0 == "{f}" ? "{FunctionName}" : $0 == "{uuid}" ? "{UUID}" : $0 }.joined(separator: "/") }
    }

    private static let shapes: [Shape] = [
        Shape(segments: ["2015-03-31", "functions"], methods: [("GET", .listFunctions), ("POST", .createFunction)]),
        Shape(segments: ["2015-03-31", "functions", "{f}"], methods: [("GET", .getFunction), ("DELETE", .deleteFunction)]),
        Shape(segments: ["2015-03-31", "functions", "{f}", "invocations"], methods: [("POST", .invoke)]),
        Shape(segments: ["2014-11-13", "functions", "{f}", "invoke-async"], methods: [("POST", .invokeAsync)]),
        Shape(segments: ["2015-03-31", "functions", "{f}", "configuration"],
              methods: [("GET", .getFunctionConfiguration), ("PUT", .updateFunctionConfiguration)]),
        Shape(segments: ["2015-03-31", "functions", "{f}", "code"], methods: [("PUT", .updateFunctionCode)]),
        Shape(segments: ["2019-09-25", "functions", "{f}", "event-invoke-config"],
              methods: [("PUT", .putEventInvokeConfig), ("POST", .updateEventInvokeConfig), ("GET", .getEventInvokeConfig),
                        ("DELETE", .deleteEventInvokeConfig)]),
        Shape(segments: ["2019-09-25", "functions", "{f}", "event-invoke-config", "list"], methods: [("GET", .listEventInvokeConfigs)]),
        Shape(segments: ["2017-10-31", "functions", "{f}", "concurrency"], methods: [("PUT", .putConcurrency), ("DELETE", .deleteConcurrency)]),
        Shape(segments: ["2019-09-30", "functions", "{f}", "concurrency"], methods: [("GET", .getConcurrency)]),
        Shape(segments: ["2015-03-31", "event-source-mappings"], methods: [("POST", .createMapping), ("GET", .listMappings)]),
        Shape(segments: ["2015-03-31", "event-source-mappings", "{uuid}"],
              methods: [("GET", .getMapping), ("PUT", .updateMapping), ("DELETE", .deleteMapping)]),
        Shape(segments: ["2016-08-19", "account-settings"], methods: [("GET", .getAccountSettings)]),
    ]

    /// The route of `method` on `path` (still percent-encoded).
    /// - Throws: ``AWSError``: 404 `UnknownOperationException` for a path Lambda does not have,
    ///   405 for a known path with another method (naming the methods it takes), 400 for a
    ///   segment that cannot be percent-decoded.
    static func match(method: String, path: String) throws(AWSError) -> LambdaRoute {
        var raw = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if raw.last == "" { raw = raw.dropLast() }  // "/2015-03-31/functions/" is ListFunctions
        var segments: [String] = []
        for (i, segment) in raw.enumerated() {
            do {
                segments.append(try PercentEncoding.decode(segment.utf8, plusAsSpace: false))
            } catch {
                throw AWSError(code: "InvalidRequestContentException",
                               message: "path segment \(i + 1) of \(path) is not valid percent-encoding: \(error.reason) ('\(error.text)'); percent-encode function names and ARNs (':' as %3A)")
            }
        }
        for shape in shapes where shape.segments.count == segments.count {
            var function: String?, uuid: String?
            let fits = zip(shape.segments, segments).allSatisfy { pattern, segment in
                switch pattern {
                case "{f}": function = segment; return !segment.isEmpty
                case "{uuid}": uuid = segment; return !segment.isEmpty
                default: return pattern == segment
                }
            }
            guard fits else { continue }
            guard let operation = shape.methods.first(where: { $0.0 == method })?.1 else {
                let allowed = shape.methods.map { "\($0.0) (\($0.1.rawValue))" }.joined(separator: ", ")
                throw AWSError(code: "UnknownOperationException",
                               message: "\(method) is not allowed on \(shape.display); this path takes \(allowed)", status: 405)
            }
            return LambdaRoute(operation: operation, function: function, uuid: uuid)
        }
        throw AWSError(code: "UnknownOperationException",
                       message: "no Lambda operation is served at \(method) \(path); EventRouter serves \(servedList) (see docs/lambda-on-the-wire.md)",
                       status: 404)
    }

    /// `METHOD /path` of every served shape, for the unknown-path message.
    static var servedList: String {
        shapes.flatMap { shape in shape.methods.map { "\($0.0) \(shape.display)" } }.joined(separator: ", ")
    }
}
