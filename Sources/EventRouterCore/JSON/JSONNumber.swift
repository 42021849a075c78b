/// A JSON number that keeps its source text.
///
/// Two numbers are equal when their values are equal (`300` equals `300.0` and `3e2`),
/// while ``text`` keeps what the document said so serialization does not change it.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written in the source (or a canonical form for constructed numbers).
    public let text: String
    /// The value as a `Double` (nearest representable value).
    public let double: Double

    /// Wraps already-validated JSON number text.
    /// - Parameter text: text that matches the RFC 8259 number grammar.
    public init(validatedText text: String) {
        self.text = text
        self.double = Double(text) ?? .nan
    }

    /// A number from an integer.
    public init(_ value: Int) {
        self.text = String(value)
        self.double = Double(value)
    }

    /// A number from a double; non-finite values are written as `0`... callers should not pass them.
    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else if value.isFinite {
            self.text = "\(value)"
        } else {
            self.text = "0"
        }
        self.double = value.isFinite ? value : 0
    }

    /// The value as an `Int` when it is integral and fits.
    public var exactInt: Int? {
        guard double == double.rounded(), abs(double) < 9.2e18 else { return nil }
        return Int(double)
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.double == rhs.double }
    public func hash(into hasher: inout Hasher) { hasher.combine(double == 0 ? 0 : double) }
    public var description: String { text }
}
