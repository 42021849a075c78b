#if canImport(Glibc)
import Glibc
#endif
import EventRouter
import EventRouterHTTP
import Foundation
import Synchronization

/// `eventrouter-bench http`: a native keep-alive load generator against the HTTP server.
///
/// Each of N connections runs on a thread of its own and keeps one request outstanding (a
/// closed loop, as SDK clients do). Targets: `health`, `sts` (GetCallerIdentity) and
/// `put-events` (EventBridge PutEvents of `--entries` entries, default 10, on the bus `bench`,
/// which the workspace Tests/ClientSuite/bench/workspace routes to the SQS queue `bench-target`).
/// Without `--port` it serves in process (`put-events`: that workspace through ``RouterServer``)
/// and reports the process's CPU; with `--port P --server-pid PID` it drives a running
/// `eventrouter run` and splits CPU between client and server (getrusage and /proc/PID/stat).
/// Any answer other than 200 is counted as an error.
enum HTTPBenchmark {
    static let summary = "Requests/s and latency of the HTTP server over keep-alive connections"

    static func run(_ arguments: [String]) async throws {
        if arguments.contains("--help") {
            Console.out("Usage: eventrouter-bench http [--connections N] [--seconds S] [--target health|sts|put-events] [--entries N] [--idle N]\n"
                + "                          [--workspace DIR] [--port P --server-pid PID]")
            return
        }
        let connections = max(1, arguments.intOption("connections", 8))
        let seconds = max(1, arguments.intOption("seconds", 5))
        let target = arguments.firstIndex(of: "--target").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } ?? "health"
        let externalPort = arguments.intOption("port", 0)
        let serverPid = arguments.intOption("server-pid", 0)
        let idleCount = max(0, arguments.intOption("idle", 0))
        let entries = min(10, max(1, arguments.intOption("entries", 10)))
        let request = requestText(target: target, entries: entries)
        var server: RouterServer?
        var port = externalPort
        if externalPort == 0 {
            let directory = arguments.firstIndex(of: "--workspace").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
                ?? "Tests/ClientSuite/bench/workspace"
            let result = target == "put-events" ? WorkspaceLoader.validate(directory: directory) : WorkspaceLoader.validate(files: [])
            guard let workspace = result.workspace else {
                throw HTTPServerBenchError("cannot load the workspace \(directory): \(result.problems.map(\.description).joined(separator: "\n"))")
            }
            var options = RouterServer.Options()
            options.port = 0
            server = try RouterServer(workspace: workspace, options: options)
            port = server!.port
        }
        let localServer = server
        let boundPort = port
        async let serving: Void = localServer?.run() ?? ()
        let idle = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: openIdle(idleCount, port: boundPort)) }.start()
        }
        defer { idle.forEach { close($0) } }
        let serverCPUBefore = processCPU(pid: serverPid)
        let cpuBefore = selfCPU()
        let started = monotonicNanoseconds()
        let runs: [Run] = await withTaskGroup(of: Run.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread { continuation.resume(returning: drive(port: boundPort, request: Array(request.utf8), until: started + UInt64(seconds) * 1_000_000_000)) }.start()
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = Double(monotonicNanoseconds() - started) / 1e9
        let cpu = selfCPU() - cpuBefore
        let serverCPU = processCPU(pid: serverPid) - serverCPUBefore
        localServer?.shutdown()
        await serving
        var all = runs.flatMap(\.latencies)
        let errors = runs.reduce(0) { $0 + $1.errors }
        all.sort()
        guard !all.isEmpty else { throw HTTPServerBenchError("no request was answered (is a server listening on port \(port)?)") }
        func percentile(_ p: Double) -> String { String(format: "%.3f", Double(all[min(all.count - 1, Int(Double(all.count) * p))]) / 1e6) }
        Console.out("target \(target), \(connections) keep-alive connections (+\(idle.count) idle ones, each answered once), \(String(format: "%.1f", elapsed)) s")
        Console.out("requests/s  \(Int(Double(all.count) / elapsed))   (\(all.count) answered 200, \(errors) other answers)")
        if target == "put-events" {
            Console.out("entries/s   \(Int(Double(all.count * entries) / elapsed))   (\(entries) entries per PutEvents, routed to the SQS queue bench-target)")
        }
        Console.out("latency ms  p50 \(percentile(0.5))  p99 \(percentile(0.99))  max \(percentile(1.0))")
        if serverPid > 0 {
            Console.out(String(format: "CPU s       client %.2f  server %.2f  (of %.1f s wall on %d cores)", cpu, serverCPU, elapsed, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        } else {
            Console.out(String(format: "CPU s       client+server (one process) %.2f  (of %.1f s wall on %d cores)", cpu, elapsed, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        }
    }

    /// Opens `count` connections, sends one request on each and reads its answer, and leaves them open.
    private static func openIdle(_ count: Int, port: Int) -> [Int32] {
        let request = Array("GET /_eventrouter/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        var open: [Int32] = []
        for _ in 0..<count {
            guard let fd = connectLoopback(port: port) else { break }
            var buffer = [UInt8](repeating: 0, count: 1024)
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count,
                  buffer.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 else {
                close(fd)
                break
            }
            open.append(fd)
        }
        return open
    }

    /// What one connection measured.
    struct Run: Sendable {
        var latencies: [UInt64] = []
        var errors = 0
    }

    /// The request each connection repeats.
    private static func requestText(target: String, entries: Int) -> String {
        func signed(_ service: String, _ contentType: String, _ extra: String, _ body: String) -> String {
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n\(extra)"
                + "Authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240102/us-east-1/\(service)/aws4_request, SignedHeaders=host, Signature=00\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
        switch target {
        case "sts":
            return signed("sts", "application/x-www-form-urlencoded; charset=utf-8", "", "Action=GetCallerIdentity&Version=2011-06-15")
        case "put-events":
            let entry = #"{"EventBusName":"bench","Source":"bench","DetailType":"Tick","Detail":"{\"n\":1,\"item\":\"widget\"}"}"#
            let body = #"{"Entries":["# + Array(repeating: entry, count: entries).joined(separator: ",") + "]}"
            return signed("events", "application/x-amz-json-1.1", "X-Amz-Target: AWSEvents.PutEvents\r\n", body)
        default:
            return "GET /_eventrouter/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        }
    }

    /// One connection's closed loop; returns each answered request's latency in nanoseconds and
    /// the number of answers that were not 200 (or, for PutEvents, had failed entries).
    private static func drive(port: Int, request: [UInt8], until deadline: UInt64) -> Run {
        var run = Run()
        guard let fd = connectLoopback(port: port) else { return run }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let ok = Array("HTTP/1.1 200".utf8)
        let failed = Array(#""FailedEntryCount":0"#.utf8)
        let checkEntries = request.count > 40 && String(decoding: request.prefix(400), as: UTF8.self).contains("PutEvents")
        while true {
            let start = monotonicNanoseconds()
            if start >= deadline { return run }
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return run }
            var received = 0, needed = Int.max
            while received < needed {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + received, $0.count - received, 0) }
                guard n > 0 else { return run }
                received += n
                if needed == Int.max, let total = responseLength(buffer, received) { needed = total }
            }
            var good = buffer.starts(with: ok)
            if good && checkEntries { good = contains(buffer[0..<received], failed) }
            if good { run.latencies.append(monotonicNanoseconds() - start) } else { run.errors += 1 }
        }
    }

    private static func contains(_ bytes: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        var i = bytes.startIndex
        while i <= bytes.endIndex - needle.count {
            if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// A blocking TCP connection to 127.0.0.1:`port` with `TCP_NODELAY`, or `nil`.
    static func connectLoopback(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// The whole response length once its head has arrived.
    static func responseLength(_ bytes: [UInt8], _ count: Int) -> Int? {
        guard count >= 4 else { return nil }
        for i in 3..<count where bytes[i] == 0x0A && bytes[i - 1] == 0x0D && bytes[i - 2] == 0x0A && bytes[i - 3] == 0x0D {
            let head = String(decoding: bytes[0..<i], as: UTF8.self).lowercased()
            guard let range = head.range(of: "content-length: ") else { return i + 1 }
            let digits = head[range.upperBound...].prefix { $0.isNumber }
            return i + 1 + (Int(digits) ?? 0)
        }
        return nil
    }

    static func monotonicNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    private static func selfCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// utime + stime of another process from /proc (0 when not given).
    private static func processCPU(pid: Int) -> Double {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

struct HTTPServerBenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
