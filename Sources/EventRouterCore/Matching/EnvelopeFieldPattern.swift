#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pattern that tests only top-level envelope strings (`source`, `detail-type`, `account`,
/// `region`) for exact values, e.g. `{"source": ["shop.orders"]}`: such a pattern is decided from
/// the ``Event``'s fields, without reading its JSON text.
///
/// Same answer as the compiled matcher and ``EventPattern/matches(_:)``: these fields are
/// always single string leaves of the envelope, and ``ValueMatcher/exactString(_:)`` compares
/// UTF-8 bytes. Any other pattern (another path, another operator, an IP literal, which becomes
/// a `cidr` test) has no such form (`init` answers `nil`).
package struct EnvelopeFieldPattern: Sendable {
    /// An envelope field that is always a string leaf at the top level.
    enum Field: Sendable {
        case source, detailType, account, region
    }

    /// The field equals one of `values` (UTF-8 bytes).
    struct Condition: Sendable {
        let field: Field
        let values: [[UInt8]]

        /// Whether `bytes` are one of the values.
        @inline(__always)
        func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for value in values where value.count == bytes.count {
                let equal = value.withUnsafeBufferPointer { v in
                    guard let a = v.baseAddress, let b = bytes.baseAddress else { return true }  // both empty
                    return memcmp(a, b, bytes.count) == 0
                }
                if equal { return true }
            }
            return false
        }
    }

    /// The alternatives (any one matches), each a conjunction of conditions.
    private let alternatives: [[Condition]]

    /// The envelope form of `pattern`, or `nil` when it tests anything else.
    package init?(_ pattern: EventPattern) {
        var alternatives: [[Condition]] = []
        for alternative in pattern.alternatives {
            guard !alternative.conditions.isEmpty else { return nil }
            var conditions: [Condition] = []
            for condition in alternative.conditions {
                guard condition.path.count == 1, let field = Self.field(condition.path[0]), !condition.matchers.isEmpty else { return nil }
                var values: [[UInt8]] = []
                for matcher in condition.matchers {
                    guard case .exactString(let value) = matcher else { return nil }
                    values.append(Array(value.utf8))
                }
                conditions.append(Condition(field: field, values: values))
            }
            alternatives.append(conditions)
        }
        guard !alternatives.isEmpty else { return nil }
        self.alternatives = alternatives
    }

    private static func field(_ key: String) -> Field? {
        switch key {
        case "source": .source
        case "detail-type": .detailType
        case "account": .account
        case "region": .region
        default: nil
        }
    }

    /// Whether the pattern matches `event`.
    package func matches(_ event: Event) -> Bool {
        for alternative in alternatives where Self.holds(alternative, event) { return true }
        return false
    }

    private static func holds(_ conditions: [Condition], _ event: Event) -> Bool {
        for condition in conditions {
            var value: String
            switch condition.field {
            case .source: value = event.source
            case .detailType: value = event.detailType
            case .account: value = event.account
            case .region: value = event.region
            }
            // UTF-8 bytes, never Unicode canonical equivalence.
            if !value.withUTF8({ condition.contains($0) }) { return false }
        }
        return true
    }
}
