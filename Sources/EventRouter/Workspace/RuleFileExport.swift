import Foundation

/// Writes an export document (``RouterRuntime/exportAPIResources(origins:)``: `{"Files":
/// [{"Name", "Document"}], "Skipped": […]}`) as rule files: what `eventrouter export rules` does.
public enum RuleFileExport {
    /// What was written.
    public struct Written: Sendable, Equatable {
        /// The paths written, each with a count of what it holds (`2 rules, 1 queue`).
        public var files: [(path: String, summary: String)]
        /// Why some resources were not exported.
        public var skipped: [String]

        public static func == (a: Written, b: Written) -> Bool {
            a.files.map(\.path) == b.files.map(\.path) && a.files.map(\.summary) == b.files.map(\.summary) && a.skipped == b.skipped
        }
    }

    /// Writes each file of `document` into the folder `directory` (created when missing),
    /// replacing a file of the same name (an earlier export). Blocking file I/O.
    /// - Throws: ``TextFileError`` naming what is wrong with the document or which file
    ///   cannot be written.
    public static func write(_ document: JSONValue, to directory: String) throws(TextFileError) -> Written {
        guard let files = document["Files"]?.arrayValue else {
            throw TextFileError("the export has no \"Files\" list: give --state a file saved from GET /_eventrouter/export of a running 'eventrouter run'")
        }
        var written = Written(files: [], skipped: (document["Skipped"]?.arrayValue ?? []).compactMap(\.stringValue))
        guard !files.isEmpty else { return written }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TextFileError("cannot create the folder \(directory): \(error.localizedDescription)")
        }
        for (i, file) in files.enumerated() {
            guard let name = file["Name"]?.stringValue, Self.isPlainName(name), let body = file["Document"], body.objectValue != nil else {
                throw TextFileError("the export's Files[\(i)] needs a \"Name\" (a file name ending in .json, no folders) and a \"Document\" object")
            }
            let path = (directory as NSString).appendingPathComponent(name)
            try TextFile.write(JSONPrettyPrinter.format(body), to: path)
            written.files.append((path, summary(body)))
        }
        return written
    }

    /// `1 bus, 2 rules, 1 queue`.
    static func summary(_ document: JSONValue) -> String {
        let kinds = [("EventBuses", "bus", "buses"), ("Rules", "rule", "rules"), ("Queues", "queue", "queues"),
                     ("Topics", "topic", "topics"), ("Streams", "stream", "streams")]
        return kinds.compactMap { key, one, many in
            guard let n = document[key]?.arrayValue?.count, n > 0 else { return nil }
            return "\(n) \(n == 1 ? one : many)"
        }.joined(separator: ", ")
    }

    private static func isPlainName(_ name: String) -> Bool {
        name.hasSuffix(".json") && !name.contains("/") && !name.hasPrefix(".") && name.utf8.count <= 200
    }
}
