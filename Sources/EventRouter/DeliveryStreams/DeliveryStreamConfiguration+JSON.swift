/// Reading a delivery stream from a rule file's `DeliveryStreams` entry or a
/// `CreateDeliveryStream` request (the same property names), with the one ``FieldReader``.
extension DeliveryStreamConfiguration {
    static let keys = ["DeliveryStreamName", "DeliveryStreamType", "KinesisStreamSourceConfiguration", "ExtendedS3DestinationConfiguration",
                       "S3DestinationConfiguration", "DeliveryStreamEncryptionConfigurationInput", "Tags"]
    /// Destinations EventRouter does not write to, and what they are.
    static let otherDestinations = [
        "RedshiftDestinationConfiguration": "Redshift", "ElasticsearchDestinationConfiguration": "Elasticsearch",
        "AmazonopensearchserviceDestinationConfiguration": "OpenSearch", "AmazonOpenSearchServerlessDestinationConfiguration": "OpenSearch Serverless",
        "SplunkDestinationConfiguration": "Splunk", "HttpEndpointDestinationConfiguration": "an HTTP endpoint",
        "SnowflakeDestinationConfiguration": "Snowflake", "IcebergDestinationConfiguration": "Iceberg tables",
    ]
    static let destinationKeys = ["BucketARN", "RoleARN", "Prefix", "ErrorOutputPrefix", "BufferingHints", "CompressionFormat",
                                  "EncryptionConfiguration", "CloudWatchLoggingOptions", "ProcessingConfiguration", "S3BackupMode",
                                  "S3BackupConfiguration", "DataFormatConversionConfiguration", "DynamicPartitioningConfiguration",
                                  "FileExtension", "CustomTimeZone"]
    /// `SizeInMBs`: 1–128.
    public static let sizeRange = 1...128
    /// `IntervalInSeconds`: 0–900.
    public static let intervalRange = 0...900
    /// A delivery stream name: 1–64 letters, digits, `_`, `.`, `-`.
    public static let namePattern = FieldReader.Pattern.name(maximumLength: 64, extra: "_.-")

    /// Reads `object` at `path` (e.g. `$.DeliveryStreams[0]`); problems go to `fields` (with
    /// the allowed range for buffering hints, the destinations not written to by name).
    /// - Returns: the configuration, or `nil` when `fields` gained an error.
    public static func read(_ object: JSONObject, account: String, region: String, at path: String,
                            fields: inout FieldReader) -> DeliveryStreamConfiguration? {
        let before = fields.errorCount
        for key in object.keys where !keys.contains(key) {
            if let what = otherDestinations[key] {
                fields.error("\(path).\(key)", "EventRouter writes delivery streams to S3 only (a local folder), not to \(what); use ExtendedS3DestinationConfiguration")
            } else {
                fields.error("\(path).\(key)", FieldReader.unknownKeyReason(key, in: "a delivery stream", allowed: keys))
            }
        }
        let name = fields.string(object, "DeliveryStreamName", at: path, required: true, pattern: namePattern)
        let type = fields.enumeration(object, "DeliveryStreamType", at: path, allowed: ["DirectPut", "KinesisStreamAsSource"]) ?? "DirectPut"
        var sourceStreamArn: String?
        if let source = fields.object(object, "KinesisStreamSourceConfiguration", at: path) {
            let sp = "\(path).KinesisStreamSourceConfiguration"
            fields.checkKeys(source, allowed: ["KinesisStreamARN", "RoleARN"], what: "KinesisStreamSourceConfiguration", at: sp)
            sourceStreamArn = fields.arn(source, "KinesisStreamARN", at: sp, kinds: [.stream], required: true)?.description
            if type != "KinesisStreamAsSource" {
                fields.error("\(path).DeliveryStreamType", "a delivery stream with KinesisStreamSourceConfiguration needs \"DeliveryStreamType\": \"KinesisStreamAsSource\"")
            }
        } else if type == "KinesisStreamAsSource" {
            fields.error(path, "DeliveryStreamType KinesisStreamAsSource needs KinesisStreamSourceConfiguration with the stream's KinesisStreamARN")
        }
        let extended = fields.object(object, "ExtendedS3DestinationConfiguration", at: path)
        let plain = fields.object(object, "S3DestinationConfiguration", at: path)
        if extended != nil, plain != nil {
            fields.error("\(path).S3DestinationConfiguration", "give ExtendedS3DestinationConfiguration or S3DestinationConfiguration, not both")
        }
        guard let destination = extended ?? plain else {
            if fields.errorCount == before { fields.error(path, "missing required key 'ExtendedS3DestinationConfiguration' (the S3 bucket the stream writes to)") }
            return nil
        }
        let dp = "\(path).\(extended != nil ? "ExtendedS3DestinationConfiguration" : "S3DestinationConfiguration")"
        var configuration = readDestination(destination, at: dp, extended: extended != nil, fields: &fields)
        guard let name, fields.errorCount == before, var c = configuration else { return nil }
        c.name = name
        c.account = account
        c.region = region
        c.sourceStreamArn = sourceStreamArn
        configuration = c
        return configuration
    }

