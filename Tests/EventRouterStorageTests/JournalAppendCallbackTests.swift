#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import EventRouterStorage
import Synchronization
import Testing

/// ``JournalAppend/whenStored(_:)``: the answer without a task (the HTTP server posts held-back
/// answers from it), and the writer's timing counters.
@Suite struct JournalAppendCallbackTests {
    /// What a callback saw: the outcome and the name of the thread it ran on.
    final class Seen: Sendable {
        let calls = Mutex<[(outcome: Result<JournalPosition, JournalError>, thread: String)]>([])
        let called = DispatchSemaphore(value: 0)

        func record(_ outcome: Result<JournalPosition, JournalError>) {
            calls.withLock { $0.append((outcome, Self.threadName())) }
            called.signal()
        }

        static func threadName() -> String {
            guard let file = fopen("/proc/thread-self/comm", "r") else { return "?" }
            defer { fclose(file) }
            var buffer = [CChar](repeating: 0, count: 32)
            guard fgets(&buffer, 32, file) != nil else { return "?" }
            return String(decoding: buffer.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The callback comes after the batch's `fsync` returns (not while it is held), once, on the
    /// writer's thread (named `er-journal`), with the position the append ended at; the timing
    /// counters count the held `fsync` as time in `fsync` and the wait before it as idle.
    @Test func theCallbackComesOnTheWriterThreadAfterTheFsync() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let operations = TestFileOperations()
        let writer = try JournalWriterTests.writer(.batch, operations, in: folder)
        let gate = operations.holdNextSync()
        let seen = Seen()
        let append = writer.submit([testRecord(1)])
        append.whenStored(seen.record)
        await waitOffPool(gate.entered)
        #expect(seen.calls.withLock { $0.isEmpty }, "no answer while the fsync is held")
        gate.release.signal()
        await waitOffPool(seen.called)
        let calls = seen.calls.withLock { $0 }
        #expect(calls.count == 1)
        #expect(calls.first?.thread == "er-journal")
        #expect(try calls.first?.outcome.get() == JournalPosition(segment: 1, offset: 16 + 9 + 24))
        #expect(try await append.stored() == JournalPosition(segment: 1, offset: 49), "stored() still answers after a callback")
        let statistics = writer.statistics
        #expect(statistics.syncNanoseconds > 0 && statistics.syncNanoseconds <= statistics.storeNanoseconds)
        #expect(statistics.summary.contains(" in fsync), "), "\(statistics.summary)")
        await writer.close()
        #expect(writer.statistics.sleeps >= 1, "the writer slept before the first append")
    }

    /// A failed `fsync` calls back with the error (nothing is acknowledged); an append already
    /// answered calls back at once, on the caller's thread.
    @Test func aFailureIsCalledBackAndAnAnsweredAppendCallsBackAtOnce() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let operations = TestFileOperations()
        let writer = try JournalWriterTests.writer(.always, operations, in: folder)
        operations.failSyncs(EIO)
        let failed = Seen()
        let append = writer.submit([testRecord(1)])
        append.whenStored(failed.record)
        await waitOffPool(failed.called)
        guard case .failure(let error)? = failed.calls.withLock({ $0.first?.outcome }) else {
            Issue.record("the failed fsync was answered as stored")
            return
        }
        #expect(error.code == EIO)
        #expect(error.message.hasPrefix("cannot store in the journal \(folder.path)/\(JournalWriterTests.segment): "), "\(error.message)")
        #expect(error.message.hasSuffix("; the request was not stored"))
        operations.failSyncs(nil)
        let stored = writer.submit([testRecord(2)])
        _ = try await stored.stored()
        let late = Seen()
        stored.whenStored(late.record)
        #expect(late.calls.withLock { $0.count } == 1, "called before whenStored returned")
        #expect(late.calls.withLock { $0.first?.thread } == Seen.threadName())
        await writer.close()
    }
}
