/// Everything wrong with one `function.json`, reported at once.
///
/// Each problem names the file, the key (a JSON path such as `$.DestinationConfig.OnFailure`)
/// and what to change, so a user can fix every mistake in one pass.
public struct FunctionManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems in document order.
    public var problems: [ValidationProblem]

    public init(problems: [ValidationProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
