/// An IPv4 or IPv6 network: the address bytes (4 or 16) and the prefix length.
///
/// Normal form: the host bits of ``address`` are zero (`10.0.0.7/24` is stored as
/// `10.0.0.0/24`); ``prefixLength`` is `0...32` for IPv4 and `0...128` for IPv6 (the full
/// length only for a plain IP-address string value; `cidr` itself accepts up to 31 and 127).
public struct CIDRBlock: Sendable, Hashable {
    /// The network address: 4 bytes (IPv4) or 16 bytes (IPv6), host bits zero.
    public var address: [UInt8]
    /// The number of leading bits that must equal ``address``.
    public var prefixLength: Int
    /// A block from already-masked bytes (no validation; see ``init(parsing:)``).
    public init(address: [UInt8], prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Whether the address `bytes` (same family, 4 or 16 bytes) lies in this block.
    public func contains(addressBytes bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == address.count else { return false }
        var bits = prefixLength
        var i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if bytes[i] & mask != address[i] { return false }
            bits -= 8
            i += 1
        }
        return true
    }

    /// Whether `text` is an IPv4 or IPv6 address literal inside this block.
    public func contains(_ text: String) -> Bool {
        var storage: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &storage) { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            guard let n = IPAddressParser.parse(text, into: buffer) else { return false }
            return contains(addressBytes: UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
