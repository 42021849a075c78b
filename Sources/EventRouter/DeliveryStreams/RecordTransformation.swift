/// The Firehose record-transformation contract, as pure functions: the event a transform
/// function receives (`invocationId`, `deliveryStreamArn`, `region`, `records` of `recordId`,
/// `approximateArrivalTimestamp` in epoch milliseconds and base64 `data`) and what its answer
/// (`records` of `recordId`, `result` `Ok`/`Dropped`/`ProcessingFailed`, base64 `data`) means.
///
/// Every input record must come back exactly once: a record missing from the answer, given
/// twice, with another result or with `Ok` and no valid base64 `data` is a failed record, as is
/// every record of an answer that is not `{"records": [...]}`.
public enum RecordTransformation {
    /// What one transform invocation made of its records.
    public struct Outcome: Sendable, Hashable {
        /// Transformed records (`Ok`) in input order: the original record with its new data.
        public var delivered: [DeliveryStreamRecord] = []
        /// Records the function dropped (`Dropped`).
        public var dropped: Int = 0
        /// Records that failed, with why.
        public var failed: [FailedDeliveryStreamRecord] = []

        public init() {}
    }

    /// The invocation event.
    public static func event(invocationId: String, deliveryStreamArn: String, region: String, records: [DeliveryStreamRecord]) -> JSONValue {
        let items: [JSONValue] = records.map { r in
            [
                "recordId": .string(r.recordId),
                "approximateArrivalTimestamp": .number(JSONNumber(Int(r.arrival.millisecondsSinceEpoch))),
                "data": .string(Base64.encode(r.data)),
            ]
        }
        return [
            "invocationId": .string(invocationId),
            "deliveryStreamArn": .string(deliveryStreamArn),
            "region": .string(region),
            "records": .array(items),
        ]
    }

    /// Every record failed with one reason (the function failed after its retries, or was throttled).
    public static func failAll(_ records: [DeliveryStreamRecord], code: String, message: String, attempts: Int, lambdaArn: String) -> Outcome {
        var outcome = Outcome()
        outcome.failed = records.map { FailedDeliveryStreamRecord(record: $0, errorCode: code, errorMessage: message, attemptsMade: attempts, lambdaArn: lambdaArn) }
        return outcome
    }

    /// What the function's answer `response` means for `records`.
    public static func interpret(_ response: JSONValue, records: [DeliveryStreamRecord], lambdaArn: String, attempts: Int) -> Outcome {
        func fail(_ r: DeliveryStreamRecord, _ code: String, _ message: String) -> FailedDeliveryStreamRecord {
            FailedDeliveryStreamRecord(record: r, errorCode: code, errorMessage: message, attemptsMade: attempts, lambdaArn: lambdaArn)
        }
        guard case .object(let o) = response, case .array(let answers)? = o["records"] else {
            return failAll(records, code: "Lambda.JsonProcessingException",
                           message: "the transform's answer must be a JSON object {\"records\": [{\"recordId\", \"result\", \"data\"}, ...]}, got \(response.kindName)",
                           attempts: attempts, lambdaArn: lambdaArn)
        }
        var byId: [String: JSONObject] = [:]
        var duplicated: Set<String> = []
        for answer in answers {
            guard case .object(let a) = answer, case .string(let id)? = a["recordId"] else { continue }
            if byId[id] != nil { duplicated.insert(id) }
            byId[id] = a
        }
        var outcome = Outcome()
        for record in records {
            guard let answer = byId[record.recordId] else {
                outcome.failed.append(fail(record, "Lambda.MissingRecordId", "the transform's answer has no record with recordId \(record.recordId)"))
                continue
            }
            if duplicated.contains(record.recordId) {
                outcome.failed.append(fail(record, "Lambda.DuplicatedRecordId", "the transform's answer has recordId \(record.recordId) more than once"))
                continue
            }
            switch answer["result"]?.stringValue {
            case "Ok":
                guard let text = answer["data"]?.stringValue, let bytes = Base64.decode(text) else {
                    outcome.failed.append(fail(record, "Lambda.InvalidData", "record \(record.recordId) has result Ok but its 'data' is not base64 text"))
                    continue
                }
                var transformed = record
                transformed.data = bytes
                outcome.delivered.append(transformed)
            case "Dropped":
                outcome.dropped += 1
            case "ProcessingFailed":
                outcome.failed.append(fail(record, "Lambda.ProcessingFailed", "the transform returned result ProcessingFailed for record \(record.recordId)"))
            default:
                let got = answer["result"].map { $0.jsonText } ?? "nothing"
                outcome.failed.append(fail(record, "Lambda.InvalidRecordStatus", "record \(record.recordId) has result \(got); it must be Ok, Dropped or ProcessingFailed"))
            }
        }
        return outcome
    }
}
