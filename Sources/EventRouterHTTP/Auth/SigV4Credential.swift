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

    /// Reads the credential of `request`; `nil` when it is unsigned. With `signatureFields` false
    /// (nothing verifies the signature: authentication is not strict), an `Authorization` header's
    /// `SignedHeaders` and `Signature` are checked for nothing and left empty, which saves their
    /// copies on every request.
    /// - Throws: ``SigV4Error`` when an `Authorization` header is there but malformed.
    public static func of(_ request: HTTPRequest, signatureFields: Bool = true) throws(SigV4Error) -> SigV4Credential? {
        if let header = request.headers["Authorization"] { return try parse(header: header, signatureFields: signatureFields) }
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
    ///
    /// Read as bytes (it is parsed on every signed request, before the answer): the algorithm up
    /// to the first space, then comma-separated `name=value` items (spaces around an item ignored,
    /// items without `=` skipped, the last of a repeated name wins).
    /// With `signatureFields` false, `signedHeaders` and `signature` are left empty.
    public static func parse(header: String, signatureFields: Bool = true) throws(SigV4Error) -> SigV4Credential {
        var text = header
        let found = text.withUTF8 { bytes -> (algorithm: String, credential: String?, signedHeaders: String?, signature: String?)? in
            guard let space = bytes.firstIndex(of: 0x20) else { return nil }
            var credential: String?, signedHeaders: String?, signature: String?
            var start = space
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x2C { end += 1 }
                var first = start, last = end
                while first < last && (bytes[first] == 0x20 || bytes[first] == 0x09) { first += 1 }
                while last > first && (bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09) { last -= 1 }
                var eq = first
                while eq < last && bytes[eq] != 0x3D { eq += 1 }
                if eq < last {
                    let value = UnsafeBufferPointer(rebasing: bytes[(eq + 1)..<last])
                    switch eq - first {  // the name's length, then its bytes
                    case 10 where matches(bytes, at: first, "Credential"): credential = String(decoding: value, as: UTF8.self)
                    case 13 where signatureFields && matches(bytes, at: first, "SignedHeaders"): signedHeaders = String(decoding: value, as: UTF8.self)
                    case 9 where signatureFields && matches(bytes, at: first, "Signature"): signature = String(decoding: value, as: UTF8.self)
                    default: break
                    }
                }
                start = end + 1
            }
            return (String(decoding: bytes[..<space], as: UTF8.self), credential, signedHeaders, signature)
        }
        guard let found else {
            throw SigV4Error.malformed("the Authorization header '\(header.prefix(60))' is not 'AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…'")
        }
        guard let credential = found.credential else {
            throw SigV4Error.malformed("the Authorization header has no Credential=AKID/DATE/REGION/SERVICE/aws4_request")
        }
        var result = try parse(credential: credential, algorithm: found.algorithm)
        if let names = found.signedHeaders { result.signedHeaders = signedHeaderNames(names) }
        result.signature = found.signature ?? ""
        return result
    }

    /// Whether `bytes` holds `name` at `offset` (the caller checked the length).
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ name: StaticString) -> Bool {
        for i in 0..<name.utf8CodeUnitCount where bytes[offset + i] != name.utf8Start[i] { return false }
        return true
    }

    /// `a;b;c` split as bytes, each name lower-cased (SDKs send lower case already).
    private static func signedHeaderNames(_ list: String) -> [String] {
        var text = list
        return text.withUTF8 { bytes in
            var names: [String] = []
            var start = 0
            while start < bytes.count {
                var end = start
                var plain = true
                while end < bytes.count && bytes[end] != 0x3B {
                    if (bytes[end] >= 0x41 && bytes[end] <= 0x5A) || bytes[end] >= 0x80 { plain = false }
                    end += 1
                }
                if end > start {
                    let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    names.append(plain ? name : name.lowercased())
                }
                start = end + 1
            }
            return names
        }
    }

    private static func parse(credential: String, algorithm: String) throws(SigV4Error) -> SigV4Credential {
        var text = credential
        let parts = text.withUTF8 { bytes in  // as bytes: read before every signed request is answered
            var parts: [String] = []
            parts.reserveCapacity(5)
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == 0x2F {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                start = end + 1
            }
            return parts
        }
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
