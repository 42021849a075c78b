/// Names CloudFormation generates for resources without one: `STACK-LOGICALID-SUFFIX`, the
/// suffix 12 upper-case letters and digits. EventRouter's suffix is a hash of account, region,
/// stack and logical id, so importing again gives the same names.
enum PhysicalName {
    static func suffix(_ parts: String...) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for b in part.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x1f) &* 0x100_0000_01b3
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var out = ""
        for _ in 0..<12 {
            out.append(alphabet[Int(hash % 36)])
            hash /= 36
            if hash == 0 { hash = 0x9e37_79b9_7f4a_7c15 }
        }
        return out
    }

    /// `STACK-LOGICALID-SUFFIX` within `maximumLength` (the stack and logical id are shortened
    /// as CloudFormation does), with `ending` (`.fifo`) kept.
    static func generate(stack: String, logicalId: String, account: String, region: String, maximumLength: Int, ending: String = "") -> String {
        let suffix = Self.suffix(account, region, stack, logicalId)
        let room = max(maximumLength - suffix.count - 2 - ending.count, 2)
        var s = String(stack.prefix(room / 2 + max(0, room / 2 - logicalId.count)))
        let l = String(logicalId.prefix(room - s.count))
        if s.count + l.count < room { s = String(stack.prefix(room - l.count)) }
        return "\(s)-\(l)-\(suffix)\(ending)"
    }
}
