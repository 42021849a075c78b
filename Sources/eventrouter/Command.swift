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
    /// Runs the command; returns the process exit status.
    static func run(_ arguments: inout Arguments) async throws -> Int32
}

extension Command {
    static var flags: Set<String> { [] }
}
