/// An error that maps to an AWS error code and HTTP status, the way AWS's endpoints answer
/// it, and that may carry the error that caused it.
///
/// Adopted by every error type of the library (``QueueError``, ``TopicError``, ``StreamError``,
/// ``FunctionError``, ``PatternError``, ``EventRouterError``…), so the HTTP service answers any
/// of them uniformly. ``underlying`` keeps the cause when an error is wrapped at a boundary
/// (``EventRouterError/init(_:_:context:underlying:)``); the outermost error with an
/// AWS-convertible cause reports the cause's code (``rootAWSError``).
public protocol AWSErrorConvertible: Error, Sendable {
    /// The AWS error code (`__type` / `<Code>`), e.g. `QueueDoesNotExist`.
    var awsCode: String { get }
    /// The HTTP status AWS answers the code with.
    var httpStatus: Int { get }
    /// What is wrong and what to change.
    var awsMessage: String { get }
    /// The error that caused this one, if any.
    var underlying: (any Error)? { get }
}

extension AWSErrorConvertible {
    public var underlying: (any Error)? { nil }
    public var httpStatus: Int { AWSErrorStatus.status(for: awsCode) }

    /// The innermost AWS-convertible error of the ``underlying`` chain (this one when no cause is convertible).
    public var rootAWSError: any AWSErrorConvertible {
        var current: any AWSErrorConvertible = self
        var depth = 0
        while depth < 32, let next = current.underlying as? any AWSErrorConvertible {
            current = next
            depth += 1
        }
        return current
    }
}

/// The HTTP status of an AWS error code: one table for every service.
public enum AWSErrorStatus {
    /// 404 for missing resources, 413 for oversized requests, 429 for throttling, 500 for
    /// server faults, 400 otherwise (AWS's rule for client errors).
    public static func status(for code: String) -> Int {
        switch code {
        case "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "ResourceNotFoundException", "NotFound", "NotFoundException":
            return 404
        case "RequestEntityTooLargeException":
            return 413
        case "TooManyRequestsException", "ThrottlingException", "Throttling", "ProvisionedThroughputExceededException":
            return 429
        case "InternalFailure", "InternalError", "ServiceException", "ServiceUnavailable", "KMSInternalException":
            return 500
        default:
            return 400
        }
    }
}

extension PatternError: AWSErrorConvertible {
    public var awsCode: String { "InvalidEventPatternException" }
    public var awsMessage: String { path.isEmpty ? reason : "at \(path): \(reason)" }
}

extension EventRouterError: AWSErrorConvertible {
    /// The cause's code when the cause is AWS-convertible; otherwise this error's code in AWS's
    /// words (`NotFound` → `ResourceNotFoundException`, `IOError`/`InternalFailure` → `InternalFailure`).
    public var awsCode: String {
        if let cause = underlying as? any AWSErrorConvertible { return cause.awsCode }
        switch code {
        case .notFound: return "ResourceNotFoundException"
        case .io, .internalFailure: return "InternalFailure"
        case .invalidInput, .validation: return "ValidationException"
        default: return code.name
        }
    }
    public var httpStatus: Int {
        if let cause = underlying as? any AWSErrorConvertible { return cause.httpStatus }
        return AWSErrorStatus.status(for: awsCode)
    }
    public var awsMessage: String { message }
}
