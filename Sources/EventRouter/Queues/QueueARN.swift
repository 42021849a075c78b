/// The parts of an SQS queue ARN, `arn:aws:sqs:REGION:ACCOUNT:NAME`.
public typealias QueueARN = ResourceARN<SQSService>

/// Amazon SQS, the service of a ``QueueARN``.
public enum SQSService: ResourceARNService {
    public static let service = "sqs"
}
