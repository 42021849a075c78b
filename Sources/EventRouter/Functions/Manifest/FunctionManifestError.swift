/// Everything wrong with one `function.json`, reported at once.
///
/// Each ``Problem`` names the file, the key (a JSON path such as `DestinationConfig.OnFailure`)
/// and what to change, so a user can fix every mistake in one pass.
public struct FunctionManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One mistake in a manifest.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The manifest file, e.g. `Functions/average/function.json`.
        public var file: String
        /// The offending key as a dotted path (`Timeout`, `DestinationConfig.OnFailure.Destination`), or `""` for the whole file.
        public var key: String
        /// What is wrong and what to change.
        public var reason: String

        public init(file: String, key: String, reason: String) {
            self.file = file
            self.key = key
            self.reason = reason
        }

        public var description: String {
            key.isEmpty ? "\(file): \(reason)" : "\(file): \(key): \(reason)"
        }
    }

    /// The problems in document order.
    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
