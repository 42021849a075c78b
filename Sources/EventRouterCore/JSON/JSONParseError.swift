/// Why a JSON text could not be read: the byte offset (0-based) and what was expected there.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Offset in bytes from the start of the input where the problem was found.
    public var offset: Int
    /// What was wrong, e.g. "expected ',' or '}' after an object member, found 'x'".
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
