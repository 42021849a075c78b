/// A numeric interval; `nil` bounds are open-ended. `["=", x]` is `[x, x]`, both inclusive.
///
/// Normal form: at least one bound; when both are present `lower < upper`, or
/// `lower == upper` with both inclusive (the `=` form). Bounds lie within ±``limit`` and have
/// at most six decimal places.
public struct NumericRange: Sendable, Hashable {
    /// The lower bound, or `nil` for none.
    public var lower: Double?
    /// Whether a value equal to ``lower`` is inside (`>=`) or not (`>`).
    public var lowerInclusive: Bool
    /// The upper bound, or `nil` for none.
    public var upper: Double?
    /// Whether a value equal to ``upper`` is inside (`<=`) or not (`<`).
    public var upperInclusive: Bool
    /// A range with the given bounds (no validation; ``PatternParser`` produces the normal form).
    public init(lower: Double?, lowerInclusive: Bool, upper: Double?, upperInclusive: Bool) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
    }

    /// EventBridge's numeric-matching limit: values in `-5e9...5e9` take part in ranges.
    public static let limit: Double = 5e9

    /// Whether `value` lies in the range. Values outside ±``limit`` never do.
    @inline(__always)
    public func contains(_ value: Double) -> Bool {
        guard value >= -Self.limit, value <= Self.limit else { return false }
        if let lower {
            if lowerInclusive ? value < lower : value <= lower { return false }
        }
        if let upper {
            if upperInclusive ? value > upper : value >= upper { return false }
        }
        return true
    }
}
