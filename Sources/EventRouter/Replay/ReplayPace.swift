/// How fast `eventrouter replay FILE` puts events: `--pace original|max|xN`.
public enum ReplayPace: Sendable, Hashable, CustomStringConvertible {
    /// Honour the gaps between the events' `time` fields.
    case original
    /// No waiting: every event as soon as the previous one.
    case max
    /// The original gaps divided by the factor (`x2` is twice as fast, `x0.5` half as fast).
    case scaled(Double)

    /// The factors `xN` accepts: from a thousand times slower to a million times faster.
    public static let factorRange: ClosedRange<Double> = 0.001...1_000_000

    /// Parses `original`, `max` or `xN` (N in ``factorRange``, e.g. `x10`, `x0.5`).
    /// - Throws: ``EventRouterError`` (`ValidationException`) saying what is accepted.
    public init(parsing text: String) throws(EventRouterError) {
        switch text {
        case "original": self = .original
        case "max": self = .max
        default:
            guard text.hasPrefix("x") || text.hasPrefix("X"), let n = Double(text.dropFirst()), n.isFinite, n > 0 else {
                throw EventRouterError(.validation, "--pace must be original, max or xN with N a positive number (x2 = twice as fast, x0.5 = half as fast), not '\(text)'")
            }
            guard ReplayPace.factorRange.contains(n) else {
                throw EventRouterError(.validation, "--pace \(text): N must be from 0.001 (a thousand times slower) to 1000000 (a million times faster)")
            }
            self = n == 1 ? .original : .scaled(n)
        }
    }

    /// The speed-up factor; `nil` for ``max``.
    public var factor: Double? {
        switch self {
        case .original: return 1
        case .max: return nil
        case .scaled(let n): return n
        }
    }

    public var description: String {
        switch self {
        case .original: return "original"
        case .max: return "max"
        case .scaled(let n): return "x\(n == n.rounded() ? String(Int64(exactly: n).map(String.init) ?? String(n)) : String(n))"
        }
    }
}
