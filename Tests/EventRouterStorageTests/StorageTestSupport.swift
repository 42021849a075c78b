#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import EventRouterStorage
import Foundation
import Synchronization

/// A fresh folder under /tmp, removed by ``remove()``.
struct TemporaryFolder {
    let path: String

    init() {
        var template = Array("/tmp/eventrouter-storage-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    func remove() {
        chmod(path, 0o755)
        try? FileManager.default.removeItem(atPath: path)
    }

    func bytes(_ name: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path + "/" + name) ?? Data()) }

    func write(_ name: String, _ bytes: [UInt8]) { _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes)) }

    func names(_ folder: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + folder)) ?? []).sorted() }
}

/// The real file operations with a counter of `fsync`s, a gate that holds the next `fsync` until
/// released, and writes or `fsync`s that fail with an errno on demand (after writing a part).
final class TestFileOperations: JournalFileOperations {
    private struct State {
        var syncs = 0
        var writeFailure: (code: Int32, afterBytes: Int)?
        var syncFailure: Int32?
        var gate: (entered: DispatchSemaphore, release: DispatchSemaphore)?
    }
    private let state = Mutex(State())
    private let system = SystemFileOperations()

    var syncs: Int { state.withLock { $0.syncs } }

    /// Later writes write `afterBytes` bytes, then fail with `code` (`nil`: writes succeed again).
    func failWrites(_ code: Int32?, afterBytes: Int = 0) { state.withLock { $0.writeFailure = code.map { ($0, afterBytes) } } }
    /// Later `fsync`s fail with `code` (`nil`: they succeed again).
    func failSyncs(_ code: Int32?) { state.withLock { $0.syncFailure = code } }

    /// The next `fsync` signals `entered`, then waits for `release`.
    func holdNextSync() -> (entered: DispatchSemaphore, release: DispatchSemaphore) {
        let gate = (entered: DispatchSemaphore(value: 0), release: DispatchSemaphore(value: 0))
        state.withLock { $0.gate = gate }
        return gate
    }

    func open(_ path: String) throws(SystemError) -> Int32 { try system.open(path) }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(SystemError) {
        if let failure = state.withLock({ $0.writeFailure }) {
            let part = min(failure.afterBytes, bytes.count)
            if part > 0 { try system.write(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<part]), at: offset) }
            throw SystemError(failure.code)
        }
        try system.write(fd, bytes, at: offset)
    }

    func sync(_ fd: Int32) throws(SystemError) {
        let (gate, failure) = state.withLock { state in
            state.syncs += 1
            defer { state.gate = nil }
            return (state.gate, state.syncFailure)
        }
        if let gate {
            gate.entered.signal()
            gate.release.wait()
        }
        if let failure { throw SystemError(failure) }
        try system.sync(fd)
    }

    func truncate(_ fd: Int32, to length: Int64) throws(SystemError) { try system.truncate(fd, to: length) }
    func close(_ fd: Int32) { system.close(fd) }
    func syncDirectory(_ path: String) throws(SystemError) { try system.syncDirectory(path) }
}

/// Waits for `semaphore` on a thread of its own (never blocking the cooperative pool).
func waitOffPool(_ semaphore: DispatchSemaphore) async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        Thread {
            semaphore.wait()
            done.resume()
        }.start()
    }
}

/// Record `i` of a test journal: type 1…, payload "record i" padded.
func testRecord(_ i: Int, size: Int = 24) -> JournalRecord {
    var payload = Array("record \(i) ".utf8)
    while payload.count < size { payload.append(UInt8(ascii: "a") + UInt8(payload.count % 26)) }
    return JournalRecord(type: UInt8(1 + i % 200), payload: payload)
}

/// Every record of a segment file, read without cutting anything.
func recordsIn(_ path: String, number: UInt64 = 1) throws -> [JournalRecord] {
    var records: [JournalRecord] = []
    _ = try JournalReader.readSegment(path, number: number, isNewest: true, cutTornTail: false) { records.append($0) }
    return records
}
