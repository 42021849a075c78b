import EventRouter
import EventRouterStorage
import Foundation
import Synchronization

/// The data directory's journal reader and the engine's recovery (docs/durability.md,
/// "Recovery"): the bytes of a journal segment file — a small valid segment the writer's framing
/// wrote, mutated — are read as the newest segment by ``JournalReader/readSegment(_:number:isNewest:cutTornTail:_:)``
/// with every record applied to a ``StateRecovery`` (and the queues restored), as `eventrouter
/// run --data-dir` starts. Each input is read twice: as it is (mostly CRC mismatches) and with
/// every frame's CRC-32C recomputed (so the record decoders see the damage).
///
/// Properties: never traps; either a recovered state, or a refusal whose message names the file
/// (and the offset, where it gives one, lies inside the file) with the file left exactly as it
/// was; a torn tail is cut where the reader says, a second read of the cut file finds the same
/// records and nothing torn; a valid segment cut anywhere (a crash in the middle of a write)
/// recovers exactly the records wholly before the cut.
struct JournalTarget: FuzzTarget {
    let name = "journal"
    let summary = "JournalReader + StateRecovery on a mutated segment: recovered, or refused naming the file and offset with the file unchanged; a torn tail (a cut anywhere) recovers the documented prefix"
    let maximumInputSize = 4096

    static let arn = "arn:aws:sqs:us-east-1:123456789012:orders"
    static let other = "arn:aws:sqs:us-east-1:123456789012:audit.fifo"

