extension RuleSetFile {
    /// Fails for an event that is valid JSON but not an object: EventBridge (and
    /// `test-event-pattern`, through ``PatternTester``) reject such an event instead of matching
    /// it against nothing. Call it after the event has parsed (its JSON is then valid).
    /// - Throws: ``EventShapeError`` worded as `test-event-pattern` words it.
    public static func requireObject(_ event: UnsafeRawBufferPointer) throws(EventShapeError) {
        for byte in event where byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 {
            guard byte != UInt8(ascii: "{") else { return }
            let value = try? JSONParser.parse(bytes: event.assumingMemoryBound(to: UInt8.self))
            throw EventShapeError(message: "InvalidEventException: the event must be a JSON object, not \(PatternParser.article(value?.kindName ?? "value"))")
        }
    }
}

/// An event that is valid JSON but cannot be an event (not an object).
public struct EventShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "InvalidEventException: the event must be a JSON object, not an array".
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
