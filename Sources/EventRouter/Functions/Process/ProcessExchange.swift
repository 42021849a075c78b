#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking pipe I/O for process functions. Everything here runs on a dedicated thread (``ChildProcess/offPool(_:)``).
enum ProcessExchange {
    /// What a per-invocation process produced.
    struct Output: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    /// The most stderr kept for error messages.
    static let stderrLimit = 8192

    /// Writes `input` to stdin (then closes it) while reading stdout and stderr to EOF, with
    /// `poll` so a chatty child never deadlocks on a full pipe; then reaps the process.
    static func run(_ process: ChildProcess, input: [UInt8]) -> Output {
        var fds = [process.stdinFD, process.stdoutFD, process.stderrFD]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var written = 0
        var out: [UInt8] = []
        var err: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        if input.isEmpty {
            close(fds[0])
            fds[0] = -1
        }
        while fds[1] >= 0 || fds[2] >= 0 {
            var polls = fds.enumerated().map { i, fd in pollfd(fd: fd, events: Int16(i == 0 ? POLLOUT : POLLIN), revents: 0) }
            let n = poll(&polls, nfds_t(polls.count), -1)
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[0] >= 0, polls[0].revents != 0 {
                if polls[0].revents & Int16(POLLOUT) != 0 {
                    let w = input.withUnsafeBytes { raw in raw.baseAddress.map { write(fds[0], $0 + written, input.count - written) } ?? -1 }
                    if w > 0 { written += w }
                    if written >= input.count || (w < 0 && errno != EAGAIN && errno != EINTR) {
                        close(fds[0])
                        fds[0] = -1
                    }
                } else {
                    close(fds[0])
                    fds[0] = -1
                }
            }
            for i in 1...2 where fds[i] >= 0 && polls[i].revents != 0 {
                let r = read(fds[i], &buffer, buffer.count)
                if r > 0 {
                    if i == 1 { out.append(contentsOf: buffer[0..<r]) } else {
                        err.append(contentsOf: buffer[0..<r])
                        if err.count > stderrLimit * 2 { err.removeFirst(err.count - stderrLimit) }
                    }
                } else if r == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(fds[i])
                    fds[i] = -1
                }
            }
        }
        if fds[0] >= 0 { close(fds[0]) }
        return Output(status: process.waitForExit(), stdout: out, stderr: err)
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
