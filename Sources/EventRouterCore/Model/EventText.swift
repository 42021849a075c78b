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
            var o = 0
            guard let start = out.baseAddress else { return 0 }
            func put(_ s: StaticString) {
                (start + o).update(from: s.utf8Start, count: s.utf8CodeUnitCount)
                o += s.utf8CodeUnitCount
            }
            func put(_ s: String) {
                var s = s
                s.withUTF8 { bytes in
                    guard let from = bytes.baseAddress else { return }
                    (start + o).update(from: from, count: bytes.count)
                    o += bytes.count
                }
            }
            put(keys[0]); put(f.0)
            put(keys[1]); put(f.1)
            put(keys[2]); put(f.2)
            put(keys[3]); put(f.3)
            put(keys[4]); put(f.4)
            put(keys[5]); put(f.5)
            put(keys[6])
            detailStart = o
            if compactCount == detail.utf8.count {
                put(detail)
            } else {
                var d = detail
                o += d.withUTF8 { JSONCompactText.write($0, to: start + o) }
            }
            out[o] = UInt8(ascii: "}")
            return o + 1
        }
        return (text, detailStart)
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
