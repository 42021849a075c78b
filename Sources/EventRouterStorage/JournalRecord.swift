/// One journal record: a type byte the engine chooses (1…255; 0 is never written, so a run of
/// zero bytes never reads as a record) and its payload.
public struct JournalRecord: Sendable, Equatable {
    /// What the payload means to the engine (e.g. "message sent", "message deleted").
    public var type: UInt8
    /// The record's bytes (at most ``JournalRecordFrame/maximumPayload``).
    public var payload: [UInt8]

    /// A record of `type` (1…255) with `payload`.
    public init(type: UInt8, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }
}

/// How the journal reaches the disk.
public enum FsyncMode: String, Sendable, CaseIterable {
    /// One `fsync` per append: an `append` returns after its own records are on disk.
    case always
    /// Group commit: appends that arrive while a write is in progress are written together and
    /// share one `fsync`; each `append` returns after its batch is on disk.
    case batch
    /// No `fsync`: an `append` returns once the operating system has the bytes (they survive
    /// `kill -9`, not a power cut or kernel crash).
    case off

    /// The mode named `text`, or a message listing the choices.
    public static func named(_ text: String) -> Result<FsyncMode, JournalError> {
        if let mode = FsyncMode(rawValue: text) { return .success(mode) }
        return .failure(JournalError("--fsync must be one of always, batch, off, got '\(text)'"))
    }
}

/// Why the journal, a snapshot or the data directory cannot be used, saying where and what to do.
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The whole message.
    public var message: String
    /// The `errno` behind it, if a system call failed.
    public var code: Int32?

    /// An error with `message` (and the `errno` that caused it).
    public init(_ message: String, code: Int32? = nil) {
        self.message = message
        self.code = code
    }

    public var description: String { message }
}
