extension PatternParser {
    /// Every operator name, for error messages.
    static let operatorNames = [
        "prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr", "exactly",
    ]

    /// Parses one operator object such as `{"prefix": "x"}`.
    func parseOperator(_ object: JSONObject, at location: String) throws(PatternError) -> ValueMatcher {
        let (name, value) = try singleMember(object, at: location, what: "an operator object")
        let here = Self.join(location, name)
        switch name {
        case "exactly":
            return .exactString(try string(value, at: here, operator: name))
        case "prefix", "suffix":
            if case .object(let inner) = value {
                let (innerName, innerValue) = try singleMember(inner, at: here, what: "\"\(name)\"")
                guard innerName == "equals-ignore-case" else {
                    throw PatternError(
                        path: Self.join(here, innerName),
                        reason: "\"\(name)\" accepts only {\"equals-ignore-case\": \"…\"} as an object, not \"\(innerName)\"")
                }
                let text = CaseFolding.fold(try string(innerValue, at: Self.join(here, innerName), operator: innerName))
                return name == "prefix" ? .prefixIgnoreCase(text) : .suffixIgnoreCase(text)
            }
            let text = try string(value, at: here, operator: name)
            return name == "prefix" ? .prefix(text) : .suffix(text)
        case "equals-ignore-case":
            return .equalsIgnoreCase(CaseFolding.fold(try string(value, at: here, operator: name)))
        case "wildcard":
            return Wildcard.normalized(try wildcard(value, at: here))
        case "numeric":
            return .numeric(try numericRange(value, at: here))
        case "exists":
            guard case .bool(let present) = value else {
                throw PatternError(path: here, reason: "\"exists\" takes true or false, not \(value.jsonText)")
            }
            return .exists(present)
        case "cidr":
            let text = try string(value, at: here, operator: name)
            do {
                return .cidr(try CIDRBlock(parsing: text))
            } catch {
                throw PatternError(path: here, reason: error.reason)
            }
        case "anything-but":
            return .anythingBut(try anythingBut(value, at: here))
        default:
            if let known = Self.operatorNames.first(where: { $0.lowercased() == name.lowercased() }) {
                throw PatternError(
                    path: here, reason: "unknown operator \"\(name)\"; operator names are case-sensitive: write \"\(known)\"")
            }
            throw PatternError(
                path: here,
                reason: "unknown operator \"\(name)\"; use one of \(Self.operatorNames.joined(separator: ", "))")
        }
    }

    /// The only member of an operator object, or an error naming what is wrong.
    func singleMember(_ object: JSONObject, at location: String, what: String) throws(PatternError) -> (String, JSONValue) {
        guard let first = object.members.first else {
            throw PatternError(path: location, reason: "\(what) needs exactly one operator, such as {\"prefix\": \"x\"}; found none")
        }
        guard object.count == 1 else {
            let keys = object.keys.map { "\"\($0)\"" }.joined(separator: ", ")
            throw PatternError(path: location, reason: "\(what) holds exactly one operator; found \(object.count): \(keys)")
        }
        return (first.key, first.value)
    }

    /// A string operand, or an error (a list where one string is required is called out).
    func string(_ value: JSONValue, at location: String, operator name: String) throws(PatternError) -> String {
        switch value {
        case .string(let s):
            return s
        case .array:
            throw PatternError(
                path: location,
                reason: "\"\(name)\" takes a single string, not an array; write one {\"\(name)\": \"…\"} object per value")
        default:
            throw PatternError(path: location, reason: "\"\(name)\" takes a string, not \(Self.article(value.kindName))")
        }
    }

    /// A validated wildcard string.
    func wildcard(_ value: JSONValue, at location: String) throws(PatternError) -> String {
        let text = try string(value, at: location, operator: "wildcard")
        if let problem = Wildcard.validationError(text) {
            throw PatternError(path: location, reason: "invalid wildcard \"\(text)\": \(problem)")
        }
        return text
    }
}
