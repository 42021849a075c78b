import EventRouter

/// Reading EventBridge request members beyond ``JSONInput``'s scalars: lists of strings and
/// structures, epoch timestamps, tags and paging, all with AWS's errors.
extension JSONInput {
    /// A list of strings.
    func strings(_ name: String, required: Bool = false) throws(AWSError) -> [String]? {
        guard let items = try list(name, required: required) else { return nil }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw .serialization("member '\(name)[\(i)]' must be a string, not \(item.kindName)")
            }
            out.append(s)
        }
        return out
    }

    /// A list of structures.
    func structures(_ name: String, required: Bool = false) throws(AWSError) -> [JSONInput]? {
        guard let items = try list(name, required: required) else { return nil }
        var out: [JSONInput] = []
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else {
                throw .serialization("member '\(name)[\(i)]' must be an object, not \(item.kindName)")
            }
            out.append(JSONInput(object: o))
        }
        return out
    }

    /// A timestamp: epoch seconds (integer, decimal or exponent, as SDKs send) or ISO 8601 text.
    func timestamp(_ name: String, required: Bool = false) throws(AWSError) -> Timestamp? {
        guard let value = object[name], !value.isNull else {
            if required { _ = try string(name, required: true) }
            return nil
        }
        switch value {
        case .number(let n):
            let ns = (n.double * 1e9).rounded()
            guard ns.isFinite, let exact = Int64(exactly: ns) else {
                throw .validation("Parameter \(name) is not valid: \(n) seconds is out of range")
            }
            return Timestamp(nanosecondsSinceEpoch: exact)
        case .string(let text):
            do { return try Timestamp.parse(iso8601: text) } catch {
                throw .serialization("member '\(name)' must be a timestamp (epoch seconds or ISO 8601), not '\(text)': \(error)")
            }
        default:
            throw .serialization("member '\(name)' must be a timestamp (epoch seconds), not \(value.kindName)")
        }
    }

    /// `Tags`: `[{"Key": …, "Value": …}]`.
    func tags(_ name: String = "Tags", required: Bool = false) throws(AWSError) -> [(key: String, value: String)]? {
        guard let items = try structures(name, required: required) else { return nil }
        var out: [(key: String, value: String)] = []
        for (i, item) in items.enumerated() {
            guard let key = try item.string("Key", required: true), (1...128).contains(key.utf8.count) else {
                throw .validation("Parameter \(name)[\(i)].Key is not valid: a tag key must be 1 to 128 characters")
            }
            let value = try item.string("Value", required: true) ?? ""
            guard value.utf8.count <= 256 else { throw .validation("Parameter \(name)[\(i)].Value is not valid: a tag value is at most 256 characters") }
            out.append((key, value))
        }
        return out
    }

    /// `Limit` and `NextToken` applied to `items`: one page and the token of the next (absent on the last).
    func page<T>(_ items: [T], maximum: Int = 100) throws(AWSError) -> (items: [T], nextToken: String?) {
        let limit = try integer("Limit") ?? maximum
        guard limit >= 1 && limit <= maximum else {  // no range: `maximum` below 1 must not trap
            throw .validation("1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value between 1 and \(maximum)")
        }
        var start = 0
        if let token = try string("NextToken") {
            guard token.hasPrefix("page-"), let n = Int(token.dropFirst(5)), n >= 0, n <= items.count else {
                throw .validation("The NextToken '\(token)' is not valid; pass the NextToken of the previous page unchanged")
            }
            start = n
        }
        let end = start + min(limit, items.count - start)
        return (Array(items[start..<end]), end < items.count ? "page-\(end)" : nil)
    }
}

extension AWSError {
    /// `ResourceNotFoundException`.
    static func notFound(_ message: String) -> AWSError { AWSError(code: "ResourceNotFoundException", message: message) }
    /// `ResourceAlreadyExistsException`.
    static func alreadyExists(_ message: String) -> AWSError { AWSError(code: "ResourceAlreadyExistsException", message: message) }
    /// `LimitExceededException`.
    static func limitExceeded(_ message: String) -> AWSError { AWSError(code: "LimitExceededException", message: message) }
    /// `InvalidEventPatternException` with the reason the rule-file validator gives.
    static func invalidPattern(_ reason: String) -> AWSError {
        AWSError(code: "InvalidEventPatternException", message: "Event pattern is not valid. Reason: \(reason)")
    }

    /// A library error in EventBridge's codes (`NotFound` is `ResourceNotFoundException`).
    static func events(_ error: EventRouterError) -> AWSError {
        switch error.code {
        case .notFound: .notFound(error.message)
        case .validation: .validation(error.message)
        default: AWSError(error)
        }
    }
}

extension JSONValue {
    /// A List reply: `{KEY: items, "NextToken": …}` (no `NextToken` on the last page).
    static func page(_ key: String, _ items: [JSONValue], nextToken: String?) -> JSONValue {
        var o = JSONObject([.init(key: key, value: .array(items))])
        o.set("NextToken", nextToken)
        return .object(o)
    }

    /// An epoch-seconds number, as EventBridge's JSON timestamps are.
    static func epoch(_ t: Timestamp) -> JSONValue { .number(JSONNumber(t.secondsSinceEpoch)) }
}

extension JSONObject {
    /// Sets `key` when `value` is not `nil`.
    mutating func set(_ key: String, _ value: String?) {
        if let value { self[key] = .string(value) }
    }
}
