/// One problem found in a rule-file entry or a policy document: where (a JSON path) and what to change.
///
/// The accounts, bus-policy and archive readers report every problem they find as these,
/// relative to the JSON they were given; the workspace validator prefixes the path with the
/// entry's own path and adds the file.
public struct DefinitionProblem: Sendable, Hashable, CustomStringConvertible {
    /// Errors make the definition unusable; warnings do not.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// A JSON path, e.g. `$.Statement[0].Principal.AWS`.
    public var path: String
    public var message: String

    public init(_ severity: Severity = .error, path: String, _ message: String) {
        self.severity = severity
        self.path = path
        self.message = message
    }

    /// `$.Statement[0].Effect: error: …`
    public var description: String { "\(path): \(severity.rawValue): \(message)" }

    /// The same problem under another root, e.g. `$.Statement[0]` under `$.EventBuses[1].Policy`
    /// becomes `$.EventBuses[1].Policy.Statement[0]`.
    public func rebased(onto root: String) -> DefinitionProblem {
        var copy = self
        copy.path = root + path.dropFirst()
        return copy
    }
}

extension Array where Element == DefinitionProblem {
    /// Whether any problem is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
