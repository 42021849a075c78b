/// One record in a delivery stream's buffer: its id (`RecordId`), bytes and arrival time.
public struct DeliveryStreamRecord: Sendable, Hashable {
    /// The id PutRecord answers and the transform sees as `recordId`.
    public var recordId: String
    /// The payload as put (decoded from base64 on the wire).
    public var data: [UInt8]
    /// When the stream accepted it (on the runtime's clock).
    public var arrival: Timestamp

    public init(recordId: String, data: [UInt8], arrival: Timestamp) {
        self.recordId = recordId
        self.data = data
        self.arrival = arrival
    }
}

/// A record that could not be delivered, written under the error prefix as Firehose does: one
/// JSON line per record with `attemptsMade`, `arrivalTimestamp`, `errorCode`, `errorMessage`,
/// `attemptEndingTimestamp`, `rawData` (base64) and `lambdaArn`.
public struct FailedDeliveryStreamRecord: Sendable, Hashable {
    public var record: DeliveryStreamRecord
    /// e.g. `Lambda.FunctionError`, `Lambda.ProcessingFailed`, `Lambda.MissingRecordId`.
    public var errorCode: String
    public var errorMessage: String
    public var attemptsMade: Int
    public var lambdaArn: String

    public init(record: DeliveryStreamRecord, errorCode: String, errorMessage: String, attemptsMade: Int, lambdaArn: String) {
        self.record = record
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.attemptsMade = attemptsMade
        self.lambdaArn = lambdaArn
    }

    /// The JSON line (without the newline) written at `ending`.
    public func line(ending: Timestamp) -> String {
        let o: JSONValue = [
            "attemptsMade": .number(JSONNumber(attemptsMade)),
            "arrivalTimestamp": .number(JSONNumber(Int(record.arrival.millisecondsSinceEpoch))),
            "errorCode": .string(errorCode),
            "errorMessage": .string(errorMessage),
            "attemptEndingTimestamp": .number(JSONNumber(Int(ending.millisecondsSinceEpoch))),
            "rawData": .string(Base64.encode(record.data)),
            "lambdaArn": .string(lambdaArn),
        ]
        return o.jsonText
    }
}
