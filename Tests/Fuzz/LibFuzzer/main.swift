// libFuzzer entry point for the targets of EventRouterFuzzing (not part of the package build:
// docs/fuzzing.md has the commands). The target is chosen by the environment variable
// FUZZ_TARGET (json, pattern, matcher, rulefile, transformer, replay).
import Dispatch
import EventRouterFuzzing
#if canImport(Glibc)
import Glibc
#endif

/// The chosen target, looked up once.
nonisolated(unsafe) private var chosen: (any FuzzTarget)?

/// Runs one input; a violated property aborts, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if chosen == nil {
        let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let t = FuzzTargets.named(name) else {
            fputs("set FUZZ_TARGET to one of: \(FuzzTargets.all.map(\.name).joined(separator: ", "))\n", stderr)
            exit(2)
        }
        chosen = t
    }
    guard let target = chosen, size <= target.maximumInputSize else { return -1 }
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // Targets are async (the replay target awaits the router); this thread is libFuzzer's, not the pool.
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var message: String?
    Task {
        do throws(FuzzFailure) { _ = try await target.run(input) } catch { message = error.message }
        done.signal()
    }
    done.wait()
    if let message {
        fputs("property violated: \(message)\n", stderr)
        abort()
    }
    return 0
}
