#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking pipe I/O for process functions. Everything here runs on the process-I/O pool (``ChildProcess/offPool(_:)``, ``BlockingIOPool``).
enum ProcessExchange {
    /// What a per-invocation process produced.
    struct Output: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// Whether stdout passed `responseLimit` (the process group was killed at that point).
        var stdoutOverflowed = false
    }

    /// The most stderr kept for error messages.
    static let stderrLimit = 8192

    /// Writes `input` to stdin (then closes it) while reading stdout and stderr, with `poll`
    /// so a chatty child never deadlocks on a full pipe, until the process exits; then reads
    /// what its pipes already hold, kills its group (background children die with the
    /// invocation), closes our pipe ends and reaps it. End of file is never awaited: a
    /// descendant that left the group and holds the pipe cannot hold the invocation too.
    /// Stdout beyond `responseLimit` bytes kills the group at once.
    static func run(_ process: ChildProcess, input: [UInt8], responseLimit: Int) -> Output {
        var fds = [process.stdinFD, process.stdoutFD, process.stderrFD]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var written = 0
        var output = Output(status: 0, stdout: [], stderr: [])
        var buffer = [UInt8](repeating: 0, count: 65_536)
        func closeFD(_ i: Int) {
            if fds[i] >= 0 { close(fds[i]) }
            fds[i] = -1
        }
        /// Reads from pipe `i` once; the byte count, 0 when nothing was there, -1 at end of
        /// file, on an error or past the response limit (the pipe is then closed).
        func readOnce(_ i: Int) -> Int {
            let r = read(fds[i], &buffer, buffer.count)
            if r < 0 && (errno == EAGAIN || errno == EINTR) { return 0 }
            guard r > 0 else {
                closeFD(i)
                return -1
            }
            if i == 2 {
                output.stderr.append(contentsOf: buffer[0..<r])
                if output.stderr.count > stderrLimit * 2 { output.stderr.removeFirst(output.stderr.count - stderrLimit) }
                return r
            }
            output.stdout.append(contentsOf: buffer[0..<r])
            guard output.stdout.count <= responseLimit else {
                output.stdoutOverflowed = true
                process.killGroup()
                closeFD(1)
                return -1
            }
            return r
        }
        if input.isEmpty { closeFD(0) }
        while true {
            var polls = fds.enumerated().map { i, fd in pollfd(fd: fd, events: Int16(i == 0 ? POLLOUT : POLLIN), revents: 0) }
            polls.append(pollfd(fd: process.exit.fd, events: Int16(POLLIN), revents: 0))
            if poll(&polls, nfds_t(polls.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[0] >= 0, polls[0].revents != 0 {
                if polls[0].revents & Int16(POLLOUT) != 0 {
                    let w = input.withUnsafeBytes { raw in raw.baseAddress.map { write(fds[0], $0 + written, input.count - written) } ?? -1 }
                    if w > 0 { written += w }
                    if written >= input.count || (w < 0 && errno != EAGAIN && errno != EINTR) { closeFD(0) }
                } else {
                    closeFD(0)
                }
            }
            for i in 1...2 where fds[i] >= 0 && polls[i].revents != 0 { _ = readOnce(i) }
            if polls[3].revents != 0 { break }
        }
        // The process has exited, so its own output is in the pipes: at most one pipe's
        // capacity each (1 MiB, Linux's pipe-max-size). Kill the group first, so no member
        // adds more, then read that much.
        process.killGroup()
        for i in 1...2 where fds[i] >= 0 {
            var budget = 1 << 20
            while budget > 0 {
                let r = readOnce(i)
                if r <= 0 { break }
                budget -= r
            }
        }
        // Descendants that left the group but hold a pipe die too (the pipe is not at end of file).
        process.killPipeHolders(ifHeld: [fds[1], fds[2]])
        for i in 0...2 { closeFD(i) }
        output.status = process.reap()
        return output
    }

    /// The last `limit` characters of `bytes` as text, trimmed.
    static func tail(_ bytes: [UInt8], limit: Int = 1024) -> String {
        let slice = bytes.count > limit ? Array(bytes.suffix(limit)) : bytes
        var text = String(decoding: slice, as: UTF8.self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        return text
    }

    /// Writes all of `bytes` to a blocking descriptor; false when the reader is gone.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let w = bytes.withUnsafeBytes { raw in raw.baseAddress.map { write(fd, $0 + offset, bytes.count - offset) } ?? -1 }
            if w > 0 {
                offset += w
            } else if w < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
