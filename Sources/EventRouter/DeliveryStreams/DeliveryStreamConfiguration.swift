/// A Firehose delivery stream's settings, in the shape of `AWS::KinesisFirehose::DeliveryStream`
/// and `CreateDeliveryStream`: where records come from (direct puts, or a Kinesis stream), how
/// they are buffered, the optional Lambda transform, and the S3 bucket and prefixes they are
/// written under (a local folder laid out like S3 keys, see ``DeliveryStreamObjectKey``).
public struct DeliveryStreamConfiguration: Sendable, Hashable {
    /// The record-transformation function and its settings (`ProcessingConfiguration`).
    public struct Transform: Sendable, Hashable {
        /// The function's ARN (`LambdaArn`), as written (it may carry a qualifier).
        public var functionArn: String
        /// Retries of a failed invocation (`NumberOfRetries`, 0–300, default 3).
        public var numberOfRetries: Int
        /// The most bytes of records one invocation gets (`BufferSizeInMBs`, 0.2–3 MB, default 1 MB).
        public var bufferSizeBytes: Int

        public init(functionArn: String, numberOfRetries: Int = 3, bufferSizeBytes: Int = 1_048_576) {
            self.functionArn = functionArn
            self.numberOfRetries = numberOfRetries
            self.bufferSizeBytes = bufferSizeBytes
        }
    }

    public var name: String
    public var account: String
    public var region: String
    /// The bucket's name (from `BucketARN` `arn:aws:s3:::NAME`).
    public var bucket: String
    /// `Prefix` (default: none, so objects start at `YYYY/MM/dd/HH/`).
    public var prefix: String
    /// `ErrorOutputPrefix` (default: `processing-failed/` then the time).
    public var errorOutputPrefix: String?
    /// `BufferingHints.SizeInMBs` in bytes (1–128 MB, default 5 MB).
    public var bufferSizeBytes: Int
    /// `BufferingHints.IntervalInSeconds` (0–900 s, default 300 s).
    public var bufferInterval: Duration
    /// The transform, when `ProcessingConfiguration.Enabled` with a `Lambda` processor.
    public var transform: Transform?
    /// `KinesisStreamSourceConfiguration.KinesisStreamARN` of a `KinesisStreamAsSource` stream.
    public var sourceStreamArn: String?
    /// The stream's version (`DeliveryStreamVersion` in object names); 1 for a new stream.
    public var version: Int

    public init(name: String, account: String, region: String, bucket: String, prefix: String = "", errorOutputPrefix: String? = nil,
                bufferSizeBytes: Int = 5 * 1_048_576, bufferInterval: Duration = .seconds(300), transform: Transform? = nil,
                sourceStreamArn: String? = nil, version: Int = 1) {
        self.name = name
        self.account = account
        self.region = region
        self.bucket = bucket
        self.prefix = prefix
        self.errorOutputPrefix = errorOutputPrefix
        self.bufferSizeBytes = bufferSizeBytes
        self.bufferInterval = bufferInterval
        self.transform = transform
        self.sourceStreamArn = sourceStreamArn
        self.version = version
    }

    /// `arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME`
    public var arn: String { Self.arn(name, account: account, region: region) }

    /// `DirectPut` or `KinesisStreamAsSource`.
    public var type: String { sourceStreamArn == nil ? "DirectPut" : "KinesisStreamAsSource" }

    /// `arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME`
    public static func arn(_ name: String, account: String, region: String) -> String {
        "arn:aws:firehose:\(region):\(account):deliverystream/\(name)"
    }

    /// The name in a delivery stream ARN (`deliverystream/NAME`), or `nil` for another ARN.
    public static func name(inArn arn: ARN) -> String? {
        guard arn.service == "firehose", arn.resource.hasPrefix("deliverystream/") else { return nil }
        let name = String(arn.resource.dropFirst("deliverystream/".count))
        return name.isEmpty ? nil : name
    }
}
