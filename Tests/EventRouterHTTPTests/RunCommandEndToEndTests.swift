#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import EventRouterHTTP
import EventRouterTesting

/// Runs the built `eventrouter run --port 0` binary: listening line, health, STS, SIGTERM → 0.
@Suite struct RunCommandEndToEndTests {
    /// `eventrouter` next to the test bundle in the build folder.
    static var binary: String { BuiltExecutable.path("eventrouter") }

    /// The repository root (the example workspace).
    static var repository: String {
        let file = #filePath
        return file.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
    }

    @Test func servesHealthAndSTSThenExitsZeroOnSIGTERM() async throws {
        let binary = Self.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--in-memory", "--workspace", Self.repository]) })
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        let portText = try #require(line?.hasPrefix(prefix) == true ? line?.dropFirst(prefix.count) : nil, "first line: \(line ?? "none")")
        let port = try #require(Int(portText))
        let (health, identity) = await offPool { () -> (TestResponse?, TestResponse?) in
            let socket = LoopbackSocket(port: port)
            socket?.send("GET /_eventrouter/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let health = socket?.readResponse()
            let body = "Action=GetCallerIdentity&Version=2011-06-15"
            socket?.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=210987654321/20240102/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return (health, socket?.readResponse())
        }
        #expect(health?.status == 200)
        #expect(health?.body == #"{"status":"ready"}"#)
        #expect(identity?.status == 200)
        #expect(identity?.body.contains("<Account>210987654321</Account>") == true)
        kill(process.pid, SIGTERM)
        let status = await offPool { process.waitForExit() }
        #expect(status == 0)
    }

    @Test func refusesToStartOnAnInvalidWorkspace() async throws {
        let binary = Self.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let folder = "/tmp/eventrouter-run-test-\(getpid())"
        mkdir(folder, 0o755)
        mkdir(folder + "/Rules", 0o755)
        let file = fopen(folder + "/Rules/bad.json", "w")
        fputs(#"{"Queues": [{"QueueName": 12}]}"#, file)
        fclose(file)
        defer {
            unlink(folder + "/Rules/bad.json")
            rmdir(folder + "/Rules")
            rmdir(folder)
        }
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--in-memory", "--workspace", folder]) })
        let errors = await offPool { process.readAllErrors() }
        let status = await offPool { process.waitForExit() }
        #expect(status == 1)
        #expect(errors.contains("bad.json"))
        #expect(errors.contains("not starting"))
    }
}

/// A child process with stdout and stderr piped, spawned with an empty signal mask (threads
/// other than main block SIGTERM, and children inherit the mask).
final class SpawnedProcess: @unchecked Sendable {  // used by one thread at a time
    let pid: pid_t
    private let stdout: Int32
    private let stderr: Int32
    private var buffered: [UInt8] = []

    init?(_ path: String, _ arguments: [String]) {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, outPipe[0])
        posix_spawn_file_actions_addclose(&actions, errPipe[0])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else { return nil }
        pid = child
        stdout = outPipe[0]
        stderr = errPipe[0]
    }

    deinit {
        close(stdout)
        close(stderr)
    }

    /// The next line of stdout, or `nil` at end of file.
    func readLine() -> String? {
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(stdout, &chunk, chunk.count)
            guard n > 0 else { return nil }
            buffered.append(contentsOf: chunk[0..<n])
        }
    }

    /// Everything on stderr until end of file.
    func readAllErrors() -> String {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(stderr, &chunk, chunk.count)
            guard n > 0 else { return String(decoding: all, as: UTF8.self) }
            all.append(contentsOf: chunk[0..<n])
        }
    }

    /// The exit status (or 128 + signal).
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
