import EventRouter
import EventRouterHTTP

/// Raw HTTP/1.1 requests as the AWS SDKs send them (boto3's headers, a SigV4 `Authorization`
/// whose scope names the service): the seeds of the `endpoint` target and its probe.
enum EndpointRequests {
    static let host = "localhost:4566"
    static let account = EndpointWorld.account
    static let queueURL = "http://\(host)/\(account)/"

    /// boto3's `Authorization` and `X-Amz-Date` for `service` (the default mode reads only the scope).
    static func signature(_ service: String) -> String {
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/\(service)/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\r\n"
            + "X-Amz-Date: 20260101T000000Z\r\n"
    }

    /// A request with `Host`, boto3's `User-Agent`, the extra `headers` (each ending in CRLF) and `body`.
    static func raw(_ method: String, _ target: String, headers: String, body: [UInt8]) -> [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nAccept-Encoding: identity\r\nUser-Agent: Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux\r\n"
        head += headers
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    /// A JSON 1.0 or 1.1 call: `X-Amz-Target: target`, signed for the target's service.
    static func json(_ target: String, _ body: String, version: String) -> [UInt8] {
        let service = ["AWSEvents": "events", "AmazonSQS": "sqs", "Kinesis_20131202": "kinesis", "Logs_20140328": "logs",
                       "Firehose_20150804": "firehose"][String(target.prefix { $0 != "." })] ?? "events"
        return raw("POST", "/", headers: "X-Amz-Target: \(target)\r\nContent-Type: application/x-amz-json-\(version)\r\n" + signature(service),
                   body: Array(body.utf8))
    }

    /// A Kinesis call with a CBOR body (the Java SDKs).
    static func cbor(_ operation: String, _ body: CBORValue) -> [UInt8] {
        raw("POST", "/", headers: "X-Amz-Target: Kinesis_20131202.\(operation)\r\nContent-Type: application/x-amz-cbor-1.1\r\n" + signature("kinesis"),
            body: CBOREncoder.encode(body))
    }

    /// A query-protocol call: the form `body` posted to `path`, signed for `service`.
    static func form(_ body: String, service: String, path: String = "/") -> [UInt8] {
        raw("POST", path, headers: "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n" + signature(service), body: Array(body.utf8))
    }

    /// A Lambda REST call (`headers` each ending in CRLF).
    static func lambda(_ method: String, _ path: String, _ body: String = "", headers: String = "") -> [UInt8] {
        let type = body.isEmpty || path.hasSuffix("/invocations") ? "" : "Content-Type: application/json\r\n"
        return raw(method, path, headers: type + headers + signature("lambda"), body: Array(body.utf8))
    }
}
