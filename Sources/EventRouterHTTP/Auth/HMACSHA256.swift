import EventRouter

/// HMAC-SHA256 (RFC 2104) over the project's own ``SHA256``.
public enum HMACSHA256 {
    /// The 32-byte MAC of `message` under `key`.
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5C })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// The MAC of the UTF-8 bytes of `message`.
    public static func authenticate(_ message: String, key: [UInt8]) -> [UInt8] { authenticate(Array(message.utf8), key: key) }
}
