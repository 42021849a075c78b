#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Where delivery streams put their objects: an S3 bucket's keys, stored locally.
public protocol DeliveryObjectStore: Sendable {
    /// Stores `bytes` as `key` in `bucket`.
    /// - Returns: `nil` on success, otherwise why it failed (the stream retries later).
    func put(bucket: String, key: String, bytes: [UInt8]) async -> String?
}

/// A folder with one sub-folder per bucket: the object `KEY` of bucket `B` is the file
/// `ROOT/B/KEY` (the key's `/` make folders, created when missing). Files are written
/// atomically on the blocking I/O pool, never on the cooperative pool.
public struct FolderObjectStore: DeliveryObjectStore {
    /// The folder that holds the buckets (`eventrouter run`: `<data-dir>/s3`).
    public let root: String

    public init(root: String) { self.root = root }

    /// `ROOT/BUCKET/KEY`.
    public func path(bucket: String, key: String) -> String {
        (root.hasSuffix("/") ? root : root + "/") + bucket + "/" + key
    }

    public func put(bucket: String, key: String, bytes: [UInt8]) async -> String? {
        let path = path(bucket: bucket, key: key)
        return await BlockingIOPool.shared.run { () -> String? in
            let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                return "cannot create the folder \(folder): \(error.localizedDescription)"
            }
            do { try AtomicFile.write(bytes, to: path) } catch { return "\(error)" }
            return nil
        }
    }
}

/// Objects kept in memory (`run --in-memory`, tests): bucket and key to bytes.
public final class MemoryObjectStore: DeliveryObjectStore {
    private let objects = Mutex<[String: [UInt8]]>([:])

    public init() {}

    public func put(bucket: String, key: String, bytes: [UInt8]) async -> String? {
        objects.withLock { $0[bucket + "/" + key] = bytes }
        return nil
    }

    /// Every object as `BUCKET/KEY` → bytes.
    public var all: [String: [UInt8]] { objects.withLock { $0 } }
}
