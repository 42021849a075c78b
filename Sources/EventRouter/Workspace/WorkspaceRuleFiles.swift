import Foundation

/// The `*.json` files directly inside a workspace's `Rules/` folder (other names are ignored),
/// read in name order: what `validate`, `replay`, `topic` and `permission` read. Every
/// `*.json` entry must be a regular file (or a link to one) of at most ``maximumFileSize``
/// bytes; a folder, pipe, device, dangling link or link loop by that name is an error.
public struct WorkspaceRuleFiles: Sendable {
    /// `(name: "Rules/NAME", text)`, in name order.
    public var files: [(name: String, text: String)]
    /// An error for each file that cannot be read or is not UTF-8 text; when ``hasFolder`` is
    /// false, the one error that there is no `Rules/` folder or that it cannot be listed.
    public var problems: [ValidationProblem]
    /// Whether `Rules/` exists and could be listed.
    public var hasFolder: Bool

    /// The largest rule file read (16 MiB).
    public static let maximumFileSize = 16 << 20

    /// Reads the rule files of the workspace in `directory` (the folder holding `Rules/`).
    /// Blocking file I/O.
    public init(directory: String) {
        files = []
        problems = []
        hasFolder = false
        let rulesPath = (directory as NSString).appendingPathComponent("Rules")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rulesPath, isDirectory: &isDirectory), isDirectory.boolValue else {
            problems = [ValidationProblem(.error, file: rulesPath, path: "$",
                "no Rules/ folder here; pass --workspace DIR with the folder that holds Rules/ and Functions/")]
            return
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: rulesPath).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            problems = [ValidationProblem(.error, file: rulesPath, path: "$", "cannot list the folder: \(error.localizedDescription)")]
            return
        }
        hasFolder = true
        for name in names {
            let full = (rulesPath as NSString).appendingPathComponent(name)
            do {
                guard let bytes = try TextFile.readBytes(full, limit: Self.maximumFileSize) else {
                    problems.append(ValidationProblem(.error, file: "Rules/\(name)", path: "$", "cannot read the file: it was removed while the folder was read"))
                    continue
                }
                files.append((name: "Rules/\(name)", text: try TextFile.text(bytes, name: "the file")))
            } catch {
                problems.append(ValidationProblem(.error, file: "Rules/\(name)", path: "$", error.description))
            }
        }
    }
}
