import EventRouter

/// Amazon Data Firehose over JSON 1.1 (`X-Amz-Target: Firehose_20150804.<Op>`), served from the
/// runtime's ``DeliveryStreamRegistry``: PutRecord and PutRecordBatch buffer records (base64
/// `Data`) in the stream a rule target writes to, Describe/List/Create/DeleteDeliveryStream
/// manage streams in the caller's account and region. See docs/delivery-streams.md.
public struct FirehoseService: AWSService {
    public let name = "firehose"
    public let xmlNamespace = ""
    let runtime: RouterRuntime

    /// Serves the delivery streams of `runtime`.
    public init(runtime: RouterRuntime) { self.runtime = runtime }

    var registry: DeliveryStreamRegistry { runtime.deliveryStreams }

    /// The operations served, for the unknown-operation message.
    static let operations = ["PutRecord", "PutRecordBatch", "DescribeDeliveryStream", "ListDeliveryStreams", "CreateDeliveryStream", "DeleteDeliveryStream"]
    /// PutRecordBatch's limits: 500 records, 4 MiB.
    static let batchRecords = 500
    static let batchBytes = 4 * 1_048_576

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        let payload: JSONObject
        switch call.operation {
        case "PutRecord": payload = try putRecord(call)
        case "PutRecordBatch": payload = try putRecordBatch(call)
        case "DescribeDeliveryStream": payload = try describe(call)
        case "ListDeliveryStreams": payload = try list(call)
        case "CreateDeliveryStream": payload = try create(call)
        case "DeleteDeliveryStream": payload = try delete(call)
        default:
            var error = AWSError.unknownOperation(call.operation, service: name, protocol: call.protocol)
            error.message += "; served: \(Self.operations.joined(separator: ", "))"
            throw error
        }
        return .json(.object(payload))
    }

    /// Runs `body`, answering a ``DeliveryStreamError`` with its code (Firehose: 400).
    static func map<T>(_ body: () throws(DeliveryStreamError) -> T) throws(AWSError) -> T {
        do { return try body() } catch { throw AWSError(code: error.code, message: error.message) }
    }

    static func invalid(_ message: String) -> AWSError { AWSError(code: "InvalidArgumentException", message: message) }

    /// The stream `DeliveryStreamName` names in the caller's account and region.
    func stream(_ call: AWSCall) throws(AWSError) -> DeliveryStream {
        let name = try call.input.string("DeliveryStreamName", required: true) ?? ""
        return try Self.map { () throws(DeliveryStreamError) in try registry.stream(name: name, account: call.caller.account, region: call.caller.region) }
    }

    /// A record's `Data`: base64 text decoded.
    static func data(_ record: JSONValue, at path: String) throws(AWSError) -> [UInt8] {
        guard case .object(let o) = record else { throw .serialization("\(path) must be an object with Data, not \(record.kindName)") }
        guard case .string(let text)? = o["Data"] else { throw .validation("1 validation error detected: Value null at '\(path).data' failed to satisfy constraint: Member must not be null") }
        guard let bytes = Base64.decode(text) else { throw .serialization("\(path).Data is not valid base64 text") }
        return bytes
    }

    func putRecord(_ call: AWSCall) throws(AWSError) -> JSONObject {
        let stream = try stream(call)
        guard let record = call.input.object["Record"] else { throw .validation("1 validation error detected: Value null at 'record' failed to satisfy constraint: Member must not be null") }
        let bytes = try Self.data(record, at: "Record")
        let ids = try Self.map { () throws(DeliveryStreamError) in try registry.put([bytes], to: stream) }
        return ["RecordId": .string(ids.first ?? ""), "Encrypted": false]
    }

    func putRecordBatch(_ call: AWSCall) throws(AWSError) -> JSONObject {
        let stream = try stream(call)
        guard case .array(let records)? = call.input.object["Records"] else {
            throw .validation("1 validation error detected: Value null at 'records' failed to satisfy constraint: Member must not be null")
        }
        guard (1...Self.batchRecords).contains(records.count) else {
            throw .validation("1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and \(Self.batchRecords) (got \(records.count))")
        }
        var all: [[UInt8]] = []
        for (i, record) in records.enumerated() { all.append(try Self.data(record, at: "Records[\(i)]")) }
        let total = all.reduce(0) { $0 + $1.count }
        guard total <= Self.batchBytes else {
            throw Self.invalid("PutRecordBatch takes at most 4 MiB (\(Self.batchBytes) bytes) of data in one call, got \(total) bytes; send fewer records per call")
        }
        let ids = try Self.map { () throws(DeliveryStreamError) in try registry.put(all, to: stream) }
        return [
            "FailedPutCount": 0, "Encrypted": false,
            "RequestResponses": .array(ids.map { ["RecordId": .string($0)] }),
        ]
    }

    func describe(_ call: AWSCall) throws(AWSError) -> JSONObject {
        let stream = try stream(call)
        return ["DeliveryStreamDescription": Self.description(stream)]
    }

    /// DescribeDeliveryStream's `DeliveryStreamDescription`.
    static func description(_ stream: DeliveryStream) -> JSONValue {
        let c = stream.configuration
        var destination: JSONObject = [
            "BucketARN": .string("arn:aws:s3:::\(c.bucket)"),
            "RoleARN": .string("arn:aws:iam::\(c.account):role/firehose"),
            "Prefix": .string(c.prefix),
            "BufferingHints": ["SizeInMBs": .number(JSONNumber(c.bufferSizeBytes / 1_048_576)),
                               "IntervalInSeconds": .number(JSONNumber(Int(c.bufferInterval.components.seconds)))],
            "CompressionFormat": "UNCOMPRESSED",
            "EncryptionConfiguration": ["NoEncryptionConfig": "NoEncryption"],
        ]
        if let e = c.errorOutputPrefix { destination["ErrorOutputPrefix"] = .string(e) }
        var plain = destination
        if let t = c.transform {
            destination["ProcessingConfiguration"] = ["Enabled": true, "Processors": [["Type": "Lambda", "Parameters": [
                ["ParameterName": "LambdaArn", "ParameterValue": .string(t.functionArn)],
                ["ParameterName": "NumberOfRetries", "ParameterValue": .string(String(t.numberOfRetries))],
            ]]]]
        }
        plain["Prefix"] = .string(c.prefix)
        var d: JSONObject = [
            "DeliveryStreamName": .string(c.name),
            "DeliveryStreamARN": .string(c.arn),
            "DeliveryStreamStatus": "ACTIVE",
            "DeliveryStreamType": .string(c.type),
            "VersionId": .string(String(c.version)),
            "CreateTimestamp": .number(JSONNumber(Double(stream.createdAt.millisecondsSinceEpoch) / 1000)),
            "Destinations": [["DestinationId": "destinationId-000000000001", "S3DestinationDescription": .object(plain),
                              "ExtendedS3DestinationDescription": .object(destination)]],
            "HasMoreDestinations": false,
        ]
        if let source = c.sourceStreamArn {
            d["Source"] = ["KinesisStreamSourceDescription": ["KinesisStreamARN": .string(source),
                                                              "RoleARN": .string("arn:aws:iam::\(c.account):role/firehose")]]
        }
        return .object(d)
    }

    func list(_ call: AWSCall) throws(AWSError) -> JSONObject {
        let limit = try call.input.integer("Limit") ?? 10
        guard (1...10_000).contains(limit) else { throw Self.invalid("Limit must be between 1 and 10000, got \(limit)") }
        let type = try call.input.string("DeliveryStreamType")
        let after = try call.input.string("ExclusiveStartDeliveryStreamName")
        let names = registry.all
            .filter { $0.configuration.account == call.caller.account && $0.configuration.region == call.caller.region }
            .filter { type == nil || $0.configuration.type == type }
            .map(\.name).sorted()
            .filter { after == nil || $0 > (after ?? "") }
        return ["DeliveryStreamNames": .array(names.prefix(limit).map { .string($0) }), "HasMoreDeliveryStreams": .bool(names.count > limit)]
    }

    func create(_ call: AWSCall) throws(AWSError) -> JSONObject {
        var object = call.input.object
        object["Tags"] = nil  // a list of {Key, Value} over the API; not kept
        var fields = FieldReader()
        guard let configuration = DeliveryStreamConfiguration.read(object, account: call.caller.account, region: call.caller.region,
                                                                   at: "$", fields: &fields) else {
            throw Self.invalid(fields.problems.map { "\($0.path == "$" ? "" : String($0.path.dropFirst(2)) + ": ")\($0.message)" }.joined(separator: "; "))
        }
        if let transform = configuration.transform, runtime.functions.runtime(for: transform.functionArn) == nil {
            throw Self.invalid("ProcessingConfiguration: the Lambda function \(transform.functionArn) is not in Functions/")
        }
        try Self.map { () throws(DeliveryStreamError) in _ = try registry.create(configuration) }
        return ["DeliveryStreamARN": .string(configuration.arn)]
    }

    func delete(_ call: AWSCall) throws(AWSError) -> JSONObject {
        let name = try call.input.string("DeliveryStreamName", required: true) ?? ""
        try Self.map { () throws(DeliveryStreamError) in try registry.delete(name: name, account: call.caller.account, region: call.caller.region) }
        return [:]
    }
}
