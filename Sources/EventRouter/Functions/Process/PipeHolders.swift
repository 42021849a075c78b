#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Finds and kills the processes that still hold a handler's pipe after its process group was
/// killed: descendants that left the group (`setsid`) but kept the pipe, which only a handler
/// can have given them. Linux only (`/proc`); elsewhere nothing is found.
enum PipeHolders {
    /// The pipe inode behind `fd`, or nil.
    static func inode(_ fd: Int32) -> UInt64? {
        var info = stat()
        guard fd >= 0, fstat(fd, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    /// Whether a non-blocking read end has reached end of file (no writer is left). May
    /// consume a byte, so call once the output has been read.
    static func isAtEndOfFile(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 0
    }

    /// Sends SIGKILL to every other process with a descriptor on one of the pipes `inodes`;
    /// returns their pids.
    @discardableResult
    static func terminate(holding inodes: Set<UInt64>) -> [pid_t] {
        guard !inodes.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let targets = Set(inodes.map { "pipe:[\($0)]" })
        let me = getpid()
        var killed: [pid_t] = []
        var link = [CChar](repeating: 0, count: 64)
        for entry in entries {
            guard let pid = pid_t(entry), pid != me,
                  let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(entry)/fd") else { continue }
            for fd in fds {
                let n = readlink("/proc/\(entry)/fd/\(fd)", &link, link.count - 1)
                guard n > 0 else { continue }
                if targets.contains(String(decoding: link[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)) {
                    _ = kill(pid, SIGKILL)
                    killed.append(pid)
                    break
                }
            }
        }
        return killed
    }
}
