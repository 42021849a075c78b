/// Writes an event envelope's compact JSON text directly, with the bytes ``JSONSerializer``
/// writes for the same envelope value (keys in EventBridge's order, the same string escapes).
enum EventText {
    /// `{"version":"0","id":…,"detail-type":…,"source":…,"account":…,"time":…,"region":…,"resources":[…],"detail":DETAIL}`
    /// with DETAIL the compact form of `detail` (`compactCount` bytes, see
    /// ``JSONCompactText/compactCount(_:)``), and the byte offset where DETAIL starts.
    /// `id`, `account` and `timeText` need no escape (``Event``'s PutEvents initialiser).
    static func envelope(id: String, detailType: String, source: String, account: String, timeText: String, region: String,
                         resources: [String], detail: String, compactCount: Int) -> (text: String, detailStart: Int) {
        if resources.isEmpty, isPlain(detailType), isPlain(source), isPlain(region) {
            return plainEnvelope((id, detailType, source, account, timeText, region), detail: detail, compactCount: compactCount)
        }
        var out = ""
        out.reserveCapacity(160 + id.utf8.count + detailType.utf8.count + source.utf8.count + compactCount
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
        out += compactCount == detail.utf8.count ? detail : (JSONCompactText.canonicalObject(detail) ?? detail)
        out += "}"
        return (out, detailStart)
    }

    /// The keys before each of the six string fields, then before the detail.
    private static let keys: [StaticString] = [
        #"{"version":"0","id":""#, #"","detail-type":""#, #"","source":""#, #"","account":""#, #"","time":""#, #"","region":""#,
        #"","resources":[],"detail":"#,
    ]
    private static let keysLength = keys.reduce(0) { $0 + $1.utf8CodeUnitCount }

    /// The envelope of fields that need no escape and no resources, copied byte by byte into
    /// one buffer, the detail compacted on the way (PutEvents' hot path: one allocation, no appends).
    private static func plainEnvelope(_ f: (String, String, String, String, String, String), detail: String,
                                      compactCount: Int) -> (text: String, detailStart: Int) {
        let total = keysLength + f.0.utf8.count + f.1.utf8.count + f.2.utf8.count + f.3.utf8.count + f.4.utf8.count + f.5.utf8.count
            + compactCount + 1
        var detailStart = 0
        let text = String(unsafeUninitializedCapacity: total) { out in
            guard let start = out.baseAddress else { return 0 }
            // A plain cursor (no variable captured by a nested function: that one was boxed
            // and every access checked for exclusivity at run time).
            var at = start
            at = copy(keys[0], to: at); at = copy(f.0, to: at)
            at = copy(keys[1], to: at); at = copy(f.1, to: at)
            at = copy(keys[2], to: at); at = copy(f.2, to: at)
            at = copy(keys[3], to: at); at = copy(f.3, to: at)
            at = copy(keys[4], to: at); at = copy(f.4, to: at)
            at = copy(keys[5], to: at); at = copy(f.5, to: at)
            at = copy(keys[6], to: at)
            detailStart = at - start
            if compactCount == detail.utf8.count {
                at = copy(detail, to: at)
            } else {
                var d = detail
                at += d.withUTF8 { JSONCompactText.write($0, to: at) }
            }
            at.pointee = UInt8(ascii: "}")
            return at + 1 - start
        }
        return (text, detailStart)
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

    /// Whether `s` goes between quotes as it is (no byte needs an escape).
    private static func isPlain(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            return true
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
