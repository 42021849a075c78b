/// Reading and writing connections in AWS's shape (rule files, CloudFormation, `CreateConnection`).
extension ConnectionDefinition {
    static let keys = ["Name", "Description", "AuthorizationType", "AuthParameters"]
    static let authTypes = ["API_KEY", "BASIC", "OAUTH_CLIENT_CREDENTIALS"]
    static let authKeys = ["ApiKeyAuthParameters", "BasicAuthParameters", "OAuthParameters", "InvocationHttpParameters"]
    static let oauthMethods = ["GET", "POST", "PUT"]

    /// Reads a connection entry with the one field reader; `nil` after reporting its problems.
    /// - Parameter name: the name when it is not in the entry (`UpdateConnection`).
    public static func read(_ o: JSONObject, account: String, region: String, file: String?, fields: inout FieldReader,
                            at path: String, name given: String? = nil) -> ConnectionDefinition? {
        let before = fields.errorCount
        fields.checkKeys(o, allowed: given == nil ? keys : keys.filter { $0 != "Name" } + ["Name"], what: "a connection", at: path)
        let name = given ?? fields.string(o, "Name", at: path, required: true, pattern: ApiDestinationNames.namePattern)
        let description = fields.string(o, "Description", at: path)
        let type = fields.enumeration(o, "AuthorizationType", at: path, allowed: authTypes, required: true)
        let auth = fields.object(o, "AuthParameters", at: path, required: true)
        let apath = "\(path).AuthParameters"
        var authorization: Authorization?
        var invocation = ConnectionParameters()
        if let auth, let type {
            fields.checkKeys(auth, allowed: authKeys, what: "AuthParameters", at: apath)
            let expected = ["API_KEY": "ApiKeyAuthParameters", "BASIC": "BasicAuthParameters", "OAUTH_CLIENT_CREDENTIALS": "OAuthParameters"]
            for (t, key) in expected where t != type && auth[key] != nil {
                fields.error("\(apath).\(key)", "\(key) does not apply to AuthorizationType \(type); give \(expected[type] ?? "") instead")
            }
            switch type {
            case "API_KEY":
                if let p = fields.object(auth, "ApiKeyAuthParameters", at: apath, required: true) {
                    let ppath = "\(apath).ApiKeyAuthParameters"
                    fields.checkKeys(p, allowed: ["ApiKeyName", "ApiKeyValue"], what: "ApiKeyAuthParameters", at: ppath)
                    let key = fields.string(p, "ApiKeyName", at: ppath, required: true)
                    let value = fields.string(p, "ApiKeyValue", at: ppath, required: true)
                    if let key, !HTTPHeaderName.isValid(key) {
                        fields.error("\(ppath).ApiKeyName", "'\(key)' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)")
                    } else if let key, let value { authorization = .apiKey(name: key, value: value) }
                }
            case "BASIC":
                if let p = fields.object(auth, "BasicAuthParameters", at: apath, required: true) {
                    let ppath = "\(apath).BasicAuthParameters"
                    fields.checkKeys(p, allowed: ["Username", "Password"], what: "BasicAuthParameters", at: ppath)
                    let user = fields.string(p, "Username", at: ppath, required: true)
                    let password = fields.string(p, "Password", at: ppath, required: true)
                    if let user, user.contains(":") {
                        fields.error("\(ppath).Username", "a Basic user name may not contain ':' (it separates the user name from the password)")
                    } else if let user, let password { authorization = .basic(username: user, password: password) }
                }
            default:
                if let p = fields.object(auth, "OAuthParameters", at: apath, required: true) {
                    authorization = readOAuth(p, fields: &fields, at: "\(apath).OAuthParameters").map { .oauth($0) }
                }
            }
            if let p = fields.object(auth, "InvocationHttpParameters", at: apath) {
                invocation = readParameters(p, fields: &fields, at: "\(apath).InvocationHttpParameters")
            }
        }
        guard fields.errorCount == before, let name, let authorization else { return nil }
        return ConnectionDefinition(name: name, account: account, region: region, description: description, authorization: authorization,
                                    invocationParameters: invocation, file: file)
    }

    static func readOAuth(_ p: JSONObject, fields: inout FieldReader, at path: String) -> OAuthSettings? {
        fields.checkKeys(p, allowed: ["ClientParameters", "AuthorizationEndpoint", "HttpMethod", "OAuthHttpParameters"], what: "OAuthParameters", at: path)
        let endpoint = fields.string(p, "AuthorizationEndpoint", at: path, required: true)
        if let endpoint, let problem = ApiDestinationDefinition.endpointProblem(endpoint) {
            fields.error("\(path).AuthorizationEndpoint", problem)
        }
        let method = fields.enumeration(p, "HttpMethod", at: path, allowed: oauthMethods, required: true)
        var id: String?, secret: String?
        if let c = fields.object(p, "ClientParameters", at: path, required: true) {
            fields.checkKeys(c, allowed: ["ClientID", "ClientSecret"], what: "ClientParameters", at: "\(path).ClientParameters")
            id = fields.string(c, "ClientID", at: "\(path).ClientParameters", required: true)
            secret = fields.string(c, "ClientSecret", at: "\(path).ClientParameters", required: true)
        }
        var parameters = ConnectionParameters()
        if let h = fields.object(p, "OAuthHttpParameters", at: path) { parameters = readParameters(h, fields: &fields, at: "\(path).OAuthHttpParameters") }
        guard let endpoint, ApiDestinationDefinition.endpointProblem(endpoint) == nil, let method, let id, let secret else { return nil }
        return OAuthSettings(authorizationEndpoint: endpoint, httpMethod: method, clientID: id, clientSecret: secret, parameters: parameters)
    }

