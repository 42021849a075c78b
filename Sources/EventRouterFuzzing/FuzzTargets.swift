/// Every fuzz target, in the order `eventrouter-fuzz all` runs them.
public enum FuzzTargets {
    /// The targets.
    public static let all: [any FuzzTarget] = [
        JSONParserTarget(),
        PatternCompilerTarget(),
        MatcherDifferentialTarget(),
        RuleFileTarget(),
        InputTransformerTarget(),
        ReplayFileTarget(),
        HTTPRequestParserTarget(),
        CBORTarget(),
        YAMLTarget(),
        JournalTarget(),
        EndpointTarget(),
    ]

    /// The target called `name`, if any.
    public static func named(_ name: String) -> (any FuzzTarget)? { all.first { $0.name == name } }
}
