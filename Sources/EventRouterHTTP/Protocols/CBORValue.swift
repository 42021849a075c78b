/// A CBOR data item (RFC 8949): the major types the AWS Java SDKs send and read.
///
/// Integers keep CBOR's split into unsigned and negative so the full range −2^64…2^64−1
/// round-trips; maps keep their pairs in order.
public indirect enum CBORValue: Sendable, Hashable {
    /// Major type 0: 0…2^64−1.
    case unsigned(UInt64)
    /// Major type 1: the value −1 − n.
    case negative(UInt64)
    /// Major type 2: a byte string.
    case bytes([UInt8])
    /// Major type 3: a UTF-8 text string.
    case text(String)
    /// Major type 4.
    case array([CBORValue])
    /// Major type 5, pairs in order.
    case map([Pair])
    /// Major type 6: a tag number and its content (tag 1: epoch time).
    case tagged(UInt64, CBORValue)
    /// Simple values `false` / `true`.
    case bool(Bool)
    /// Simple value `null`.
    case null
    /// Simple value `undefined`.
    case undefined
    /// Any other simple value (0…19, 32…255).
    case simple(UInt8)
    /// Major type 7 floats (half, single and double precision all decode to a `Double`).
    case float(Double)

    /// One key/value pair of a map.
    public struct Pair: Sendable, Hashable {
        public var key: CBORValue
        public var value: CBORValue
        public init(_ key: CBORValue, _ value: CBORValue) {
            self.key = key
            self.value = value
        }
    }

    /// An integer as CBOR writes it: unsigned for 0 and up, negative below.
    public static func integer(_ value: Int64) -> CBORValue {
        value >= 0 ? .unsigned(UInt64(value)) : .negative(UInt64(-(value + 1)))
    }

    /// A map with text keys, in the given order.
    public static func textMap(_ pairs: [(String, CBORValue)]) -> CBORValue {
        .map(pairs.map { Pair(.text($0.0), $0.1) })
    }

    /// The value of text key `key` in a map; `nil` for other items.
    public subscript(key: String) -> CBORValue? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.last { $0.key == .text(key) }?.value
    }
}

/// A CBOR body that cannot be decoded: what is wrong and at which byte.
public struct CBORError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The offset in the input where it was found (−1 when it is about a decoded value).
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { offset >= 0 ? "\(message) at byte \(offset)" : message }
}
