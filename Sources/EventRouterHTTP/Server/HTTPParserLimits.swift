/// Size limits that ``HTTPRequestParser`` enforces.
public struct HTTPParserLimits: Sendable {
    /// Request line plus header fields (and chunked trailers), in bytes; more is 431.
    public var maximumHeaderBytes: Int
    /// The body, in bytes; more is 413.
    public var maximumBodyBytes: Int
    /// The number of header fields; more is 431.
    public var maximumHeaderCount: Int

    public init(maximumHeaderBytes: Int = 16 * 1024, maximumBodyBytes: Int = 16 * 1024 * 1024, maximumHeaderCount: Int = 256) {
        self.maximumHeaderBytes = maximumHeaderBytes
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumHeaderCount = maximumHeaderCount
    }
}