    static func readDestination(_ d: JSONObject, at path: String, extended: Bool, fields: inout FieldReader) -> DeliveryStreamConfiguration? {
        let allowed = extended ? destinationKeys : ["BucketARN", "RoleARN", "Prefix", "ErrorOutputPrefix", "BufferingHints", "CompressionFormat",
                                                      "EncryptionConfiguration", "CloudWatchLoggingOptions"]
        fields.checkKeys(d, allowed: allowed, what: extended ? "ExtendedS3DestinationConfiguration" : "S3DestinationConfiguration", at: path)
        var bucket: String?
        if let text = fields.string(d, "BucketARN", at: path, required: true) {
            if text.hasPrefix("arn:aws:s3:::"), case let name = String(text.dropFirst(13)), isBucketName(name) {
                bucket = name
            } else {
                fields.error("\(path).BucketARN", "'BucketARN' must be an S3 bucket ARN like arn:aws:s3:::my-bucket (3 to 63 lowercase letters, digits, '.' or '-'), got '\(text)'")
            }
        }
        let prefix = fields.string(d, "Prefix", at: path) ?? ""
        let errorPrefix = fields.string(d, "ErrorOutputPrefix", at: path)
        for (key, value) in [("Prefix", prefix), ("ErrorOutputPrefix", errorPrefix ?? "")] {
            if let problem = DeliveryStreamObjectKey.prefixProblem(value, key: key) { fields.error("\(path).\(key)", problem) }
        }
        if DeliveryStreamObjectKey.hasExpressions(prefix), errorPrefix?.isEmpty ?? true {
            fields.error("\(path).ErrorOutputPrefix", "a Prefix with !{...} expressions needs an ErrorOutputPrefix too (as Firehose requires)")
        }
        if let format = fields.string(d, "CompressionFormat", at: path), format != "UNCOMPRESSED" {
            fields.error("\(path).CompressionFormat", "EventRouter writes objects uncompressed: 'CompressionFormat' must be UNCOMPRESSED (or left out), got '\(format)'")
        }
        var size = 5, interval = 300
        if let hints = fields.object(d, "BufferingHints", at: path) {
            let hp = "\(path).BufferingHints"
            fields.checkKeys(hints, allowed: ["SizeInMBs", "IntervalInSeconds"], what: "BufferingHints", at: hp)
            size = fields.int(hints, "SizeInMBs", at: hp, range: sizeRange, acceptingStrings: true) ?? size
            interval = fields.int(hints, "IntervalInSeconds", at: hp, range: intervalRange, acceptingStrings: true) ?? interval
        }
        var transform: Transform?
        if extended, let processing = fields.object(d, "ProcessingConfiguration", at: path) {
            transform = readProcessing(processing, at: "\(path).ProcessingConfiguration", fields: &fields)
        }
        guard let bucket else { return nil }
        return DeliveryStreamConfiguration(name: "", account: "", region: "", bucket: bucket, prefix: prefix, errorOutputPrefix: errorPrefix,
                                           bufferSizeBytes: size * 1_048_576, bufferInterval: .seconds(interval), transform: transform)
    }

