/// One reason a set of templates cannot be imported: the file, the line (0 when unknown), the
/// logical id (when the problem is in a resource, parameter, condition or output) and what to change.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var logicalId: String?
    public var message: String

    public init(file: String, line: Int, logicalId: String?, _ message: String) {
        self.file = file
        self.line = line
        self.logicalId = logicalId
        self.message = message
    }

    /// `FILE:LINE: LogicalId: message`.
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line)" }
        text += ": "
        if let logicalId { text += "\(logicalId): " }
        return text + message
    }
}

/// Every problem found in the templates; nothing is written when there is one.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]
    public init(problems: [ImportProblem]) { self.problems = problems }
    public var description: String {
        "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was written:\n"
            + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
}
