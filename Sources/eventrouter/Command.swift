/// One `eventrouter` subcommand.
protocol Command: Sendable {
    /// The word that selects it, e.g. `test-event-pattern`.
    static var name: String { get }
    /// One line for `eventrouter --help`.
    static var summary: String { get }
    /// The full help text for `eventrouter NAME --help`.
    static var help: String { get }
    /// Its flags: options that take no value (default none).
    static var flags: Set<String> { get }
    /// Whether the command handles SIGINT/SIGTERM itself (a service that shuts down
    /// gracefully); otherwise those signals kill every handler process group and exit.
    static var handlesSignals: Bool { get }
    /// Runs the command; returns the process exit status.
    static func run(_ arguments: inout Arguments) async throws -> Int32
}

extension Command {
    static var flags: Set<String> { [] }
    static var handlesSignals: Bool { false }
}
