/// Log group and log stream names: CloudWatch Logs' rules for them, their ARNs, and the safe
/// file-name form they take in a logs folder.
public enum LogGroupName {
    /// The longest name CloudWatch Logs accepts.
    public static let maximumLength = 512
    /// The longest file name most file systems accept (bytes).
    public static let maximumFileNameBytes = 255

    /// Why `name` is not a valid log group name (1–512 of `A–Z a–z 0–9 . - _ / #`), or `nil`.
    public static func groupNameProblem(_ name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= maximumLength else {
            return "log group name '\(name)' must be 1 to \(maximumLength) characters long"
        }
        guard name.utf8.allSatisfy({ isGroupNameByte($0) }) else {
            return "log group name '\(name)' may contain only letters, digits and . - _ / # (pattern [\\.\\-_/#A-Za-z0-9]+)"
        }
        return nil
    }

    /// Why `name` is not a valid log stream name (1–512 characters, no `:` or `*`), or `nil`.
    public static func streamNameProblem(_ name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= maximumLength else {
            return "log stream name '\(name)' must be 1 to \(maximumLength) characters long"
        }
        guard !name.contains(":"), !name.contains("*") else {
            return "log stream name '\(name)' must not contain ':' or '*' (pattern [^:*]*)"
        }
        return nil
    }

    private static func isGroupNameByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "#"):
            return true
        default: return false
        }
    }

    /// The log group a CloudWatch Logs ARN names: `arn:aws:logs:REGION:ACCOUNT:log-group:NAME`,
    /// optionally ending in `:*` (CloudFormation's `Fn::GetAtt LogGroup.Arn`); `nil` for any other ARN.
    public static func group(ofArn arn: ARN) -> String? {
        guard arn.service == "logs", arn.resource.hasPrefix("log-group:") else { return nil }
        var name = Substring(arn.resource.dropFirst("log-group:".count))
        if name.hasSuffix(":*") { name = name.dropLast(2) }
        guard !name.isEmpty, !name.contains(":") else { return nil }
        return String(name)
    }

    /// `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (``LogGroupName/group(ofArn:)`` reads it back).
    public static func arn(_ name: String, account: String, region: String) -> ARN {
        ARN(service: "logs", region: region, account: account, resource: "log-group:\(name)")
    }

    /// The file-name form of a group or stream name: every byte other than `A–Z a–z 0–9 - _`
    /// and `.` (except a leading `.`) becomes `%XX`, so a name never leaves its folder (`/` is
    /// `%2F`, `..` is `%2E.`) and two names never share a file.
    public static func fileName(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for (i, c) in name.utf8.enumerated() {
            let plain: Bool
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"):
                plain = true
            case UInt8(ascii: "."): plain = i > 0
            default: plain = false
            }
            if plain {
                out.append(c)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(c >> 4)])
                out.append(hex[Int(c & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The name a file name made by ``fileName(_:)`` stands for; `nil` when it is not one.
    public static func name(fileName encoded: String) -> String? {
        var out: [UInt8] = []
        var bytes = encoded.utf8.makeIterator()
        while let c = bytes.next() {
            guard c == UInt8(ascii: "%") else {
                out.append(c)
                continue
            }
            guard let h = bytes.next().flatMap(hexValue), let l = bytes.next().flatMap(hexValue) else { return nil }
            out.append(h << 4 | l)
        }
        let name = String(decoding: out, as: UTF8.self)
        return Self.fileName(name) == encoded ? name : nil
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
