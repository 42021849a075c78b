/// One log event of a log stream: when it happened, when it was stored, and its text. A
/// stream file holds one per line: `{"timestamp":MS,"ingestionTime":MS,"message":"…"}`.
public struct LogEvent: Sendable, Hashable {
    /// When the event happened, in milliseconds since the epoch.
    public var timestamp: Int64
    /// When it was stored, in milliseconds since the epoch.
    public var ingestionTime: Int64
    /// The text.
    public var message: String

    public init(timestamp: Int64, ingestionTime: Int64, message: String) {
        self.timestamp = timestamp
        self.ingestionTime = ingestionTime
        self.message = message
    }

    /// The stream file line (without the newline).
    public var line: String {
        JSONValue.object(JSONObject([
            .init(key: "timestamp", value: .number(JSONNumber(Int(timestamp)))),
            .init(key: "ingestionTime", value: .number(JSONNumber(Int(ingestionTime)))),
            .init(key: "message", value: .string(message)),
        ])).jsonText
    }

    /// Reads a stream file line.
    /// - Throws: a reason naming what is wrong with the line.
    public init(line: String) throws(LogFileLineError) {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch {
            throw LogFileLineError("not valid JSON (\(error)); each line must be {\"timestamp\":MS,\"ingestionTime\":MS,\"message\":\"…\"}")
        }
        guard case .object(let o) = value else {
            throw LogFileLineError("a line must be a JSON object {\"timestamp\":MS,\"ingestionTime\":MS,\"message\":\"…\"}, not \(value.kindName)")
        }
        func millis(_ key: String) throws(LogFileLineError) -> Int64 {
            guard let v = o[key] else { throw LogFileLineError("missing \"\(key)\" (milliseconds since the epoch)") }
            guard let n = v.intValue, n >= 0 else { throw LogFileLineError("\"\(key)\" must be a whole number of milliseconds since the epoch, not \(v.jsonText)") }
            return Int64(n)
        }
        timestamp = try millis("timestamp")
        ingestionTime = try millis("ingestionTime")
        guard let m = o["message"] else { throw LogFileLineError("missing \"message\" (a string)") }
        guard let text = m.stringValue else { throw LogFileLineError("\"message\" must be a string, not \(m.kindName)") }
        message = text
    }
}

/// Why a stream file line could not be read.
public struct LogFileLineError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
