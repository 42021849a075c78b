import EventRouter

/// AWS Signature Version 4: canonical request, string to sign, signing key and signature, as
/// AWS services compute them (paths normalised and encoded twice, as for every service but S3).
public enum SigV4Signer {
    /// The hex SHA-256 of the empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The canonical request of `request` over `signedHeaders`.
    /// - Parameters:
    ///   - excludingSignature: leave `X-Amz-Signature` out of the query (presigned requests).
    ///   - payloadHash: the hex body hash; by default `X-Amz-Content-Sha256` or the body's own hash.
    public static func canonicalRequest(_ request: HTTPRequest, signedHeaders: [String], excludingSignature: Bool = false,
                                        payloadHash: String? = nil) -> String {
        var query = QueryString.pairs(request.query, decodePlus: false)
        if excludingSignature { query.removeAll { $0.0 == "X-Amz-Signature" } }
        let canonicalQuery = query.map { (PercentEncoding.encode($0.0), PercentEncoding.encode($0.1)) }
            .sorted { $0.0 == $1.0 ? Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8)) : Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        var headerLines = ""
        for name in signedHeaders {
            let values = request.headers.values(name).map(collapseSpaces)
            headerLines += "\(name):\(values.joined(separator: ","))\n"
        }
        let hash = payloadHash ?? request.headers["X-Amz-Content-Sha256"] ?? SHA256.hexDigest(of: request.body)
        return [request.method, canonicalURI(request.path), canonicalQuery, headerLines, signedHeaders.joined(separator: ";"), hash]
            .joined(separator: "\n")
    }

    /// The path with `.`/`..` segments and repeated slashes removed, each segment percent-encoded
    /// (so an already encoded `%3A` becomes `%253A`, as AWS's non-S3 services expect).
    public static func canonicalURI(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var kept: [Substring] = []
        for segment in segments {
            if segment == "." { continue }
            if segment == ".." { if !kept.isEmpty { kept.removeLast() }; continue }
            kept.append(segment)
        }
        var out = "/" + kept.map { PercentEncoding.encode(String($0)) }.joined(separator: "/")
        if path.hasSuffix("/") && !kept.isEmpty { out += "/" }
        return out
    }

    /// `AWS4-HMAC-SHA256\nAMZDATE\nSCOPE\nhex(sha256(canonical request))`.
    public static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(SHA256.hexDigest(of: Array(canonicalRequest.utf8)))"
    }

    /// The signing key: HMAC chain over date, region, service and `aws4_request`.
    public static func signingKey(secret: String, date: String, region: String, service: String) -> [UInt8] {
        let kDate = HMACSHA256.authenticate(date, key: Array("AWS4\(secret)".utf8))
        let kRegion = HMACSHA256.authenticate(region, key: kDate)
        let kService = HMACSHA256.authenticate(service, key: kRegion)
        return HMACSHA256.authenticate("aws4_request", key: kService)
    }

    /// The hex signature of `request` for `credential` and `secret`.
    public static func signature(_ request: HTTPRequest, credential: SigV4Credential, secret: String) -> String {
        let canonical = canonicalRequest(request, signedHeaders: credential.signedHeaders, excludingSignature: credential.presigned,
                                         payloadHash: credential.presigned ? (request.headers["X-Amz-Content-Sha256"] ?? emptyPayloadHash) : nil)
        let amzDate = request.headers["X-Amz-Date"]
            ?? QueryString.pairs(request.query).first { $0.0 == "X-Amz-Date" }?.1 ?? ""
        let toSign = stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: credential.scope)
        let key = signingKey(secret: secret, date: credential.date, region: credential.region, service: credential.service)
        return Hex.encode(HMACSHA256.authenticate(toSign, key: key))
    }

    /// Checks the signature of `request` against `secret`.
    /// - Throws: ``SigV4Error/mismatch(_:)`` saying what was compared.
    public static func verify(_ request: HTTPRequest, credential: SigV4Credential, secret: String) throws(SigV4Error) {
        guard credential.algorithm == "AWS4-HMAC-SHA256" else {
            throw .mismatch("the signing algorithm \(credential.algorithm) is not supported under strict authentication; sign with AWS4-HMAC-SHA256")
        }
        guard credential.signedHeaders.contains("host") else {
            throw .mismatch("the signed headers must include host")
        }
        let expected = signature(request, credential: credential, secret: secret)
        guard constantTimeEqual(expected, credential.signature.lowercased()) else {
            throw .mismatch("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
        }
    }

    private static func collapseSpaces(_ value: String) -> String {
        var out: [UInt8] = []
        var lastSpace = false
        for c in value.utf8 {
            if c == 0x20 || c == 0x09 {
                if !lastSpace && !out.isEmpty { out.append(0x20) }
                lastSpace = true
            } else {
                out.append(c)
                lastSpace = false
            }
        }
        if out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
