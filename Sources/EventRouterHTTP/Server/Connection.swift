import EventRouter

/// One client connection, owned by the socket thread.
final class Connection {
    /// Where a connection is in its life.
    enum Phase {
        /// Reading (and parsing) the next request.
        case reading
        /// A handler is answering the request just read; reading is paused.
        case handling
        /// The last response is being written; then the write side closes.
        case draining
        /// The write side is closed; input is read and dropped until EOF, so the peer sees the
        /// response rather than a reset.
        case lingering
    }

    let id: UInt64
    let fd: Int32
    var parser: HTTPRequestParser
    var phase = Phase.reading
    var output: [UInt8] = []
    var outputOffset = 0
    var interest: UInt32 = 0
    /// Added to the epoll set.
    var registered = false
    /// The peer has closed its side.
    var endOfInput = false
    /// Keep the connection after the response in flight.
    var keepAlive = true
    /// The request in flight is a HEAD request.
    var headRequest = false
    var lastActivity: Timestamp
    var requestStarted: Timestamp?
    var lingerDeadline: Timestamp?

    init(id: UInt64, fd: Int32, limits: HTTPParserLimits, now: Timestamp) {
        self.id = id
        self.fd = fd
        parser = HTTPRequestParser(limits: limits)
        lastActivity = now
    }

    var hasPendingOutput: Bool { outputOffset < output.count }
}
