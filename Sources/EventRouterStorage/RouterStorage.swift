/// Where `eventrouter run` keeps its data: nowhere (`--in-memory`) or an open, locked
/// ``DataDirectory`` with the journal's ``FsyncMode``. The engine's state does not go through it
/// yet (docs/durability.md, "Plan"): today it holds the directory's lock while the router serves.
public enum RouterStorage: Sendable {
    /// No data directory: everything lasts until the process ends.
    case inMemory
    /// The data directory, locked while this value lives, and how its journal reaches the disk.
    case dataDirectory(DataDirectory, fsync: FsyncMode)

    /// The start line's words for it, e.g. `data: .eventrouter/ (journal, fsync batch)`.
    public var startLine: String {
        switch self {
        case .inMemory:
            return "data: in memory"
        case .dataDirectory(let directory, let fsync):
            let shown = directory.path.hasSuffix("/") ? directory.path : directory.path + "/"
            return "data: \(shown) (journal, fsync \(fsync.rawValue); engine state is not journaled yet and lasts until this process ends)"
        }
    }
}
