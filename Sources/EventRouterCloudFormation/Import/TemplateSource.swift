/// One template to import and the stack it stands for.
public struct TemplateSource: Sendable {
    /// The name used in messages (the path as given).
    public var path: String
    /// The template text (YAML or JSON).
    public var text: String
    /// The folder a `CodeUri` is relative to (the template's folder), or `nil` for no files.
    public var directory: String?
    public var stackName: String
    public var account: String
    public var region: String

    public init(path: String, text: String, directory: String?, stackName: String, account: String, region: String) {
        self.path = path
        self.text = text
        self.directory = directory
        self.stackName = stackName
        self.account = account
        self.region = region
    }
}

/// What applies to every template of an import.
public struct ImportOptions: Sendable {
    /// `--parameter KEY=VALUE`: applies to every template that declares KEY.
    public var parameters: [String: String]
    /// Reads a code file or folder for `CodeUri` (tests give files in memory); `nil` reads the disk.
    public var fileReader: (@Sendable (String) -> [ImportedFile]?)?

    public init(parameters: [String: String] = [:], fileReader: (@Sendable (String) -> [ImportedFile]?)? = nil) {
        self.parameters = parameters
        self.fileReader = fileReader
    }
}

/// A file of the written workspace, relative to its folder.
public struct ImportedFile: Sendable, Equatable {
    public var path: String
    public var contents: [UInt8]
    public var executable: Bool
    public init(path: String, contents: [UInt8], executable: Bool = false) {
        self.path = path
        self.contents = contents
        self.executable = executable
    }
    public init(path: String, text: String, executable: Bool = false) {
        self.init(path: path, contents: Array(text.utf8), executable: executable)
    }
    /// The contents as text.
    public var text: String { String(decoding: contents, as: UTF8.self) }
}
