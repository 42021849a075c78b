/// One problem found in a workspace: where (file and JSON path) and what to change.
public struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Errors stop the workspace from loading; warnings do not.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// The file, relative to the workspace (e.g. `Rules/orders.json`).
    public var file: String
    /// A JSON path inside the file, e.g. `$.Rules[0].Targets[1].Arn`.
    public var path: String
    public var message: String

    public init(_ severity: Severity, file: String, path: String, _ message: String) {
        self.severity = severity
        self.file = file
        self.path = path
        self.message = message
    }

    /// `Rules/orders.json: $.Rules[0].Name: error: …`
    public var description: String { "\(file): \(path): \(severity.rawValue): \(message)" }
}

/// The problems that stopped a workspace from loading (every one, not just the first).
public struct WorkspaceValidationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ValidationProblem]
    public init(problems: [ValidationProblem]) { self.problems = problems }

    /// The errors only.
    public var errors: [ValidationProblem] { problems.filter { $0.severity == .error } }

    public var description: String {
        let errors = self.errors
        return "the workspace has \(errors.count) error\(errors.count == 1 ? "" : "s"):\n" + problems.map(\.description).joined(separator: "\n")
    }
}
