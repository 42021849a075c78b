import EventRouter

/// One Kinesis call's input with the caller, and the readers every operation shares: the
/// stream named by `StreamName` or `StreamARN`, and engine errors as AWS errors.
struct KinesisRequest {
    let input: JSONInput
    let caller: Caller
    let streams: StreamRegistry

    /// The region streams are created and named in.
    var region: String { streams.defaultRegion }

    /// The ARN of stream `name` in the caller's account.
    func arn(ofName name: String) -> String { "arn:aws:kinesis:\(region):\(caller.account):stream/\(name)" }

    /// The ARN the call names: `StreamARN`, else `StreamName` in the caller's account.
    /// - Throws: `InvalidArgumentException` when neither is given, or both name different streams.
    func streamARN() throws(AWSError) -> String {
        let name = try input.string("StreamName")
        if let given = try input.string("StreamARN") {
            try Self.map { () throws(StreamError) in _ = try DataStreamState.parseARN(given) }
            if let name, !given.hasSuffix(":stream/\(name)") {
                throw Self.invalid("StreamName \(name) and StreamARN \(given) name different streams; give one of them")
            }
            return given
        }
        guard let name else {
            if try input.string("StreamId") != nil {
                throw Self.invalid("StreamId alone is not served; name the stream with StreamName or StreamARN")
            }
            throw Self.invalid("the request names no stream; give StreamName or StreamARN")
        }
        try Self.map { () throws(StreamError) in try StreamConfiguration.validate(name: name, context: "StreamName") }
        return arn(ofName: name)
    }

    /// The stream the call names.
    /// - Throws: `ResourceNotFoundException` when it does not exist.
    func stream() throws(AWSError) -> DataStream {
        let arn = try streamARN()
        return try Self.map { () throws(StreamError) in try streams.stream(arn) }
    }

    /// Runs `body`, answering a ``StreamError`` with its Kinesis code: Kinesis answers every
    /// client error with 400 (throttling included, so SDKs retry it), internal failures with 500.
    @discardableResult
    static func map<T>(_ body: () throws(StreamError) -> T) throws(AWSError) -> T {
        do { return try body() } catch {
            let serverFault = error.code == .internalFailure
            throw AWSError(code: error.code.name, message: error.message, status: serverFault ? 500 : 400, senderFault: !serverFault)
        }
    }

    /// `InvalidArgumentException` with `message`.
    static func invalid(_ message: String) -> AWSError { AWSError(code: "InvalidArgumentException", message: message) }

    /// A whole-number member within `range`, or `defaultValue` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default defaultValue: Int? = nil) throws(AWSError) -> Int? {
        guard let value = try input.integer(name) else { return defaultValue }
        guard range.contains(value) else {
            throw Self.invalid("\(name) must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return value
    }

    /// A timestamp member (epoch seconds).
    func timestamp(_ name: String, in structure: JSONInput? = nil) throws(AWSError) -> Timestamp? {
        let source = structure ?? input
        guard let value = source.object[name], !value.isNull else { return nil }
        guard let seconds = value.doubleValue else {
            throw .serialization("member '\(name)' must be a timestamp (epoch seconds), not \(value.kindName)")
        }
        do { return try Timestamp(checkedSecondsSinceEpoch: seconds) } catch {
            throw Self.invalid("\(name) \(seconds) is not a supported time: \(error)")
        }
    }

    /// A blob member's bytes (base64 text in JSON; CBOR byte strings arrive the same way).
    func blob(_ name: String, in structure: JSONInput? = nil, at path: String? = nil) throws(AWSError) -> [UInt8] {
        let source = structure ?? input
        guard let text = try source.string(name, required: true) else { return [] }
        guard let bytes = Base64.decode(text) else {
            throw .serialization("member '\(path ?? name)' is not valid base64 (standard alphabet, padded with '='); encode the record's bytes in base64")
        }
        return bytes
    }

    /// `{"k": "v", …}` map members (Tags of CreateStream, AddTagsToStream, TagResource).
    func stringMap(_ name: String, required: Bool) throws(AWSError) -> [String: String]? {
        guard let map = try input.structure(name, required: required) else { return nil }
        var out: [String: String] = [:]
        for member in map.object.members {
            guard let value = member.value.stringValue else {
                throw .serialization("member '\(name).\(member.key)' must be a string, not \(member.value.kindName)")
            }
            out[member.key] = value
        }
        return out
    }

    /// A list of strings.
    func strings(_ name: String, required: Bool) throws(AWSError) -> [String] {
        var out: [String] = []
        for (i, value) in (try input.list(name, required: required) ?? []).enumerated() {
            guard let s = value.stringValue else { throw .serialization("member '\(name)[\(i)]' must be a string, not \(value.kindName)") }
            out.append(s)
        }
        return out
    }
}
