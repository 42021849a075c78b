/// Where `eventrouter run` keeps its data: nowhere (`--in-memory`) or an open, locked
/// ``DataDirectory`` with the journal's ``FsyncMode``. Queues and their messages go through the
/// journal (docs/durability.md); the directory is locked while the router serves.
public enum RouterStorage: Sendable {
    /// No data directory: everything lasts until the process ends.
    case inMemory
    /// The data directory, locked while this value lives, and how its journal reaches the disk.
    case dataDirectory(DataDirectory, fsync: FsyncMode)

    /// The start line's words for it, e.g. `data: .eventrouter/ (journal, fsync batch)`.
    public var startLine: String { startLine(recovered: nil) }

    /// The start line with what recovery found, e.g. `data: .eventrouter/ (journal, fsync batch;
    /// queues and messages are kept; recovered 2 queues, 5 messages from 7 journal records in 1 segment)`.
    public func startLine(recovered: String?) -> String {
        switch self {
        case .inMemory:
            return "data: in memory"
        case .dataDirectory(let directory, let fsync):
            let shown = directory.path.hasSuffix("/") ? directory.path : directory.path + "/"
            return "data: \(shown) (journal, fsync \(fsync.rawValue); queues and their messages, pending rule deliveries, streams with their records and mapping checkpoints are kept, other engine state lasts until this process ends"
                + (recovered.map { "; \($0)" } ?? "") + ")"
        }
    }
}
