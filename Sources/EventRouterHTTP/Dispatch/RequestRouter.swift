/// Decides which service, protocol and operation a request is for, in wire.md's order:
/// admin path, `X-Amz-Target`, RPC-v2 CBOR path, Lambda paths, query (`Action=`), else 400.
public enum RequestRouter {
    /// `X-Amz-Target` prefixes and their services.
    static let targetPrefixes: [String: (service: String, protocol: AWSProtocol)] = [
        "AWSEvents": ("events", .json11),
        "AmazonSQS": ("sqs", .json10),
        "Kinesis_20131202": ("kinesis", .json11),
        "Firehose_20150804": ("firehose", .json11),
        "Logs_20140328": ("logs", .json11),
    ]
    /// Query `Version=` values and their services, for unsigned requests.
    static let queryVersions = ["2011-06-15": "sts", "2012-11-05": "sqs", "2010-03-31": "sns"]
    static let lambdaPrefixes = ["/2015-03-31/functions", "/2015-03-31/event-source-mappings", "/2017-10-31/functions/",
                                 "/2019-09-30/functions/", "/2019-09-25/functions/", "/2014-11-13/functions/",
                                 "/2017-03-31/tags/", "/2016-08-19/account-settings"]

    /// The route of `request`; `formParameters` are its decoded form body (or GET query) parameters.
    public static func route(_ request: HTTPRequest, formParameters: [(String, String)]?, scopeService: String?) -> Route {
        let root = request.path == "/"  // most SDK calls: none of the path prefixes below can match
        if !root, request.path.hasPrefix("/_eventrouter/") || request.path == "/_eventrouter" {
            return .admin(path: String(request.path.dropFirst("/_eventrouter".count)))
        }
        if let target = request.headers["X-Amz-Target"] {
            return jsonRoute(target: target, contentType: request.headers["Content-Type"] ?? "")
        }
        if !root, request.path.hasPrefix("/service/") && request.path.contains("/operation/") {
            return .unsupported(AWSError(code: "UnsupportedProtocol",
                                         message: "the RPC v2 CBOR protocol (\(request.path)) is not served; EventRouter serves the classic EventBridge API (X-Amz-Target: AWSEvents.*)",
                                         status: 415), protocol: .json11)
        }
        if !root, lambdaPrefixes.contains(where: { request.path.hasPrefix($0) }) { return .rest(service: "lambda") }
        if let parameters = formParameters {
            let action = parameters.first { $0.0 == "Action" }?.1 ?? ""
            let version = parameters.first { $0.0 == "Version" }?.1
            let service = scopeService.flatMap { $0.isEmpty ? nil : $0 } ?? version.flatMap { queryVersions[$0] }
                ?? (SQSQueueURL.parse(request.path) != nil ? "sqs" : "")
            return .query(service: service, operation: action)
        }
        return .unsupported(AWSError(code: "UnknownOperationException",
                                     message: "cannot tell which AWS API \(request.method) \(request.path) is for: no X-Amz-Target header, no form body with Action=, and not a Lambda or /_eventrouter/ path"),
                            protocol: .json11)
    }

    private static func jsonRoute(target: String, contentType: String) -> Route {
        let parts = target.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, !parts[1].isEmpty else {
            return .unsupported(AWSError(code: "UnknownOperationException", message: "X-Amz-Target '\(target)' is not PREFIX.Operation"), protocol: .json11)
        }
        guard let (service, proto) = targetPrefixes[String(parts[0])] else {
            return .unsupported(AWSError(code: "UnknownOperationException",
                                         message: "X-Amz-Target prefix '\(parts[0])' is not served; known: \(targetPrefixes.keys.sorted().joined(separator: ", "))"),
                                protocol: .json11)
        }
        if contentType.lowercased().hasPrefix("application/x-amz-cbor") && service == "kinesis" {
            return .json(service: service, operation: String(parts[1]), protocol: .cbor11)
        }
        if contentType.lowercased().hasPrefix("application/x-amz-cbor") {
            return .unsupported(AWSError(code: "UnsupportedMediaType",
                                         message: "CBOR bodies are served for Kinesis only; switch CBOR off in the SDK (Java v1: AWS_CBOR_DISABLE=true; Java v2: CBOR_ENABLED=false or -Daws.cborEnabled=false)",
                                         status: 415), protocol: proto)
        }
        return .json(service: service, operation: String(parts[1]), protocol: proto)
    }
}
