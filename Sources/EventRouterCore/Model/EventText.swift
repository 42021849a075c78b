/// Writes an event envelope's compact JSON text directly, with the bytes ``JSONSerializer``
/// writes for the same envelope value (keys in EventBridge's order, the same string escapes).
enum EventText {
    /// `{"version":"0","id":…,"detail-type":…,"source":…,"account":…,"time":…,"region":…,"resources":[…],"detail":DETAIL}`
    /// with DETAIL the compact text of the detail (`detail`, see
    /// ``JSONCompactText/compact(_:into:)``), and the byte offset where DETAIL starts.
    /// `id`, `account` and `timeText` need no escape (``Event``'s PutEvents initialiser).
    static func envelope(id: String, detailType: String, source: String, account: String, timeText: String, region: String,
                         resources: [String], detail: UnsafeBufferPointer<UInt8>) -> (text: String, detailStart: Int) {
        if resources.isEmpty, let plain = plainEnvelope((id, detailType, source, account, timeText, region), detail: detail) {
            return plain
        }
        var out = ""
        out.reserveCapacity(160 + id.utf8.count + detailType.utf8.count + source.utf8.count + detail.count
                            + resources.reduce(0) { $0 + $1.utf8.count + 3 })
        out += #"{"version":"0","id":"#
        appendQuoted(id, to: &out)
        out += #","detail-type":"#
        appendQuoted(detailType, to: &out)
        out += #","source":"#
        appendQuoted(source, to: &out)
        out += #","account":"#
        appendQuoted(account, to: &out)
        out += #","time":"#
        appendQuoted(timeText, to: &out)
        out += #","region":"#
        appendQuoted(region, to: &out)
        out += #","resources":["#
        for (i, r) in resources.enumerated() {
            if i > 0 { out += "," }
            appendQuoted(r, to: &out)
        }
        out += #"],"detail":"#
        let detailStart = out.utf8.count
        out += String(decoding: detail, as: UTF8.self)
        out += "}"
        return (out, detailStart)
    }

    /// The keys before each of the six string fields, then before the detail.
    private static let keys: [StaticString] = [
        #"{"version":"0","id":""#, #"","detail-type":""#, #"","source":""#, #"","account":""#, #"","time":""#, #"","region":""#,
        #"","resources":[],"detail":"#,
    ]
    private static let keysLength = keys.reduce(0) { $0 + $1.utf8CodeUnitCount }

    /// The envelope without resources, its fields copied into one buffer with the compact detail
    /// (PutEvents' hot path: one allocation, no appends); `nil` when `detailType`, `source` or
    /// `region` (`f.1`, `f.2`, `f.5`) needs an escape, which the copy finds.
    private static func plainEnvelope(_ f: (String, String, String, String, String, String),
                                      detail: UnsafeBufferPointer<UInt8>) -> (text: String, detailStart: Int)? {
        let total = keysLength + f.0.utf8.count + f.1.utf8.count + f.2.utf8.count + f.3.utf8.count + f.4.utf8.count + f.5.utf8.count
            + detail.count + 1
        var detailStart = 0
        var plain = false
        let text = String(unsafeUninitializedCapacity: total) { out in
            guard let start = out.baseAddress else { return 0 }
            // A plain cursor (no variable captured by a nested function: that one was boxed
            // and every access checked for exclusivity at run time).
            var at = start
            at = copy(keys[0], to: at); at = copy(f.0, to: at)
            at = copy(keys[1], to: at)
            guard let afterDetailType = copyPlain(f.1, to: at) else { return 0 }
            at = copy(keys[2], to: afterDetailType)
            guard let afterSource = copyPlain(f.2, to: at) else { return 0 }
            at = copy(keys[3], to: afterSource); at = copy(f.3, to: at)
            at = copy(keys[4], to: at); at = copy(f.4, to: at)
            at = copy(keys[5], to: at)
            guard let afterRegion = copyPlain(f.5, to: at) else { return 0 }
            at = copy(keys[6], to: afterRegion)
            plain = true
            detailStart = at - start
            if let from = detail.baseAddress {
                at.update(from: from, count: detail.count)
                at += detail.count
            }
            at.pointee = UInt8(ascii: "}")
            return at + 1 - start
        }
        return plain ? (text, detailStart) : nil
    }

    /// Copies the bytes of `s` to `to` and returns the position after them.
    @inline(__always)
    private static func copy(_ s: StaticString, to: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        to.update(from: s.utf8Start, count: s.utf8CodeUnitCount)
        return to + s.utf8CodeUnitCount
    }

    /// Copies the UTF-8 bytes of `s` to `to` and returns the position after them.
    @inline(__always)
    private static func copy(_ s: String, to: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var s = s
        return s.withUTF8 { bytes in
            guard let from = bytes.baseAddress else { return to }
            to.update(from: from, count: bytes.count)
            return to + bytes.count
        }
    }

    /// Copies the UTF-8 bytes of `s` to `to` and returns the position after them when `s` goes
    /// between quotes as it is (no byte needs an escape); `nil` otherwise.
    @inline(__always)
    private static func copyPlain(_ s: String, to: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        var s = s
        return s.withUTF8 { bytes in
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return nil }
            guard let from = bytes.baseAddress else { return to }
            to.update(from: from, count: bytes.count)
            return to + bytes.count
        }
    }

    /// Appends `s` as a JSON string literal: as is between quotes when nothing in it needs an
    /// escape, else as ``JSONSerializer/quoted(_:)`` writes it.
    static func appendQuoted(_ s: String, to out: inout String) {
        var plain = true
        for b in s.utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            out += "\""
            out += s
            out += "\""
        } else {
            out += JSONSerializer.quoted(s)
        }
    }
}
