/// The signature fields of a SigV4-signed request, from the `Authorization` header
/// (`AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs/aws4_request, SignedHeaders=…, Signature=…`)
/// or from a presigned URL's `X-Amz-Credential`, `X-Amz-SignedHeaders` and `X-Amz-Signature`.
public struct SigV4Credential: Sendable, Equatable {
    /// The access key id.
    public var accessKeyId: String
    /// The scope date, `yyyymmdd`.
    public var date: String
    /// The scope region (empty for SigV4a, which has none).
    public var region: String
    /// The scope service, e.g. `sqs`.
    public var service: String
    /// The lower-case names of the signed header fields, in order.
    public var signedHeaders: [String]
    /// The hex signature.
    public var signature: String
    /// Whether the fields came from the query string (a presigned request).
    public var presigned: Bool
    /// The signing algorithm, `AWS4-HMAC-SHA256` (or `AWS4-ECDSA-P256-SHA256` for SigV4a).
    public var algorithm: String

    /// The scope string `date/region/service/aws4_request`.
    public var scope: String { "\(date)/\(region)/\(service)/aws4_request" }

    /// Reads the credential of `request`; `nil` when it is unsigned.
    /// - Throws: ``SigV4Error`` when an `Authorization` header is there but malformed.
    public static func of(_ request: HTTPRequest) throws(SigV4Error) -> SigV4Credential? {
        if let header = request.headers["Authorization"] { return try parse(header: header) }
        let query = QueryString.pairs(request.query)
        guard let credential = query.first(where: { $0.0 == "X-Amz-Credential" })?.1 else { return nil }
        let algorithm = query.first { $0.0 == "X-Amz-Algorithm" }?.1 ?? "AWS4-HMAC-SHA256"
        let signed = query.first { $0.0 == "X-Amz-SignedHeaders" }?.1 ?? ""
        let signature = query.first { $0.0 == "X-Amz-Signature" }?.1 ?? ""
        var result = try parse(credential: credential, algorithm: algorithm)
        result.signedHeaders = signed.split(separator: ";").map { $0.lowercased() }
        result.signature = signature
        result.presigned = true
        return result
    }

    /// Parses an `Authorization` header value.
    public static func parse(header: String) throws(SigV4Error) -> SigV4Credential {
        guard let space = header.firstIndex(of: " ") else {
            throw SigV4Error.malformed("the Authorization header '\(header.prefix(60))' is not 'AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…'")
        }
        let algorithm = String(header[..<space])
        var fields: [String: String] = [:]
        for part in header[space...].split(separator: ",") {
            let item = part.trimmingSpaces
            guard let eq = item.firstIndex(of: "=") else { continue }
            fields[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        guard let credential = fields["Credential"] else {
            throw SigV4Error.malformed("the Authorization header has no Credential=AKID/DATE/REGION/SERVICE/aws4_request")
        }
        var result = try parse(credential: credential, algorithm: algorithm)
        result.signedHeaders = (fields["SignedHeaders"] ?? "").split(separator: ";").map { $0.lowercased() }
        result.signature = fields["Signature"] ?? ""
        return result
    }

    private static func parse(credential: String, algorithm: String) throws(SigV4Error) -> SigV4Credential {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let sigV4a = algorithm == "AWS4-ECDSA-P256-SHA256"
        guard parts.count == (sigV4a ? 4 : 5), parts.last == "aws4_request", !parts[0].isEmpty else {
            throw SigV4Error.malformed("the credential '\(credential)' is not ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request")
        }
        return SigV4Credential(accessKeyId: parts[0], date: parts[1], region: sigV4a ? "" : parts[2], service: parts[sigV4a ? 2 : 3],
                               signedHeaders: [], signature: "", presigned: false, algorithm: algorithm)
    }
}

/// A signature that could not be read or does not match.
public enum SigV4Error: Error, Sendable, Equatable {
    /// The `Authorization` header or credential is malformed.
    case malformed(String)
    /// The signature is not the one the secret key gives.
    case mismatch(String)
}