    /// `{"HeaderParameters": [{"Key", "Value", "IsValueSecret"}], "QueryStringParameters": […], "BodyParameters": […]}`.
    static func readParameters(_ o: JSONObject, fields: inout FieldReader, at path: String) -> ConnectionParameters {
        fields.checkKeys(o, allowed: ["HeaderParameters", "QueryStringParameters", "BodyParameters"], what: "HTTP parameters", at: path)
        func list(_ key: String) -> [HTTPParameter] {
            guard let items = fields.array(o, key, at: path, of: "{Key, Value} objects") else { return [] }
            var result: [HTTPParameter] = []
            for (i, item) in items.enumerated() {
                let ipath = "\(path).\(key)[\(i)]"
                guard case .object(let p) = item else {
                    fields.error(ipath, "each entry of \(key) must be an object with Key and Value, not \(item.kindName)")
                    continue
                }
                fields.checkKeys(p, allowed: ["Key", "Value", "IsValueSecret"], what: "a parameter", at: ipath)
                guard let k = fields.string(p, "Key", at: ipath, required: true), let v = fields.string(p, "Value", at: ipath) ?? Optional("") else { continue }
                if key == "HeaderParameters", !HTTPHeaderName.isValid(k) {
                    fields.error("\(ipath).Key", "'\(k)' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)")
                    continue
                }
                result.append(HTTPParameter(k, v, isSecret: fields.bool(p, "IsValueSecret", at: ipath) ?? false))
            }
            return result
        }
        return ConnectionParameters(headers: list("HeaderParameters"), queryString: list("QueryStringParameters"), body: list("BodyParameters"))
    }

    /// `DescribeConnection`'s shape: secrets (`ApiKeyValue`, `Password`, `ClientSecret`, secret parameter values) left out.
    public var describeJSON: JSONObject {
        var o = JSONObject()
        o["ConnectionArn"] = .string(arn)
        o["Name"] = .string(name)
        if let description { o["Description"] = .string(description) }
        o["ConnectionState"] = .string(state)
        o["AuthorizationType"] = .string(authorization.typeName)
        var auth = JSONObject()
        switch authorization {
        case .apiKey(let key, _): auth["ApiKeyAuthParameters"] = .object(["ApiKeyName": .string(key)])
        case .basic(let user, _): auth["BasicAuthParameters"] = .object(["Username": .string(user)])
        case .oauth(let s):
            var p = JSONObject()
            p["ClientParameters"] = .object(["ClientID": .string(s.clientID)])
            p["AuthorizationEndpoint"] = .string(s.authorizationEndpoint)
            p["HttpMethod"] = .string(s.httpMethod)
            if !s.parameters.isEmpty { p["OAuthHttpParameters"] = .object(Self.parametersJSON(s.parameters, secrets: false)) }
            auth["OAuthParameters"] = .object(p)
        }
        if !invocationParameters.isEmpty { auth["InvocationHttpParameters"] = .object(Self.parametersJSON(invocationParameters, secrets: false)) }
        o["AuthParameters"] = .object(auth)
        return o
    }

    /// The rule-file shape (with secrets, for `export rules`).
    public var ruleFileJSON: JSONObject {
        var o = JSONObject()
        o["Name"] = .string(name)
        if let description { o["Description"] = .string(description) }
        o["AuthorizationType"] = .string(authorization.typeName)
        var auth = JSONObject()
        switch authorization {
        case .apiKey(let key, let value): auth["ApiKeyAuthParameters"] = .object(["ApiKeyName": .string(key), "ApiKeyValue": .string(value)])
        case .basic(let user, let password): auth["BasicAuthParameters"] = .object(["Username": .string(user), "Password": .string(password)])
        case .oauth(let s):
            var p = JSONObject()
            p["ClientParameters"] = .object(["ClientID": .string(s.clientID), "ClientSecret": .string(s.clientSecret)])
            p["AuthorizationEndpoint"] = .string(s.authorizationEndpoint)
            p["HttpMethod"] = .string(s.httpMethod)
            if !s.parameters.isEmpty { p["OAuthHttpParameters"] = .object(Self.parametersJSON(s.parameters, secrets: true)) }
            auth["OAuthParameters"] = .object(p)
        }
        if !invocationParameters.isEmpty { auth["InvocationHttpParameters"] = .object(Self.parametersJSON(invocationParameters, secrets: true)) }
        o["AuthParameters"] = .object(auth)
        return o
    }

    static func parametersJSON(_ p: ConnectionParameters, secrets: Bool) -> JSONObject {
        func list(_ items: [HTTPParameter]) -> JSONValue {
            .array(items.map { item in
                var o = JSONObject()
                o["Key"] = .string(item.name)
                if secrets || !item.isSecret { o["Value"] = .string(item.value) }
                o["IsValueSecret"] = .bool(item.isSecret)
                return .object(o)
            })
        }
        var o = JSONObject()
        if !p.headers.isEmpty { o["HeaderParameters"] = list(p.headers) }
        if !p.queryString.isEmpty { o["QueryStringParameters"] = list(p.queryString) }
        if !p.body.isEmpty { o["BodyParameters"] = list(p.body) }
        return o
    }
}
