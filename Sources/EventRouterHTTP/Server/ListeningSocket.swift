#if canImport(Glibc)
import Glibc
#endif

/// A bound, listening, non-blocking TCP socket.
struct ListeningSocket: Sendable {
    let fd: Int32
    /// The port actually bound (the chosen one when 0 was asked).
    let port: Int

    /// Resolves `host`, binds `port` on it and listens.
    /// - Throws: ``HTTPServerError`` naming the address and the system's reason.
    init(host: String, port: Int) throws(HTTPServerError) {
        guard (0...65_535).contains(port) else { throw HTTPServerError("port \(port) is out of range; use 0 to 65535 (0 picks a free port)") }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let info = list else {
            throw HTTPServerError("cannot resolve host '\(host)': \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HTTPServerError("cannot create a socket: \(Self.reason())") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let why = Self.reason()
            close(fd)
            throw HTTPServerError("cannot bind \(host):\(port): \(why)")
        }
        guard listen(fd, SOMAXCONN) == 0 else {
            let why = Self.reason()
            close(fd)
            throw HTTPServerError("cannot listen on \(host):\(port): \(why)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let family = storage.ss_family
        let bound: UInt16 = withUnsafePointer(to: &storage) { p in
            if family == sa_family_t(AF_INET6) {
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
            }
            return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: bound))
    }

    /// The text of `errno`.
    static func reason() -> String { String(cString: strerror(errno)) }
}

/// The server could not start: the address, and why.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
