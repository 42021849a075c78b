/// AWS STS over the query protocol: `GetCallerIdentity` answers the caller's account.
public struct STSService: AWSService {
    public let name = "sts"
    public let xmlNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

    public init() {}

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        switch call.operation {
        case "GetCallerIdentity":
            let account = call.caller.account
            let xml = XMLText.element("UserId", call.caller.accessKeyId.isEmpty ? account : call.caller.accessKeyId)
                + XMLText.element("Account", account) + XMLText.element("Arn", "arn:aws:iam::\(account):root")
            return .query(resultXML: xml)
        default:
            throw .unknownOperation(call.operation, service: "sts", protocol: call.protocol)
        }
    }
}
