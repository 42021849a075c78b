/// How one scenario ended (``ScenarioRunner``).
public struct ScenarioOutcome: Sendable {
    /// The scenario's name and file.
    public var name: String
    public var file: String
    /// The expectations checked and how many held.
    public var checked: Int
    /// The first expectation that did not hold (or why the run failed), `nil` when it passed.
    public var failure: Failure?
    /// Virtual time from the start to the end of the run.
    public var virtualDuration: Duration
    /// How often each fault fired, in file order.
    public var faultsFired: [Int]

    /// The first difference.
    public struct Failure: Sendable, Equatable {
        /// The JSON path of the expectation (`$.Expect[2]`), or `$` for a run failure.
        public var path: String
        /// What was checked, in words.
        public var summary: String
        public var expected: String
        public var actual: String
        /// The delivery trace of the event that went wrong (or the whole run's, shortened).
        public var trace: [String]
    }

    public var passed: Bool { failure == nil }

    /// `PASS name (N expectations, virtual 2h 3m)` or `FAIL name: …` with expected, actual and trace.
    public var text: String {
        let time = Self.words(virtualDuration)
        guard let f = failure else { return "PASS \(name) (\(checked) expectation\(checked == 1 ? "" : "s"), \(time) of virtual time)\n" }
        var out = "FAIL \(name) (\(file)) \(f.path): \(f.summary)\n     expected: \(f.expected)\n     actual:   \(f.actual)\n"
        if !f.trace.isEmpty { out += "     trace:\n" + f.trace.map { "     \($0)\n" }.joined() }
        return out
    }

    /// `2h 3m 4s`, `0s`.
    static func words(_ d: Duration) -> String {
        var s = Int(d.components.seconds)
        if s <= 0 { return "0s" }
        var parts: [String] = []
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where s >= size {
            parts.append("\(s / size)\(unit)")
            s %= size
        }
        return parts.joined(separator: " ")
    }
}
