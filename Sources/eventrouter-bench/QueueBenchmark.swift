#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventRouter

/// `eventrouter-bench queues [--messages N] [--memory-messages N] [--skip-memory]`:
/// send+receive+delete throughput with 1 and 4 consumers (one producer sending batches of 10,
/// consumers receiving 10 at a time and deleting each), and resident memory per 1,000,000
/// queued 1 KB messages (RSS from /proc/self/statm before and after).
enum QueueBenchmark {
    static let summary = "SQS-style queue throughput (1 and 4 consumers) and memory per 1M queued 1 KB messages"

    static func run(_ arguments: [String]) async throws {
        var messages = 200_000
        var memoryMessages = 1_000_000
        var skipMemory = false
        var i = 0
        while i < arguments.count {
            switch arguments[i] {
            case "--messages" where i + 1 < arguments.count:
                messages = Int(arguments[i + 1]) ?? messages
                i += 1
            case "--memory-messages" where i + 1 < arguments.count:
                memoryMessages = Int(arguments[i + 1]) ?? memoryMessages
                i += 1
            case "--skip-memory": skipMemory = true
            case "--help", "-h":
                print("Usage: eventrouter-bench queues [--messages N (200000)] [--memory-messages N (1000000)] [--skip-memory]")
                return
            default:
                print("eventrouter-bench queues: unknown argument '\(arguments[i])'")
                return
            }
            i += 1
        }
        for consumers in [1, 4] {
            let rate = try await throughput(messages: messages, consumers: consumers)
            print("queues: send+receive+delete, \(consumers) consumer\(consumers == 1 ? "" : "s"): \(Int(rate)) messages/s (\(messages) messages)")
        }
        if !skipMemory {
            let (bytes, seconds) = try memory(messages: memoryMessages)
            let perMillion = Double(bytes) / Double(memoryMessages) * 1_000_000
            print("queues: memory for \(memoryMessages) queued 1 KB messages: \(bytes / 1_048_576) MiB RSS (\(Int(perMillion / 1_048_576)) MiB per 1,000,000; \(Int(Double(bytes) / Double(memoryMessages))) B/message; enqueued in \(format1(seconds)) s)")
        }
    }

    static func format1(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func seconds(since start: Timestamp) -> Double { (SystemClock().now - start).seconds }

    /// One producer, `consumers` consumers; returns messages per second through the whole cycle.
    static func throughput(messages: Int, consumers: Int) async throws -> Double {
        let registry = QueueRegistry(clock: SystemClock(), seed: 1)
        let queue = try registry.createQueue(QueueConfiguration(name: "bench-\(consumers)"))
        let body = String(repeating: "x", count: 256)
        let start = SystemClock().now
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                var sent = 0
                while sent < messages {
                    let n = min(10, messages - sent)
                    let batch = (0..<n).map { SendMessageBatchEntry(id: "e\($0)", body: body) }
                    _ = try await queue.sendMessageBatch(batch)
                    sent += n
                }
                return 0
            }
            let share = messages / consumers
            for c in 0..<consumers {
                let target = c == consumers - 1 ? messages - share * (consumers - 1) : share
                group.addTask {
                    var done = 0
                    while done < target {
                        let got = try await queue.receiveMessages(maxNumberOfMessages: min(10, target - done), waitTimeSeconds: 1)
                        for m in got where try await queue.deleteMessage(receiptHandle: m.receiptHandle) { done += 1 }
                    }
                    return done
                }
            }
            var total = 0
            for try await n in group { total += n }
            if total != messages { throw BenchmarkFailure(description: "queue benchmark lost messages: \(total) of \(messages) deleted") }
        }
        let elapsed = seconds(since: start)
        withExtendedLifetime(registry) {}
        return Double(messages) / elapsed
    }

    /// Resident set size in bytes (/proc/self/statm, second field × page size).
    static func residentBytes() -> Int {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var size = 0, resident = 0
        guard fscanf_statm(f, &size, &resident) else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func fscanf_statm(_ f: UnsafeMutablePointer<FILE>, _ size: inout Int, _ resident: inout Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, 256, f) != nil else { return false }
        let fields = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let s = Int(fields[0]), let r = Int(fields[1]) else { return false }
        size = s
        resident = r
        return true
    }

    /// Enqueues `messages` distinct 1 KB bodies on one queue and returns the RSS growth.
    static func memory(messages: Int) throws -> (bytes: Int, seconds: Double) {
        let registry = QueueRegistry(clock: SystemClock(), seed: 2)
        let queue = try registry.createQueue(QueueConfiguration(name: "memory"))
        let padding = String(repeating: "m", count: 1024 - 12)
        let before = residentBytes()
        let start = SystemClock().now
        for i in 0..<messages {
            var digits = String(i)
            digits = String(repeating: "0", count: 12 - digits.count) + digits
            _ = try queue.sendNow(body: digits + padding)
        }
        let elapsed = seconds(since: start)
        let after = residentBytes()
        withExtendedLifetime(registry) {}
        withExtendedLifetime(queue) {}
        return (after - before, elapsed)
    }
}

/// A benchmark run that went wrong (e.g. messages lost), reported instead of timing it.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}
