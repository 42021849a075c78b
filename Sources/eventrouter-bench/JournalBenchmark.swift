#if canImport(Glibc)
import Glibc
#endif
import EventRouterCore
import EventRouterStorage
import Foundation

/// The journal (docs/durability.md): `eventrouter-bench journal [--seconds S] [--size BYTES]
/// [--recovery-records N] [--dir DIR]`.
///
/// 1. CRC-32C throughput, slicing-by-8 against one table lookup per byte;
/// 2. appends/s and records/s of 1 KB records with fsync always, batch and off, from 1, 8 and 64
///    concurrent appenders (each appends one record and waits for it), `S` seconds per case;
/// 3. recovery: a journal of N records of BYTES each is written, then read back as start-up
///    reads it (every CRC checked, every record handed over); time and peak RSS (VmHWM).
enum JournalBenchmark {
    static let summary = "Journal appends/s (fsync always|batch|off × 1/8/64 appenders) and recovery time"

    static func run(_ arguments: [String]) async throws {
        let seconds = Double(arguments.intOption("seconds", 2))
        let size = arguments.intOption("size", 1_024)
        let recoveryRecords = arguments.intOption("recovery-records", 1_000_000)
        let root = arguments.firstIndex(of: "--dir").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
            ?? "/tmp/eventrouter-bench-journal-\(getpid())"
        mkdir(root, 0o755)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let record = JournalRecord(type: 1, payload: payload)
        Console.out("journal: records of \(size) B, \(Int(seconds)) s per case, folder \(root)")
        crcThroughput()

        Console.out("\n" + column("fsync", -8) + column("appenders", 10) + column("appends/s", 12) + column("records/s", 12)
            + column("MiB/s", 8) + column("fsyncs", 9) + column("records/fsync", 15))
        var case_ = 0
        for mode in [FsyncMode.always, .batch, .off] {
            for appenders in [1, 8, 64] {
                case_ += 1
                let folder = root + "/case-\(case_)"
                mkdir(folder, 0o755)
                let writer = try JournalWriter(directory: folder, firstSegment: 1, configuration: .init(fsync: mode))
                let before = writer.statistics
                let clock = ContinuousClock()
                let start = clock.now
                let deadline = start + .milliseconds(Int(seconds * 1_000))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<appenders {
                        group.addTask { while clock.now < deadline { try await writer.append([record]) } }
                    }
                    try await group.waitForAll()
                }
                let elapsed = (clock.now - start).seconds
                let after = writer.statistics
                await writer.close()
                let appends = after.appends - before.appends, records = after.records - before.records
                let syncs = after.syncs - before.syncs
                Console.out(column(mode.rawValue, -8) + column(String(appenders), 10) + column(String(Int(Double(appends) / elapsed)), 12)
                    + column(String(Int(Double(records) / elapsed)), 12)
                    + column(String(Int(Double(after.bytes - before.bytes) / elapsed / 1_048_576)), 8) + column(String(syncs), 9)
                    + column(mode == .off || syncs == 0 ? "-" : format1(Double(records) / Double(syncs)), 15))
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
        try await recovery(records: recoveryRecords, record: record, in: root + "/recovery")
    }

    private static func crcThroughput() {
        let clock = ContinuousClock()
        for size in [1_024, 65_536] {
            let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            let rounds = (256 << 20) / size
            var results: [String] = []
            var paths: [(String, (UnsafeRawBufferPointer, UInt32) -> UInt32)] = [("slicing-by-8", CRC32C.checksumSlicingBy8(_:continuing:)), ("bytewise", CRC32C.checksumBytewise(_:continuing:))]
            if CRC32C.usesHardware { paths.insert(("CPU instruction", CRC32C.checksumHardware(_:continuing:)), at: 0) }
            for (name, function) in paths {
                var crc: UInt32 = 0
                let start = clock.now
                data.withUnsafeBytes { raw in for _ in 0..<rounds { crc = function(raw, crc) } }
                let elapsed = (clock.now - start).seconds
                results.append("\(name) \(Int(Double(rounds * size) / elapsed / 1_048_576)) MiB/s (crc \(String(crc, radix: 16)))")
            }
            Console.out("CRC-32C on \(size) B buffers: " + results.joined(separator: ", "))
        }
    }

    private static func recovery(records count: Int, record: JournalRecord, in folder: String) async throws {
        mkdir(folder, 0o755)
        let clock = ContinuousClock()
        var start = clock.now
        let (journal, _) = try Journal.open(in: folder, configuration: .init(fsync: .off), snapshot: { _ in }, record: { _ in })
        var pending: [JournalAppend] = []
        for i in 0..<count {
            pending.append(journal.writer.submit([record]))
            if pending.count == 1_000 || i == count - 1 {
                for append in pending { _ = try await append.stored() }
                pending.removeAll(keepingCapacity: true)
            }
        }
        await journal.close()
        let written = (clock.now - start).seconds
        let bytes = try FileManager.default.contentsOfDirectory(atPath: folder + "/journal")
            .reduce(Int64(0)) { $0 + ((try? FileManager.default.attributesOfItem(atPath: folder + "/journal/" + $1)[.size] as? Int64) ?? 0) }
        Console.out("\nrecovery: wrote \(count) records (\(bytes / 1_048_576) MiB in \(bytes / (64 << 20) + 1) segments) in \(format1(written)) s; peak RSS before reading \(peakRSS() / 1_024) MiB")
        start = clock.now
        var seen = 0, total = 0
        let (reopened, summary) = try Journal.open(in: folder, configuration: .init(fsync: .batch), snapshot: { _ in }) { record in
            seen += 1
            total &+= record.payload.count
        }
        let elapsed = (clock.now - start).seconds
        await reopened.close()
        Console.out("recovery: read \(seen) records (\(summary)) in \(String(format: "%.3f", elapsed)) s = \(Int(Double(seen) / elapsed)) records/s; peak RSS \(peakRSS() / 1_024) MiB")
        if seen != count || total != count * record.payload.count { throw JournalError("recovery read \(seen) records, wrote \(count)") }
    }

    /// The process's peak resident set (VmHWM) in KiB.
    static func peakRSS() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    private static func format1(_ value: Double) -> String { String(Double(Int(value * 10)) / 10) }

    /// `text` padded to `width` columns: on the left for a positive width, on the right for a negative one.
    private static func column(_ text: String, _ width: Int) -> String {
        let fill = String(repeating: " ", count: max(0, abs(width) - text.count))
        return width < 0 ? text + fill : fill + text
    }
}
