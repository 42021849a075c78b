import Foundation

/// The one pool of threads that runs process functions' blocking I/O (spawn, pipe loops,
/// `waitpid`), off Swift's cooperative pool.
///
/// Threads start on demand up to ``capacity`` and end after ``idleTimeout`` without work; work
/// beyond the capacity waits its turn in order. The capacity follows the accounts' concurrency
/// limits (``FunctionHost`` raises it to their sum; default ``AccountConcurrency/defaultLimit``),
/// and every invocation holds at most one pool thread at a time, so an admitted invocation never
/// waits for a thread and 1,500 queued events never mean 1,500 threads. Dispatch's global
/// queues are not used: on Linux they are capped near the core count, so a few handlers
/// blocked in `read` would starve every other invocation.
public final class BlockingIOPool: @unchecked Sendable {
    /// The pool of this process.
    public static let shared = BlockingIOPool(capacity: AccountConcurrency.defaultLimit)

    /// How long an idle thread waits for work before it ends (real time: threads are a
    /// resource of the host, not part of any simulated schedule).
    public static let idleTimeout: TimeInterval = 5

    // `@unchecked`: every field below is read and written only under `condition`.
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var maxThreads: Int
    private var threads = 0
    private var idle = 0
    private var peak = 0

    /// - Parameter capacity: the most threads at once.
    public init(capacity: Int) { maxThreads = max(1, capacity) }

    /// The most threads the pool may run at once.
    public var capacity: Int { condition.withLock { maxThreads } }

    /// Threads alive now, and the most ever alive at once.
    public var threadCounts: (current: Int, peak: Int) { condition.withLock { (threads, peak) } }

    /// Raises the capacity to at least `n` (it never shrinks, so work in flight keeps its threads).
    public func ensureCapacity(_ n: Int) { condition.withLock { maxThreads = max(maxThreads, n) } }

    /// Runs `work` on a pool thread (now, or when one is free).
    public func submit(_ work: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(work)
        if idle > 0 { condition.signal() }
        // Each waiting piece of work needs a thread of its own: idle threads already woken may
        // be taken by earlier work.
        if queue.count - head > idle && threads < maxThreads {
            threads += 1
            peak = max(peak, threads)
            let thread = Thread { [self] in runWorker() }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        condition.unlock()
    }

    /// Runs blocking `work` on a pool thread and resumes the caller with its result.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            submit { continuation.resume(returning: work()) }
        }
    }

    private func runWorker() {
        condition.lock()
        while true {
            if head < queue.count {
                let work = queue[head]
                head += 1
                if head > 64 && head * 2 > queue.count {
                    queue.removeFirst(head)
                    head = 0
                }
                condition.unlock()
                work()
                condition.lock()
                continue
            }
            idle += 1
            let woken = condition.wait(until: Date(timeIntervalSinceNow: Self.idleTimeout))
            idle -= 1
            if !woken && head >= queue.count { break }
        }
        threads -= 1
        condition.unlock()
    }
}
