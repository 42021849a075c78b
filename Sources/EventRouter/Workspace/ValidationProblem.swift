/// The one problem type of rule files, function manifests and policy documents: where (file and
/// JSON path), how bad (severity) and what to change (the reason). ``FieldReader`` words them.
///
/// `Rules/a.json: $.Rules[0].Targets[0].RetryPolicy.MaximumRetryAttempts: error: 'MaximumRetryAttempts' must be between 0 and 185, got 200`
public struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Errors stop the workspace from loading (or make a definition unusable); warnings do not.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// The file, relative to the workspace (e.g. `Rules/orders.json`); `""` for JSON that is not
    /// in a file (a policy document given on the command line).
    public var file: String
    /// A JSON path inside the file, e.g. `$.Rules[0].Targets[1].Arn`.
    public var path: String
    /// What is wrong and what to change.
    public var message: String

    public init(_ severity: Severity = .error, file: String = "", path: String, _ message: String) {
        self.severity = severity
        self.file = file
        self.path = path
        self.message = message
    }

    /// `Rules/orders.json: $.Rules[0].Name: error: …` (without the file when there is none).
    public var description: String {
        file.isEmpty ? "\(path): \(severity.rawValue): \(message)" : "\(file): \(path): \(severity.rawValue): \(message)"
    }

    /// The same problem under another root, e.g. `$.Statement[0]` under `$.EventBuses[1].Policy`
    /// becomes `$.EventBuses[1].Policy.Statement[0]`.
    public func rebased(onto root: String) -> ValidationProblem {
        guard root != "$" else { return self }
        var copy = self
        copy.path = root + path.dropFirst()
        return copy
    }

    /// The same problem in `file` (when it has none yet).
    public func inFile(_ file: String) -> ValidationProblem {
        guard self.file.isEmpty else { return self }
        var copy = self
        copy.file = file
        return copy
    }
}

extension Array where Element == ValidationProblem {
    /// Whether any problem is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }
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
