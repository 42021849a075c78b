/// A Firehose API error in AWS's words: `ResourceNotFoundException`, `InvalidArgumentException`,
/// `ResourceInUseException`, `LimitExceededException`. Firehose answers all of them with 400.
public struct DeliveryStreamError: Error, Sendable, Hashable {
    public var code: String
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `Firehose NAME under account ACCOUNT not found.`, as Firehose words it.
    public static func notFound(_ name: String, account: String) -> DeliveryStreamError {
        DeliveryStreamError("ResourceNotFoundException", "Firehose \(name) under account \(account) not found.")
    }

    public static func invalid(_ message: String) -> DeliveryStreamError { DeliveryStreamError("InvalidArgumentException", message) }
}

extension DeliveryStreamError: AWSErrorConvertible {
    public var awsCode: String { code }
    public var awsMessage: String { message }
    public var httpStatus: Int { 400 }
}
