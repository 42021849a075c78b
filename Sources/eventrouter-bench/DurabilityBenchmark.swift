#if canImport(Glibc)
import Glibc
#endif
import EventRouter
import EventRouterCore
import EventRouterHTTP
import EventRouterStorage
import Foundation

/// Issue 14's durability goals (docs/durability.md, "Measured"), through the code `eventrouter
/// run` uses: a ``RouterServer`` on a data directory, ``RouterServer/recoverState()``.
///
/// `eventrouter-bench durability [--messages N] [--size BYTES] [--fsync off|batch|always] [--dir DIR]`:
/// fills one queue with N messages of BYTES (default 1,000,000 × 1 KB), then starts a fresh
/// process that recovers it — from the journal alone, then after a snapshot — and reports the
/// time from building the server to all N messages being held (and one received), with that
/// process's peak RSS, plus the snapshot's capture time. With `--tail-cycles N`, N send +
/// receive + delete cycles on a second queue then grow the journal after that snapshot (no new
/// one is taken), and a third fresh process recovers the snapshot plus that tail: the worst case
/// before the next snapshot is a tail of 2 × the snapshot's size (docs/durability.md).
///
/// With `--serve` (and `--eventrouter PATH`, default: the `eventrouter` next to this program),
/// each of those recoveries is also timed through the real command: `eventrouter run` started on a
/// copy of the folder, from exec to its listening line and to its first SQS answer counting all
/// N messages, with its peak RSS.
///
/// `eventrouter-bench durability --cycles N [--size BYTES] [--snapshot-every-kib K]`: N
/// send + receive + delete cycles on one queue; reports the data directory's largest and final
/// size (sampled every 100,000 cycles) and the cycles/s.
enum DurabilityBenchmark {
    static let summary = "Recovery time of N queued messages (journal, snapshot) and data directory size after N send+delete cycles"

    static func run(_ arguments: [String]) async throws {
        let size = arguments.intOption("size", 1_024)
        let fsync = FsyncMode(rawValue: arguments.stringOption("fsync") ?? "off") ?? .off
        if let dir = arguments.stringOption("recover") {
            return try await recover(dir, expecting: arguments.intOption("expect", 0))
        }
        let root = arguments.stringOption("dir") ?? "/tmp/eventrouter-bench-durability-\(getpid())"
        mkdir(root, 0o755)
        defer { try? FileManager.default.removeItem(atPath: root) }
        if arguments.contains("--cycles") {
            return try await cycles(arguments.intOption("cycles", 10_000_000), size: size, fsync: fsync,
                                    snapshotBytes: arguments.intOption("snapshot-every-kib", 65_536) * 1_024, in: root + "/data")
        }
        let messages = arguments.intOption("messages", 1_000_000)
        let data = root + "/data"
        Console.out("durability: \(messages) messages of \(size) B, fsync \(fsync.rawValue), folder \(data)")
        let server = try await open(data, fsync: fsync, snapshotBytes: Int.max / 4)
        _ = try await server.recoverState()
        let queue = try server.runtime.queues.createQueue(QueueConfiguration(name: "durable"))
        let body = String(repeating: "x", count: size)
        let clock = ContinuousClock()
        var start = clock.now
        for i in 1...messages {
            // Every 1,000th send awaits its record (and so every one before it): backpressure.
            if i % 1_000 == 0 { _ = try await queue.sendMessage(body: body) } else { _ = try queue.sendNow(body: body) }
        }
        _ = try await queue.sendMessage(body: body)
        let fill = (clock.now - start).seconds
        Console.out("fill: \(messages + 1) sends in \(format(fill)) s (\(Int(Double(messages + 1) / fill))/s), journal \(megabytes(folderSize(data))) MB")
        let expected = messages + 1
        Console.out("\nrecovery from the journal alone (a fresh process):")
        try await spawnRecovery(data, expected)
        start = clock.now
        guard let snapshot = try await server.writeSnapshot() else { throw BenchError("no data directory") }
        Console.out("\nsnapshot: capture \(format(snapshot.captureSeconds)) s, of which queue locks held \(format(RouterRuntime.lastSnapshotLockSeconds)) s, payload \(megabytes(snapshot.bytes)) MB, capture + write + compaction \(format((clock.now - start).seconds)) s; data directory \(megabytes(folderSize(data))) MB")
        // Each recovery in a fresh process; with --serve, `eventrouter run` on the same folder too.
        let serving = arguments.contains("--serve") ? arguments.stringOption("eventrouter") ?? "" : nil
        func recoverAndServe(_ what: String) async throws {
            Console.out("recovery from \(what) (a fresh process):")
            try await spawnRecovery(data, expected)
            guard let serving else { return }
            Console.out("`eventrouter run` on \(what) (a fresh process, exec to first answer):")
            try await serve(data, expected, binary: serving.isEmpty ? nil : serving)
        }
        Console.out("")
        try await recoverAndServe("the snapshot")
        let tailCycles = arguments.intOption("tail-cycles", 0)
        if tailCycles > 0 {
            let before = folderSize(data)
            start = clock.now
            let churn = try server.runtime.queues.createQueue(QueueConfiguration(name: "churn"))
            for i in 1...tailCycles { try await churnCycle(churn, body: body, awaitStored: i % 1_000 == 0, cycle: i) }
            Console.out("\ntail: \(tailCycles) send + receive + delete cycles on a second queue in \(format((clock.now - start).seconds)) s; journal tail \(megabytes(folderSize(data) - before)) MB after a snapshot of \(megabytes(snapshot.bytes)) MB")
            try await recoverAndServe("the snapshot plus the tail")
        }
        withExtendedLifetime(server) {}
    }

