import EventRouterStorage

/// `eventrouter run`'s storage options: `--data-dir DIR` (default `.eventrouter` in the
/// workspace), `--in-memory`, `--fsync always|batch|off` (default `batch`).
struct RunStorageOptions {
    /// The data directory, or `nil` for `--in-memory`.
    var dataDirectory: String?
    /// How the journal reaches the disk.
    var fsync: FsyncMode
    /// Records written since the last snapshot (bytes) that start the next one (`--snapshot-every-kib`).
    var snapshotBytes = 64 << 20

    /// The help text's lines for the options.
    static let help = """
          --data-dir DIR       where run keeps its data; default: .eventrouter in the workspace, created
                               when missing; one eventrouter at a time (a lock naming the holder's pid).
                               Queues and their messages survive kill -9 (journal + snapshots); other
                               engine state is not journaled yet (docs/durability.md)
          --in-memory          keep no data directory
          --fsync MODE         always, batch (default: group commit) or off — how the journal reaches disk
          --snapshot-every-kib N  take a snapshot (and drop the journal before it) once N KiB of records
                               were written since the last one; default 65536 (64 MiB), 1 to 1048576
        """

    /// Reads the options.
    /// - Throws: ``UsageError`` for `--in-memory` with `--data-dir` or `--fsync`, or an unknown mode.
    static func read(_ arguments: inout Arguments, workspace: String) throws(UsageError) -> RunStorageOptions {
        let directory = try arguments.option("data-dir")
        let inMemory = arguments.flag("in-memory")
        let fsyncName = try arguments.option("fsync")
        let snapshotKiB = try arguments.intOption("snapshot-every-kib")
        if inMemory, snapshotKiB != nil { throw UsageError("--snapshot-every-kib applies to a data directory: drop --snapshot-every-kib or --in-memory") }
        if let snapshotKiB, !(1...(1 << 20)).contains(snapshotKiB) {
            throw UsageError("--snapshot-every-kib must be from 1 to 1048576 (KiB), got \(snapshotKiB)")
        }
        if inMemory, directory != nil { throw UsageError("--in-memory keeps no data directory: drop --data-dir or --in-memory") }
        if inMemory, fsyncName != nil { throw UsageError("--fsync applies to a data directory: drop --fsync or --in-memory") }
        let fsync: FsyncMode
        switch FsyncMode.named(fsyncName ?? "batch") {
        case .success(let mode): fsync = mode
        case .failure(let error): throw UsageError(error.message)
        }
        if inMemory { return RunStorageOptions(dataDirectory: nil, fsync: fsync) }
        let base = workspace.hasSuffix("/") ? String(workspace.dropLast()) : workspace
        var options = RunStorageOptions(dataDirectory: directory ?? (base == "." ? ".eventrouter" : base + "/.eventrouter"), fsync: fsync)
        if let snapshotKiB { options.snapshotBytes = snapshotKiB << 10 }
        return options
    }

    /// Opens (creates, checks the version of and locks) the data directory, if any.
    /// - Throws: ``JournalError`` saying what to do.
    func open() async throws(JournalError) -> RouterStorage {
        guard let dataDirectory else { return .inMemory }
        return .dataDirectory(try await DataDirectory.open(dataDirectory), fsync: fsync)
    }
}