    /// The records of the seed: queues created, messages put (JSON format 1 and binary format 2),
    /// one removed, a queue purged.
    static let records: [JournalRecord] = {
        var records = [
            json(.queuePut, #"{"arn":"\#(arn)","Attributes":{"VisibilityTimeout":"30","MessageRetentionPeriod":"345600"}}"#),
            json(.queuePut, #"{"arn":"\#(other)","Attributes":{"FifoQueue":"true","ContentBasedDeduplication":"true"}}"#),
            json(.messagePut, #"{"arn":"\#(arn)","m":{"MessageId":"m-1","Body":"hello","MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}},"#
                 + #""Attributes":{"SentTimestamp":"1704067200000","ApproximateReceiveCount":"0"}}}"#),
        ]
        // message.put v2 (QueueRecordCodec's layout): version, queue ARN, then the message.
        var w = Binary()
        w.u8(1)
        w.string(other)
        w.bytes += message("m-2", body: #"{"order":7}"#, group: "g")
        records.append(JournalRecord(type: StateRecordType.messagePutBinary.rawValue, payload: w.bytes))
        records.append(json(.messageRemoved, #"{"arn":"\#(arn)","id":"m-1"}"#))
        records.append(json(.queuePurged, #"{"arn":"\#(other)"}"#))
        records.append(json(.messagePut, #"{"arn":"\#(arn)","m":{"MessageId":"m-3","Body":"é\u0000","Attributes":{"SentTimestamp":"1704067200001"}}}"#))
        return records
    }()

    /// Little-endian integers and length-prefixed strings, as the engine's binary records write them.
    struct Binary {
        var bytes: [UInt8] = []
        mutating func u8(_ v: UInt8) { bytes.append(v) }
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func string(_ s: String) { u32(UInt32(s.utf8.count)); bytes += s.utf8 }
    }

    /// A visible message in QueueRecordCodec's layout (ids, times, state, receipt, optional
    /// FIFO fields, one attribute).
    static func message(_ id: String, body: String, group: String?) -> [UInt8] {
        var w = Binary()
        w.string(id)
        w.string(body)
        for _ in 0..<3 { w.u64(1_704_067_200_000_000_000) }  // sent, enqueued, visible-at (ns)
        w.u8(1)  // visible
        w.u64(0)  // receipt nonce
        w.u32(0)  // receive count
        if let group {
            w.u8(4 | 8 | 16)  // MessageGroupId, MessageDeduplicationId, SequenceNumber
            w.string(group)
            w.string("d-" + id)
            w.string("00000000000000000001")
        } else {
            w.u8(0)
        }
        w.u32(1)
        w.string("attr")
        w.string("Number")
        w.u8(1)
        w.string("42")
        return w.bytes
    }

    /// A snapshot file (covering the segments before 2) whose payload is format 2: the binary
    /// queues section with one queue and one message, and a JSON streams section.
    static let snapshot: [UInt8] = {
        var queues = Binary()
        queues.u8(1)
        queues.u32(1)
        queues.string(arn)
        queues.string(#"{"VisibilityTimeout":"30"}"#)
        queues.string(#"{"Tags":{"team":"a"}}"#)
        queues.string("")
        queues.u64(0)
        queues.u64(1)
        let m = message("m-9", body: "snap", group: nil)
        queues.u32(UInt32(m.count))
        queues.bytes += m
        var payload = Binary(bytes: Array("ERSC".utf8))
        payload.u32(2)
        payload.string("queues")
        payload.u64(UInt64(queues.bytes.count))
        payload.bytes += queues.bytes
        payload.string("streams")
        payload.u64(2)
        payload.bytes += Array("{}".utf8)
        var file = Binary(bytes: SnapshotFile.magic)
        file.u32(SnapshotFile.version)
        file.u64(2)
        file.u64(UInt64(payload.bytes.count))
        file.u32(CRC32C.checksum(payload.bytes))
        return file.bytes + payload.bytes
    }()

    static func json(_ type: StateRecordType, _ text: String) -> JournalRecord {
        JournalRecord(type: type.rawValue, payload: Array(text.utf8))
    }

    /// Segment 1 holding `records`, framed as ``JournalWriter`` writes it.
    static func segment(_ records: [JournalRecord]) -> [UInt8] {
        var bytes = JournalRecordFrame.header(segment: 1)
        for record in records { JournalRecordFrame.encode(record, into: &bytes) }
        return bytes
    }

    var seeds: [[UInt8]] {
        let whole = Self.segment(Self.records)
        return [whole, Self.segment([]), Array(whole.dropLast(5)), Self.segment(Array(Self.records.prefix(3))), Self.snapshot]
    }

    var dictionary: [[UInt8]] {
        [[0, 0, 0, 0], [0xff, 0xff, 0xff, 0xff], [0, 0, 0, 4], [1, 0, 0, 0], [8], [3], [0], Array("ERJL".utf8), [2, 0, 0, 0],
         Array(#""arn":"#.utf8), Array(#""m":{"#.utf8), Array(#""MessageId":"#.utf8), Array(#""Body":"#.utf8), Array("null".utf8)]
    }

    /// One folder per execution under the temporary directory (removed after it).
    private static let folder = FileManager.default.temporaryDirectory.path + "/eventrouter-fuzz-journal-\(ProcessInfo.processInfo.processIdentifier)"
    private static let executions = Atomic<Int>(0)

    func run(_ input: [UInt8]) async throws(FuzzFailure) -> FuzzOutcome {
        let directory = Self.folder + "-\(Self.executions.add(1, ordering: .relaxed).newValue)"
        let result: Result<FuzzOutcome, FuzzFailure>
        do {
            result = try await StorageThread.run { () throws(JournalError) -> Result<FuzzOutcome, FuzzFailure> in
                guard mkdir(directory, 0o700) == 0 else { throw JournalError("cannot create \(directory): errno \(errno)") }
                defer { rmdir(directory) }
                return Result { () throws(FuzzFailure) -> FuzzOutcome in try Self.check(input, in: directory) }
            }
        } catch {
            throw FuzzFailure("the fuzz target's folder: \(error)")
        }
        return try result.get()
    }

    /// Reads `input` as it is, and resealed; then cuts a valid segment.
    static func check(_ input: [UInt8], in directory: String) throws(FuzzFailure) -> FuzzOutcome {
        if input.starts(with: SnapshotFile.magic) { return try checkSnapshot(input, in: directory) }
        let path = directory + "/00000000000000000001.journal"
        defer { unlink(path) }
        let raw = try read(input, at: path)
        let resealed = reseal(input)
        let sealed = resealed == input ? raw : try read(resealed, at: path)
        // A valid segment (every frame whole and CRC-valid), cut at a point taken from the input.
        if case .recovered(let boundaries, torn: false) = sealed, resealed.count > 0 {
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in input { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            let cut = Int(hash % UInt64(resealed.count))
            let prefix = Array(resealed[..<cut])
            let whole = boundaries.filter { $0 <= cut }
            guard case .recovered(let got, let torn) = try read(prefix, at: path) else {
                throw FuzzFailure("a valid segment cut at byte \(cut) of \(resealed.count) was refused")
            }
            let expected = cut < JournalRecordFrame.headerSize ? [] : whole
            try require(got == expected, "a valid segment cut at byte \(cut) recovered the records ending at \(got), expected \(expected)")
            try require(torn == (cut < JournalRecordFrame.headerSize || cut != (whole.last ?? JournalRecordFrame.headerSize)),
                        "a valid segment cut at byte \(cut): torn tail reported \(torn)")
        }
        if case .recovered = raw { return .accepted }
        if case .recovered = sealed { return .accepted }
        return .rejected
    }

    /// What reading one file gave.
    enum Read: Equatable {
        /// Recovered: the end offsets of the records read, and whether a torn tail was cut.
        case recovered([Int], torn: Bool)
        case refused
    }

    /// Writes `bytes` as segment 1 at `path`, recovers it as start-up does and checks the outcome.
    static func read(_ bytes: [UInt8], at path: String) throws(FuzzFailure) -> Read {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw FuzzFailure("cannot write \(path)") }
        var state = StateRecovery()
        var ends: [Int] = []
        let summary: JournalReader.SegmentSummary
        do {
            summary = try JournalReader.readSegment(path, number: 1, isNewest: true) { (record) throws(JournalError) in
                do { try state.apply(StateRecord(type: record.type, payload: record.payload)) } catch {
                    throw JournalError("\(error)")
                }
                ends.append((ends.last ?? JournalRecordFrame.headerSize) + JournalRecordFrame.frameOverhead + record.payload.count)
            }
        } catch {
            try require(error.message.contains(path), "a refusal that does not name the file: \(error.message)")
            for offset in offsets(in: error.message) {
                try require(offset >= 0 && offset <= bytes.count, "a refusal names offset \(offset) of a \(bytes.count)-byte file: \(error.message)")
            }
            let after = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
            try require(after == bytes, "a refused segment was changed (\(bytes.count) bytes became \(after?.count ?? -1)): \(error.message)")
            return .refused
        }
        let length = FileManager.default.contents(atPath: path).map(\.count)
        if let torn = summary.tornTail {
            try require(torn.offset == summary.validLength && torn.offset + torn.bytesDropped == Int64(bytes.count) && !torn.reason.isEmpty,
                        "torn tail \(torn) does not match the \(bytes.count)-byte file and valid length \(summary.validLength)")
            try require(torn.description.contains(path), "the torn-tail line does not name the file: \(torn)")
            if torn.offset == 0 {
                try require(length == nil, "a segment torn inside its header was not removed")
            } else {
                try require(length == Int(torn.offset), "the torn tail was cut to \(length ?? -1) bytes, not \(torn.offset)")
                // The cut file reads the same records and nothing torn.
                var again = StateRecovery()
                do {
                    let second = try JournalReader.readSegment(path, number: 1, isNewest: true) { (record) throws(JournalError) in
                        do { try again.apply(StateRecord(type: record.type, payload: record.payload)) } catch { throw JournalError("\(error)") }
                    }
                    try require(second.records == summary.records && second.tornTail == nil, "the cut file reads \(second), first \(summary)")
                } catch {
                    throw FuzzFailure("the cut file is refused: \(error)")
                }
            }
        } else {
            try require(summary.validLength == Int64(bytes.count) && length == bytes.count, "no torn tail, but \(summary.validLength) of \(bytes.count) bytes valid")
        }
        try require(summary.records == ends.count, "\(summary.records) records counted, \(ends.count) handed over")
        // The recovered queues restore (or say why not).
        do { _ = try state.restore(queues: QueueRegistry(clock: ManualClock(), seed: 1)) } catch {
            try require(!error.message.isEmpty, "a restore failure without a message")
        }
        return .recovered(ends, torn: summary.tornTail != nil)
    }

    /// Reads `input` as a snapshot file as it is and with its header's length and CRC-32C
    /// recomputed; a valid one cut anywhere is refused (snapshots are written whole or not at all).
    static func checkSnapshot(_ input: [UInt8], in directory: String) throws(FuzzFailure) -> FuzzOutcome {
        let path = directory + "/00000000000000000002.snapshot"
        defer { unlink(path) }
        var resealed = input
        if input.count >= SnapshotFile.headerSize {
            var header = Binary()
            header.u64(UInt64(input.count - SnapshotFile.headerSize))
            header.u32(CRC32C.checksum(Array(input[SnapshotFile.headerSize...])))
            resealed.replaceSubrange(16..<28, with: header.bytes)
        }
        let raw = try readSnapshot(input, at: path)
        let sealed = resealed == input ? raw : try readSnapshot(resealed, at: path)
        if sealed {
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in input { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            let cut = Int(hash % UInt64(resealed.count))
            try require(try !readSnapshot(Array(resealed[..<cut]), at: path), "a valid snapshot cut at byte \(cut) of \(resealed.count) was accepted")
        }
        return raw || sealed ? .accepted : .rejected
    }

    /// Writes `bytes` as the snapshot at `path` and recovers it as start-up does: true when
    /// recovered, false when refused naming the file with the file unchanged.
    static func readSnapshot(_ bytes: [UInt8], at path: String) throws(FuzzFailure) -> Bool {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw FuzzFailure("cannot write \(path)") }
        var state = StateRecovery()
        do {
            try SnapshotFile.withPayload(path, coveringBefore: 2) { (raw) throws(JournalError) in
                do { try state.applySnapshot(raw) } catch { throw JournalError("cannot recover the snapshot \(path): \(error)") }
            }
        } catch {
            try require(error.message.contains(path) && error.message.count > path.count + 20, "a snapshot refusal that does not name the file or say why: \(error.message)")
            let after = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
            try require(after == bytes, "a refused snapshot was changed: \(error.message)")
            return false
        }
        do { _ = try state.restore(queues: QueueRegistry(clock: ManualClock(), seed: 1)) } catch {
            try require(!error.message.isEmpty, "a restore failure without a message")
        }
        return true
    }

    /// The numbers that follow "offset " in `message`.
    static func offsets(in message: String) -> [Int] {
        message.components(separatedBy: "offset ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }

    /// `bytes` with every whole frame's CRC-32C recomputed (frames read from the header on while
    /// their lengths fit).
    static func reseal(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        var offset = JournalRecordFrame.headerSize
        while offset + JournalRecordFrame.frameOverhead <= out.count {
            let length = Int(UInt32(out[offset]) | UInt32(out[offset + 1]) << 8 | UInt32(out[offset + 2]) << 16 | UInt32(out[offset + 3]) << 24)
            let end = offset + JournalRecordFrame.frameOverhead + length
            guard length <= JournalRecordFrame.maximumPayload, end <= out.count else { break }
            let crc = CRC32C.checksum(Array(out[(offset + 8)..<end]))
            for k in 0..<4 { out[offset + 4 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
            offset = end
        }
        return out
    }
}
