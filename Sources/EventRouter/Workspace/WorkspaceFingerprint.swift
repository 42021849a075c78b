#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What hot reload watches in a workspace: each `Rules/*.json` file and each function folder
/// `Functions/NAME/` (every file below it, hidden ones aside), as a content hash. A file's
/// content is hashed again only when its size or modification time changed (``scan(directory:)``
/// keeps the last hashes), so a poll of an unchanged workspace reads no file. Blocking file I/O.
public struct WorkspaceFingerprint: Sendable {
    /// One scan: a hash per rule file (`Rules/NAME.json`) and per function folder (by name).
    public struct Snapshot: Sendable, Equatable {
        public var rules: [String: [UInt8]] = [:]
        public var functions: [String: [UInt8]] = [:]

        /// The function folders added, removed or whose content changed since `old`.
        public func changedFunctions(since old: Snapshot) -> [String] {
            Set(functions.keys).union(old.functions.keys).filter { functions[$0] != old.functions[$0] }.sorted()
        }
    }

    private struct Stamp: Sendable, Equatable {
        var size: Int64
        var modified: Int64
    }

    /// The most files hashed per function folder (a folder with more hashes its first ones).
    public static let maximumFilesPerFunction = 2_000
    /// Files larger than this count by size and modification time only.
    public static let maximumHashedFileSize: Int64 = 16 << 20

    private var cache: [String: (stamp: Stamp, hash: [UInt8])] = [:]

    public init() {}

    /// Scans the workspace in `directory` (the folder holding `Rules/` and `Functions/`).
    public mutating func scan(directory: String) -> Snapshot {
        var snapshot = Snapshot()
        var seen: Set<String> = []
        let rules = (directory as NSString).appendingPathComponent("Rules")
        for name in Self.list(rules) where name.hasSuffix(".json") {
            let path = (rules as NSString).appendingPathComponent(name)
            seen.insert(path)
            snapshot.rules["Rules/\(name)"] = hash(path) ?? []
        }
        let functions = (directory as NSString).appendingPathComponent("Functions")
        for name in Self.list(functions) where !name.hasPrefix(".") {
            let folder = (functions as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            var combined = SHA256()
            var count = 0
            for relative in Self.files(below: folder) {
                guard count < Self.maximumFilesPerFunction else { break }
                count += 1
                let path = (folder as NSString).appendingPathComponent(relative)
                seen.insert(path)
                combined.update(Array(relative.utf8) + [0])
                combined.update((hash(path) ?? []) + [0])
            }
            snapshot.functions[name] = combined.finalize()
        }
        cache = cache.filter { seen.contains($0.key) }
        return snapshot
    }

    /// The SHA-256 of a file's bytes, from the cache when its size and time did not change;
    /// `nil` when it cannot be read.
    private mutating func hash(_ path: String) -> [UInt8]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let stamp = Stamp(size: Int64(info.st_size),
                          modified: Int64(info.st_mtim.tv_sec).multipliedReportingOverflow(by: 1_000_000_000).partialValue &+ Int64(info.st_mtim.tv_nsec))
        if let hit = cache[path], hit.stamp == stamp { return hit.hash }
        var digest = SHA256()
        if stamp.size > Self.maximumHashedFileSize {
            digest.update(Array("\(stamp.size)/\(stamp.modified)".utf8))
        } else {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            digest.update([UInt8](data))
        }
        let result = digest.finalize()
        cache[path] = (stamp, result)
        return result
    }

    private static func list(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// Regular files below `folder`, relative, sorted, skipping hidden names and their contents.
    private static func files(below folder: String) -> [String] {
        guard let walk = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let next = walk.nextObject() as? String {
            if (next as NSString).lastPathComponent.hasPrefix(".") {
                walk.skipDescendants()
                continue
            }
            if let type = walk.fileAttributes?[.type] as? FileAttributeType, type == .typeDirectory { continue }
            out.append(next)
            if out.count > maximumFilesPerFunction { break }
        }
        return out.sorted()
    }
}
