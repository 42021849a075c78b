/// One `eventrouter` subcommand.
protocol Command: Sendable {
    /// The word that selects it, e.g. `test-event-pattern`.
    static var name: String { get }
    /// One line for `eventrouter --help`.
    static var summary: String { get }
    /// The full help text for `eventrouter NAME --help`.
    static var help: String { get }
    /// Runs the command; returns the process exit status.
    static func run(_ arguments: inout Arguments) async throws -> Int32
}
