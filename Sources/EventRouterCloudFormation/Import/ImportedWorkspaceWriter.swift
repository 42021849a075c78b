import Foundation

/// Writes an import's files into a folder (which must not exist or be empty).
public enum ImportedWorkspaceWriter {
    /// Why the folder could not be written.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func write(_ files: [ImportedFile], to directory: String) throws(WriteError) {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw WriteError(description: "\(directory) is not empty; import into a new or empty folder")
        }
        for file in files {
            let path = directory + "/" + file.path
            let folder = (path as NSString).deletingLastPathComponent
            do {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(file.contents).write(to: URL(fileURLWithPath: path))
                if file.executable { try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
            } catch {
                throw WriteError(description: "cannot write \(path): \(error.localizedDescription)")
            }
        }
    }

    /// The file name without its extension, leading characters other than letters dropped and
    /// other characters than letters, digits and `-` turned into `-` (`01-orders_app.yaml` → `orders-app`).
    public static func defaultStackName(_ path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let trimmed = base.drop { !($0.isASCII && $0.isLetter) }
        return String(trimmed.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }.prefix(128))
    }

    /// Reads templates given as `PATH[@STACK[:ACCOUNT[:REGION]]]` with the defaults for what is left out
    /// (the stack name defaults to the file's name without its extension).
    public static func sources(_ specs: [String], stackName: String?, account: String, region: String) throws(WriteError) -> [TemplateSource] {
        var out: [TemplateSource] = []
        for spec in specs {
            var path = spec
            var stack = stackName
            var acct = account
            var reg = region
            if let at = spec.lastIndex(of: "@") {
                path = String(spec[..<at])
                let parts = spec[spec.index(after: at)...].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count <= 3 else { throw WriteError(description: "'\(spec)': write TEMPLATE@STACK:ACCOUNT:REGION") }
                if !parts[0].isEmpty { stack = parts[0] }
                if parts.count > 1, !parts[1].isEmpty { acct = parts[1] }
                if parts.count > 2, !parts[2].isEmpty { reg = parts[2] }
            }
            guard acct.count == 12, acct.allSatisfy(\.isNumber) else { throw WriteError(description: "'\(spec)': account '\(acct)' must be 12 digits") }
            let name = stack ?? defaultStackName(path)
            guard !name.isEmpty, name.count <= 128, name.first?.isLetter == true, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw WriteError(description: "'\(spec)': stack name '\(name)' must start with a letter and hold only letters, digits and '-' (at most 128); give one with @STACK or --stack-name")
            }
            if out.contains(where: { $0.stackName == name && $0.account == acct && $0.region == reg }) {
                throw WriteError(description: "'\(spec)': stack \(name) is given twice in \(acct)/\(reg); name each template's stack with TEMPLATE@STACK")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw WriteError(description: "cannot read template \(path)") }
            guard let text = String(data: data, encoding: .utf8) else { throw WriteError(description: "template \(path) is not UTF-8") }
            out.append(TemplateSource(path: path, text: text, directory: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                                      stackName: name, account: acct, region: reg))
        }
        return out
    }
}