    /// One send + receive + delete on `queue`; with `awaitStored` the delete awaits its records
    /// (and so every one before it): backpressure.
    private static func churnCycle(_ queue: MessageQueue, body: String, awaitStored: Bool, cycle: Int) async throws {
        _ = try queue.sendNow(body: body)
        guard let m = try await queue.receiveMessages(maxNumberOfMessages: 1, waitTimeSeconds: 0).first else { throw BenchError("cycle \(cycle): nothing received") }
        if awaitStored { _ = try await queue.deleteMessage(receiptHandle: m.receiptHandle) } else { _ = try queue.deleteNow(receiptHandle: m.receiptHandle) }
    }

    /// Runs `eventrouter-bench durability --recover DIR --expect N` in a new process, so its peak
    /// RSS is recovery's alone. The server of this process keeps the folder's lock, so the
    /// child reads a copy of its files (hard links: no bytes copied).
    private static func spawnRecovery(_ data: String, _ expected: Int) async throws {
        let copy = try linkedCopy(of: data)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["durability", "--recover", copy, "--expect", String(expected)]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("the recovery process exited with \(process.terminationStatus)") }
    }

    /// A copy of the data directory `data` at `data-copy` that costs no bytes: hard links to
    /// the snapshots and sealed segments (never written again), a real copy of the newest
    /// segment (the writer of a process opening the copy goes on appending to it).
    static func linkedCopy(of data: String) throws -> String {
        let copy = data + "-copy"
        try? FileManager.default.removeItem(atPath: copy)
        for sub in ["journal", "snapshots"] {
            try FileManager.default.createDirectory(atPath: copy + "/" + sub, withIntermediateDirectories: true)
            let names = try FileManager.default.contentsOfDirectory(atPath: data + "/" + sub).sorted()
            for name in names {
                let from = data + "/" + sub + "/" + name, to = copy + "/" + sub + "/" + name
                if sub == "journal" && name == names.last { try FileManager.default.copyItem(atPath: from, toPath: to) } else { try FileManager.default.linkItem(atPath: from, toPath: to) }
            }
        }
        try FileManager.default.copyItem(atPath: data + "/format", toPath: copy + "/format")
        return copy
    }

    /// The child: builds the server on `dir`, recovers, checks every message is there and one is receivable.
    private static func recover(_ dir: String, expecting expected: Int) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let server = try await open(dir, fsync: .off, snapshotBytes: Int.max / 4)
        let text = try await server.recoverState() ?? ""
        let recovered = (clock.now - start).seconds
        let cpu = cpuSeconds()
        guard let queue = server.runtime.queues.queues.first(where: { $0.name == "durable" }) else { throw BenchError("queue durable not recovered") }
        let held = try await queue.statistics().total
        let received = try await queue.receiveMessages(maxNumberOfMessages: 10, waitTimeSeconds: 0)
        guard held == expected, received.count == 10 else {
            throw BenchError("recovered \(held) messages, expected \(expected); received \(received.count) of 10")
        }
        Console.out("  \(held) messages recovered and receivable in \(format(recovered)) s (server built + recoverState; CPU \(format(cpu.user)) s user + \(format(cpu.system)) s system), peak RSS \(peakRSS() / 1_024) MiB")
        Console.out("  start line: \(text)")
        withExtendedLifetime(server) {}
    }

    private static func cycles(_ count: Int, size: Int, fsync: FsyncMode, snapshotBytes: Int, in data: String) async throws {
        Console.out("durability: \(count) send + receive + delete cycles of \(size) B, fsync \(fsync.rawValue), --snapshot-every-kib \(snapshotBytes / 1_024), folder \(data)")
        let server = try await open(data, fsync: fsync, snapshotBytes: snapshotBytes)
        _ = try await server.recoverState()
        let queue = try server.runtime.queues.createQueue(QueueConfiguration(name: "churn"))
        let body = String(repeating: "y", count: size)
        let clock = ContinuousClock()
        let start = clock.now
        var largest = 0
        for i in 1...count {
            try await churnCycle(queue, body: body, awaitStored: i % 1_000 == 0, cycle: i)
            if i % 100_000 == 0 {
                let now = folderSize(data)
                largest = max(largest, now)
                if i % 1_000_000 == 0 {
                    Console.out("  \(i) cycles, \(format((clock.now - start).seconds)) s: data directory \(megabytes(now)) MB (largest so far \(megabytes(largest)) MB)")
                }
            }
        }
        let elapsed = (clock.now - start).seconds
        let final = folderSize(data)
        Console.out("cycles: \(count) in \(format(elapsed)) s (\(Int(Double(count) / elapsed))/s); data directory largest \(megabytes(max(largest, final))) MB, final \(megabytes(final)) MB; peak RSS \(peakRSS() / 1_024) MiB")
        withExtendedLifetime(server) {}
    }

    private static func open(_ dir: String, fsync: FsyncMode, snapshotBytes: Int) async throws -> RouterServer {
        var options = RouterServer.Options()
        options.port = 0
        options.storage = .dataDirectory(try await DataDirectory.open(dir), fsync: fsync)
        options.journalSnapshotBytes = snapshotBytes
        return try RouterServer(workspace: Workspace(), options: options)
    }

    /// Bytes of the files under `path` (journal, snapshots, format, lock).
    static func folderSize(_ path: String) -> Int {
        var total = 0
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        while let name = walker.nextObject() as? String {
            var info = stat()
            if stat(path + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { total += Int(info.st_size) }
        }
        return total
    }

    /// This process's CPU time so far (user, system), in seconds: comparable on a busy machine.
    private static func cpuSeconds() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
                Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }

    private static func peakRSS() -> Int { JournalBenchmark.peakRSS() }
    private static func megabytes(_ bytes: Int) -> String { format(Double(bytes) / 1_000_000) }
    private static func format(_ value: Double) -> String { String(Double(Int(value * 100)) / 100) }
}

/// A benchmark that could not run, saying why.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
