/// Where `eventrouter run` keeps its data: nowhere (`--in-memory`) or an open, locked
/// ``DataDirectory`` with the journal's ``FsyncMode``. The engine's state goes through the
/// journal (docs/durability.md); the directory is locked while the router serves.
public enum RouterStorage: Sendable {
    /// No data directory: everything lasts until the process ends.
    case inMemory
    /// The data directory, locked while this value lives, and how its journal reaches the disk.
    case dataDirectory(DataDirectory, fsync: FsyncMode)

    /// Whether nothing is stored (`--in-memory`).
    public var isInMemory: Bool {
        if case .inMemory = self { return true }
        return false
    }

    /// The start line's words for it, e.g. `data: .eventrouter/ (journal, fsync batch)`.
    public var startLine: String { startLine(recovered: nil) }

    /// The start line with what recovery found, e.g. `data: .eventrouter/ (journal, fsync batch;
    /// what the API creates, sends and accepts is kept; recovered 2 queues, 5 messages from 7 journal records in 1 segment)`.
    public func startLine(recovered: String?) -> String {
        switch self {
        case .inMemory:
            return "data: in memory"
        case .dataDirectory(let directory, let fsync):
            let shown = directory.path.hasSuffix("/") ? directory.path : directory.path + "/"
            return "data: \(shown) (journal, fsync \(fsync.rawValue); what the API creates, sends and accepts is kept"
                + (recovered.map { "; \($0)" } ?? "") + ")"
        }
    }
}
