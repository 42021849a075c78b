import EventRouter

/// Amazon CloudWatch Logs over JSON 1.1 (`X-Amz-Target: Logs_20140328.<Op>`), served from the
/// runtime's ``LogGroupRegistry``: what a rule with a log group target wrote is read here, and
/// a group created here is one rules deliver to. See docs/log-groups.md.
public struct LogsService: AWSService {
    public let name = "logs"
    public let xmlNamespace = ""
    let runtime: RouterRuntime

    /// Serves the log groups of `runtime`.
    public init(runtime: RouterRuntime) { self.runtime = runtime }

    var logGroups: LogGroupRegistry { runtime.logGroups }

    /// The operations served, for the unknown-operation message.
    static let operations = ["CreateLogGroup", "DeleteLogGroup", "DescribeLogGroups", "CreateLogStream", "DescribeLogStreams",
                             "PutLogEvents", "GetLogEvents", "FilterLogEvents", "PutRetentionPolicy", "DeleteRetentionPolicy"]

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        let input = call.input
        guard Self.operations.contains(call.operation) else {
            var error = AWSError.unknownOperation(call.operation, service: name, protocol: call.protocol)
            error.message += "; served: \(Self.operations.joined(separator: ", "))"
            throw error
        }
        let payload: JSONObject
        do throws(LogGroupError) {
            switch call.operation {
            case "CreateLogGroup": payload = try await createLogGroup(input)
            case "DeleteLogGroup": payload = try await deleteLogGroup(input)
            case "DescribeLogGroups": payload = try describeLogGroups(input)
            case "CreateLogStream": payload = try await createLogStream(input)
            case "DescribeLogStreams": payload = try describeLogStreams(input)
            case "PutLogEvents": payload = try await putLogEvents(input)
            case "GetLogEvents": payload = try getLogEvents(input)
            case "FilterLogEvents": payload = try filterLogEvents(input)
            case "PutRetentionPolicy": payload = try await putRetentionPolicy(input)
            case "DeleteRetentionPolicy": payload = try await deleteRetentionPolicy(input)
            default: payload = JSONObject()
            }
        } catch {
            throw AWSError(error)
        }
        return .json(.object(payload))
    }

    // MARK: - Reading the input

    /// An `AWSError` as CloudWatch Logs words a bad parameter.
    static func invalid(_ message: String) -> LogGroupError { LogGroupError(.invalidParameter, message) }

    /// Rethrows the input reader's errors as CloudWatch Logs' `InvalidParameterException`.
    static func read<T>(_ body: () throws(AWSError) -> T) throws(LogGroupError) -> T {
        do { return try body() } catch { throw invalid(error.message) }
    }

    /// `logGroupName`, or `logGroupIdentifier` (a name or an ARN).
    static func groupName(_ input: JSONInput) throws(LogGroupError) -> String {
        if let name = try read({ () throws(AWSError) in try input.string("logGroupName") }) { return name }
        if let identifier = try read({ () throws(AWSError) in try input.string("logGroupIdentifier") }) {
            if identifier.hasPrefix("arn:") {
                guard let name = LogGroupName.group(ofArn: ARN(text: identifier)) else {
                    throw invalid("logGroupIdentifier '\(identifier)' is not a log group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME)")
                }
                return name
            }
            return identifier
        }
        throw invalid("1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null (send logGroupName or logGroupIdentifier)")
    }

    static func string(_ input: JSONInput, _ key: String, required: Bool = false) throws(LogGroupError) -> String? {
        let value = try read { () throws(AWSError) in try input.string(key) }
        if required, value == nil { throw invalid("1 validation error detected: Value null at '\(key)' failed to satisfy constraint: Member must not be null") }
        return value
    }

    static func integer(_ input: JSONInput, _ key: String, range: ClosedRange<Int>) throws(LogGroupError) -> Int? {
        guard let value = try read({ () throws(AWSError) in try input.integer(key) }) else { return nil }
        guard range.contains(value) else {
            throw invalid("1 validation error detected: Value '\(value)' at '\(key)' failed to satisfy constraint: Member must have value between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    static func millis(_ input: JSONInput, _ key: String) throws(LogGroupError) -> Int64? {
        guard let value = try read({ () throws(AWSError) in try input.integer(key) }) else { return nil }
        guard value >= 0 else { throw invalid("\(key) must be milliseconds since the epoch (0 or more), not \(value)") }
        return Int64(value)
    }

    static func number(_ n: Int64) -> JSONValue { .number(JSONNumber(Int(n))) }

    // MARK: - Groups

    func createLogGroup(_ input: JSONInput) async throws(LogGroupError) -> JSONObject {
        let name = try Self.string(input, "logGroupName", required: true) ?? ""
        try await logGroups.createGroup(name)
        return JSONObject()
    }

    func deleteLogGroup(_ input: JSONInput) async throws(LogGroupError) -> JSONObject {
        try await logGroups.deleteGroup(try Self.string(input, "logGroupName", required: true) ?? "")
        return JSONObject()
    }

    func putRetentionPolicy(_ input: JSONInput) async throws(LogGroupError) -> JSONObject {
        let name = try Self.groupName(input)
        guard let days = try Self.read({ () throws(AWSError) in try input.integer("retentionInDays") }) else {
            throw Self.invalid("1 validation error detected: Value null at 'retentionInDays' failed to satisfy constraint: Member must not be null")
        }
        try await logGroups.setRetention(days, group: name)
        return JSONObject()
    }

    func deleteRetentionPolicy(_ input: JSONInput) async throws(LogGroupError) -> JSONObject {
        try await logGroups.setRetention(nil, group: try Self.groupName(input))
        return JSONObject()
    }

    func describeLogGroups(_ input: JSONInput) throws(LogGroupError) -> JSONObject {
        let prefix = try Self.string(input, "logGroupNamePrefix") ?? ""
        let pattern = try Self.string(input, "logGroupNamePattern")
        if pattern != nil, !prefix.isEmpty { throw Self.invalid("logGroupNamePrefix and logGroupNamePattern are mutually exclusive; send one") }
        let limit = try Self.integer(input, "limit", range: 1...50) ?? 50
        let token = try Self.string(input, "nextToken")
        var groups = logGroups.groups(prefix: prefix)
        if let pattern { groups = groups.filter { $0.name.lowercased().contains(pattern.lowercased()) } }
        if let token { groups = groups.filter { $0.name > token } }
        let page = groups.prefix(limit)
        var o = JSONObject()
        o["logGroups"] = .array(page.map { info in
            let arn = logGroups.arn(of: info.name).description
            var g = JSONObject([.init(key: "logGroupName", value: .string(info.name)),
                                .init(key: "creationTime", value: Self.number(info.creationTime))])
            if let days = info.retentionInDays { g["retentionInDays"] = .number(JSONNumber(days)) }
            g["metricFilterCount"] = .number(JSONNumber(0))
            g["arn"] = .string(arn + ":*")
            g["storedBytes"] = .number(JSONNumber(info.storedBytes))
            g["logGroupClass"] = .string("STANDARD")
            g["logGroupArn"] = .string(arn)
            return .object(g)
        })
        if groups.count > limit, let last = page.last { o["nextToken"] = .string(last.name) }
        return o
    }

    // MARK: - Streams

    func createLogStream(_ input: JSONInput) async throws(LogGroupError) -> JSONObject {
        let group = try Self.string(input, "logGroupName", required: true) ?? ""
        let stream = try Self.string(input, "logStreamName", required: true) ?? ""
        try await logGroups.createStream(stream, group: group)
        return JSONObject()
    }

    func describeLogStreams(_ input: JSONInput) throws(LogGroupError) -> JSONObject {
        let group = try Self.groupName(input)
        let prefix = try Self.string(input, "logStreamNamePrefix")
        let orderBy = try Self.string(input, "orderBy") ?? "LogStreamName"
        guard orderBy == "LogStreamName" || orderBy == "LastEventTime" else {
            throw Self.invalid("orderBy must be LogStreamName or LastEventTime, not '\(orderBy)'")
        }
        if orderBy == "LastEventTime", prefix != nil { throw Self.invalid("Cannot order by LastEventTime with a logStreamNamePrefix.") }
        let descending = try Self.read { () throws(AWSError) in try input.boolean("descending") } ?? false
        let limit = try Self.integer(input, "limit", range: 1...50) ?? 50
        let start = try Self.offset(Self.string(input, "nextToken"))
        var streams = try logGroups.streams(group: group)
        if let prefix { streams = streams.filter { $0.name.hasPrefix(prefix) } }
        if orderBy == "LastEventTime" { streams.sort { ($0.lastEventTimestamp ?? 0, $0.name) < ($1.lastEventTimestamp ?? 0, $1.name) } }
        if descending { streams.reverse() }
        let page = streams.dropFirst(start).prefix(limit)
        let groupArn = logGroups.arn(of: group).description
        var o = JSONObject()
        o["logStreams"] = .array(page.map { s in
            var j = JSONObject([.init(key: "logStreamName", value: .string(s.name)),
                                .init(key: "creationTime", value: Self.number(s.creationTime))])
            if let t = s.firstEventTimestamp { j["firstEventTimestamp"] = Self.number(t) }
            if let t = s.lastEventTimestamp { j["lastEventTimestamp"] = Self.number(t) }
            if let t = s.lastIngestionTime { j["lastIngestionTime"] = Self.number(t) }
            j["arn"] = .string("\(groupArn):log-stream:\(s.name)")
            j["storedBytes"] = .number(JSONNumber(0))
            return .object(j)
        })
        if start + page.count < streams.count { o["nextToken"] = .string(String(start + page.count)) }
        return o
    }

    /// A page token of this service: a decimal offset.
    static func offset(_ token: String?) throws(LogGroupError) -> Int {
        guard let token else { return 0 }
        guard let n = Int(token), n >= 0 else { throw invalid("The specified nextToken is invalid: '\(token)'; send the nextToken of the previous reply") }
        return n
    }
}
