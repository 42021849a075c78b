/// Finds the caller of a request: its account from the access key, its region and service from
/// the credential scope. Under strict authentication only configured keys with a valid SigV4
/// signature are let through, and the refusals use AWS's codes.
public struct Authenticator: Sendable {
    /// The configured keys and the default account.
    public var keys: AccessKeyTable
    /// Verify signatures and refuse unknown keys.
    public var strict: Bool
    /// The region of unsigned requests.
    public var defaultRegion: String

    public init(keys: AccessKeyTable, strict: Bool, defaultRegion: String) {
        self.keys = keys
        self.strict = strict
        self.defaultRegion = defaultRegion
    }

    /// The credential of `request`, if it carries a readable one (its signature fields only under
    /// strict authentication, the only reader of them).
    public func credential(of request: HTTPRequest) -> Result<SigV4Credential?, SigV4Error> {
        do {
            return .success(try SigV4Credential.of(request, signatureFields: strict))
        } catch {
            return .failure(error)
        }
    }

    /// The caller of `request`.
    /// - Throws: ``AWSError`` (403 or 400) under strict authentication, in `protocol`'s words.
    public func caller(of request: HTTPRequest, credential: Result<SigV4Credential?, SigV4Error>, protocol: AWSProtocol) throws(AWSError) -> Caller {
        switch credential {
        case .failure(let error):
            guard strict else { return Caller(account: keys.defaultAccount, accessKeyId: "", region: defaultRegion, scopeService: "") }
            if case .malformed(let message) = error { throw .incompleteSignature(message, protocol: `protocol`) }
            throw .incompleteSignature("the Authorization header cannot be read", protocol: `protocol`)
        case .success(nil):
            guard !strict else { throw .missingAuthentication(protocol: `protocol`) }
            return Caller(account: keys.defaultAccount, accessKeyId: "", region: defaultRegion, scopeService: "")
        case .success(let found?):
            let region = found.region.isEmpty ? (request.headers["X-Amz-Region-Set"] ?? defaultRegion) : found.region
            let service = found.service == "eventbridge" ? "events" : found.service
            guard strict else {
                return Caller(account: keys.account(for: found.accessKeyId), accessKeyId: found.accessKeyId, region: region, scopeService: service)
            }
            guard let key = keys.key(found.accessKeyId) else { throw .unrecognizedClient(found.accessKeyId, protocol: `protocol`) }
            do {
                try SigV4Signer.verify(request, credential: found, secret: key.secretAccessKey)
            } catch {
                switch error {
                case .mismatch(let message), .malformed(let message): throw .signatureMismatch(message, protocol: `protocol`)
                }
            }
            return Caller(account: key.account, accessKeyId: found.accessKeyId, region: region, scopeService: service)
        }
    }
}