    static func readProcessing(_ p: JSONObject, at path: String, fields: inout FieldReader) -> Transform? {
        fields.checkKeys(p, allowed: ["Enabled", "Processors"], what: "ProcessingConfiguration", at: path)
        let enabled = fields.bool(p, "Enabled", at: path) ?? true
        guard let processors = fields.array(p, "Processors", at: path, of: "processors") else { return nil }
        var transform: Transform?
        for (i, item) in processors.enumerated() {
            let pp = "\(path).Processors[\(i)]"
            guard case .object(let processor) = item else {
                fields.error(pp, "each processor must be an object, not \(item.kindName)")
                continue
            }
            fields.checkKeys(processor, allowed: ["Type", "Parameters"], what: "a processor", at: pp)
            guard let type = fields.string(processor, "Type", at: pp, required: true) else { continue }
            guard type == "Lambda" else {
                fields.error("\(pp).Type", "EventRouter runs Lambda processors only, not '\(type)'")
                continue
            }
            var parameters: [String: (String, String)] = [:]
            for (j, parameter) in (fields.array(processor, "Parameters", at: pp, of: "parameters") ?? []).enumerated() {
                let ap = "\(pp).Parameters[\(j)]"
                guard case .object(let o) = parameter else {
                    fields.error(ap, "each parameter must be an object with ParameterName and ParameterValue, not \(parameter.kindName)")
                    continue
                }
                fields.checkKeys(o, allowed: ["ParameterName", "ParameterValue"], what: "a processor parameter", at: ap)
                if let n = fields.enumeration(o, "ParameterName", at: ap, allowed: ["LambdaArn", "NumberOfRetries", "RoleArn", "BufferSizeInMBs", "BufferIntervalInSeconds"], required: true),
                   let v = fields.string(o, "ParameterValue", at: ap, required: true) {
                    parameters[n] = (v, "\(ap).ParameterValue")
                }
            }
            guard let (arnText, arnPath) = parameters["LambdaArn"] else {
                fields.error(pp, "a Lambda processor needs the parameter LambdaArn (the transform function's ARN)")
                continue
            }
            guard let arn = try? ARN(parsing: arnText), arn.kind == .function else {
                fields.error(arnPath, "LambdaArn must be a Lambda function ARN like arn:aws:lambda:us-east-1:123456789012:function:NAME, got '\(arnText)'")
                continue
            }
            var t = Transform(functionArn: arn.description)
            if let (v, vp) = parameters["NumberOfRetries"] {
                if let n = Int(v), (0...300).contains(n) { t.numberOfRetries = n } else { fields.error(vp, "NumberOfRetries must be a whole number between 0 and 300, got '\(v)'") }
            }
            if let (v, vp) = parameters["BufferSizeInMBs"] {
                if let mb = Double(v), mb >= 0.2, mb <= 3 { t.bufferSizeBytes = Int(mb * 1_048_576) } else { fields.error(vp, "BufferSizeInMBs of a Lambda processor must be between 0.2 and 3, got '\(v)'") }
            }
            if let (v, vp) = parameters["BufferIntervalInSeconds"], Int(v).map({ !(0...900).contains($0) }) ?? true {
                fields.error(vp, "BufferIntervalInSeconds of a Lambda processor must be a whole number between 0 and 900, got '\(v)'")
            }
            transform = t
        }
        return enabled ? transform : nil
    }

    /// S3's bucket naming rules, in short: 3–63 lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit.
    static func isBucketName(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2E || $0 == 0x2D }
    }
}
