/// Why a `cidr` operand is not a valid network.
public struct CIDRParseError: Error, Sendable, Equatable {
    /// What is wrong and what to write instead.
    public var reason: String
}

extension CIDRBlock {
    /// Parses `a.b.c.d/n` (n in 0...31) or an IPv6 address with `/n` (n in 0...127) and clears
    /// the host bits (normal form). As in EventBridge, a full-length prefix (`/32`, `/128`) is
    /// rejected: a single address is written as a plain string value instead.
    /// - Throws: ``CIDRParseError`` saying what is wrong.
    public init(parsing text: String) throws(CIDRParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw CIDRParseError(reason: "\"\(text)\" is not a CIDR block; write an address, one '/' and a prefix length, as in 10.0.0.0/24")
        }
        guard let address = IPAddressParser.bytes(String(parts[0])) else {
            throw CIDRParseError(reason: "\"\(parts[0])\" is not an IPv4 or IPv6 address")
        }
        let maximum = address.count * 8 - 1
        guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }),
            let length = Int(parts[1]), length <= maximum
        else {
            throw CIDRParseError(
                reason: "the prefix length \"\(parts[1])\" must be a whole number from 0 to \(maximum) for an IPv\(address.count == 4 ? 4 : 6) address; to match a single address, give it as a plain string such as \"\(parts[0])\"")
        }
        var masked = address
        var bits = length
        for i in masked.indices {
            let keep: UInt8 = bits >= 8 ? 0xFF : (bits <= 0 ? 0 : ~(0xFF >> UInt8(bits)))
            masked[i] &= keep
            bits -= 8
        }
        self.init(address: masked, prefixLength: length)
    }
}
