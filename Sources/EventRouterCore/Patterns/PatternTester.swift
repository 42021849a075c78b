/// The logic behind `eventrouter test-event-pattern`: one pattern against one event, and the
/// NDJSON batch mode (one output line per input line, never a crash or a skipped line).
public enum PatternTester {
    /// Envelope fields AWS's TestEventPattern requires in the event.
    public static let requiredEventFields = ["id", "account", "source", "time", "region", "resources", "detail-type"]

    /// Why a single test could not be run.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The pattern is invalid.
        case invalidPattern(PatternError)
        /// The event is not JSON, not an object, or lacks envelope fields.
        case invalidEvent(String)

        public var description: String {
            switch self {
            case .invalidPattern(let e): return e.description
            case .invalidEvent(let reason): return "InvalidEventException: \(reason)"
            }
        }
    }

    /// Tests `patternText` against `eventText` as AWS TestEventPattern does: the event must be a
    /// JSON object holding every field of ``requiredEventFields``.
    /// - Returns: whether the pattern matches.
    /// - Throws: ``Failure`` for an invalid pattern or event.
    public static func test(pattern patternText: String, event eventText: String) throws(Failure) -> Bool {
        let pattern: EventPattern
        do {
            pattern = try EventPattern(parsing: patternText)
        } catch {
            throw .invalidPattern(error)
        }
        let event: JSONValue
        do {
            event = try JSONParser.parse(eventText)
        } catch {
            throw .invalidEvent("the event is not valid JSON: \(error)")
        }
        guard case .object(let object) = event else {
            throw .invalidEvent("the event must be a JSON object, not \(PatternParser.article(event.kindName))")
        }
        let missing = requiredEventFields.filter { object[$0] == nil }
        if !missing.isEmpty {
            throw .invalidEvent(
                "the event is missing the required field\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (TestEventPattern needs \(requiredEventFields.joined(separator: ", ")))")
        }
        return pattern.matches(event)
    }

    /// Evaluates one batch input line `{"pattern": P, "event": E}` (P or E given as a JSON string
    /// is raw text to parse) and returns the output line without its newline:
    /// `{"match":true}`, `{"match":false}` or `{"error":"…"}`. Envelope fields are not required.
    public static func batchLine(_ line: some Collection<UInt8>) -> String {
        switch evaluate(line) {
        case .success(let match): return match ? #"{"match":true}"# : #"{"match":false}"#
        case .failure(let message): return #"{"error":"# + JSONSerializer.quoted(message.message) + "}"
        }
    }

    /// A line's failure message.
    struct LineError: Error {
        var message: String
    }

    private static func evaluate(_ line: some Collection<UInt8>) -> Result<Bool, LineError> {
        let request: JSONValue
        do {
            request = try JSONParser.parse(bytes: line)
        } catch {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                return .failure(LineError(message: "empty input line; expected {\"pattern\": …, \"event\": …}"))
            }
            return .failure(LineError(message: "the input line is not valid JSON: \(error)"))
        }
        guard case .object(let object) = request else {
            return .failure(LineError(message: "an input line must be a JSON object {\"pattern\": …, \"event\": …}"))
        }
        guard let patternValue = object["pattern"] else {
            return .failure(LineError(message: "the input line has no \"pattern\""))
        }
        guard let eventValue = object["event"] else {
            return .failure(LineError(message: "the input line has no \"event\""))
        }
        let pattern: EventPattern
        do {
            if case .string(let text) = patternValue {
                pattern = try EventPattern(parsing: text)
            } else {
                pattern = try EventPattern(json: patternValue)
            }
        } catch {
            return .failure(LineError(message: error.description))
        }
        var event = eventValue
        if case .string(let text) = eventValue {
            do {
                event = try JSONParser.parse(text)
            } catch {
                return .failure(LineError(message: "InvalidEventException: the event is not valid JSON: \(error)"))
            }
        }
        guard case .object = event else {
            return .failure(
                LineError(message: "InvalidEventException: the event must be a JSON object, not \(PatternParser.article(event.kindName))"))
        }
        return .success(pattern.matches(event))
    }
}
