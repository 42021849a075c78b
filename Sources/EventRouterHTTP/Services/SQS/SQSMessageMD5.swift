import EventRouter

/// The digests SQS returns with messages, exactly as AWS computes them (wire.md §7.1), which
/// the Java, .NET, PHP, Ruby and Go SDKs check.
enum SQSMessageMD5 {
    /// `MD5OfMessageBody` / `MD5OfBody`: lowercase hex MD5 of the body's UTF-8 bytes.
    static func body(_ body: String) -> String { Hex.encode(MD5.digest(body.utf8)) }

    /// `MD5OfMessageAttributes` (and `MD5OfMessageSystemAttributes`): attributes sorted by name
    /// in byte order; each adds its name, its full data type (length-prefixed, big-endian
    /// 32-bit lengths), a transport byte (1 for String and Number, 2 for Binary) and its value.
    /// `nil` for no attributes (SDKs reject the digest of an empty buffer).
    static func attributes(_ attributes: [String: MessageAttributeValue]) -> String? {
        guard !attributes.isEmpty else { return nil }
        var buffer: [UInt8] = []
        for name in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let value = attributes[name] else { continue }
            append(Array(name.utf8), to: &buffer)
            append(Array(value.dataType.utf8), to: &buffer)
            if value.baseType == "Binary" {
                buffer.append(2)
                append(value.binaryValue ?? [], to: &buffer)
            } else {
                buffer.append(1)
                append(Array((value.stringValue ?? "").utf8), to: &buffer)
            }
        }
        return Hex.encode(MD5.digest(buffer))
    }

    private static func append(_ bytes: [UInt8], to buffer: inout [UInt8]) {
        let count = UInt32(truncatingIfNeeded: bytes.count)
        buffer += [UInt8(count >> 24), UInt8(truncatingIfNeeded: count >> 16), UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)]
        buffer += bytes
    }
}
